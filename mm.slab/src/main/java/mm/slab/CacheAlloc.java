package mm.slab;

import mm.core.slab.ObjectCacheCore;
import mm.core.slab.Slab;
import mm.core.slab.SlabList;

/**
 * Allocation (mm/slab.c): {@code ____cache_alloc} pops the CPU's array cache; when it is empty,
 * {@code cache_alloc_refill} moves a batch from the node's shared array, else
 * {@code batchcount} objects off the node's slabs, partial slabs first, then free ones
 * ({@code get_first_slab}, {@code alloc_block}, {@code fixup_slab_list}); with none,
 * {@code cache_grow_begin} cuts a new slab at the node's next colour and {@code cache_grow_end}
 * lists it. {@code ____cache_alloc_node} and {@code fallback_alloc} take one object straight
 * from a node's lists when the local node has nothing to give.
 */
final class CacheAlloc {

    private final SlabAllocator slab;

    CacheAlloc(SlabAllocator slab) {
        this.slab = slab;
    }

    /** {@code __do_cache_alloc}, the CPU's gate held: the object's address, or 0. */
    long doCacheAlloc(KmemCacheSlab c, int gfp, int cpu) {
        long obj = cacheAlloc(c, gfp, cpu);
        if (obj == 0) {
            obj = fallbackAlloc(c, cpu);
        }
        return obj;
    }

    /** {@code ____cache_alloc}: the top of the CPU's array, refilled when empty. */
    long cacheAlloc(KmemCacheSlab c, int gfp, int cpu) {
        ArrayCache ac = c.array[cpu];
        if (ac.avail > 0) {
            c.stat(cpu, SlabStat.ALLOCHIT);
            ac.touched = true;
            return take(ac);
        }
        c.stat(cpu, SlabStat.ALLOCMISS);
        return cacheAllocRefill(c, gfp, cpu);
    }

    /** Pops the array's top entry and hands the object out. */
    private static long take(ArrayCache ac) {
        int top = --ac.avail;
        Slab s = ac.slab[top];
        int i = ac.idx[top];
        ac.slab[top] = null;
        s.next[i] = Slab.ALLOCATED;
        return s.address(i);
    }

    /** {@code cache_alloc_refill}, the CPU's array empty. */
    private long cacheAllocRefill(KmemCacheSlab c, int gfp, int cpu) {
        int nid = slab.nodeOf(cpu);
        ArrayCache ac = c.array[cpu];
        int batchcount = ac.batchcount;
        if (!ac.touched && batchcount > KmemCacheSlab.BATCHREFILL_LIMIT) {
            // little recent activity: only a partial refill, or objects bounce between arrays and slabs
            batchcount = KmemCacheSlab.BATCHREFILL_LIMIT;
        }
        KmemCacheNode n = c.node[nid];
        synchronized (n) {
            ArrayCache shared = n.shared;
            if (n.freeObjects != 0 || (shared != null && shared.avail > 0)) {
                if (shared != null && ArrayCache.transfer(ac, shared, batchcount) > 0) {
                    shared.touched = true;
                } else {
                    while (batchcount > 0) {
                        Slab s = n.firstSlab();
                        if (s == null) {
                            break; // must_grow
                        }
                        batchcount = allocBlock(c, ac, s, batchcount, cpu);
                        n.fixupSlabList(s);
                    }
                    n.freeObjects -= ac.avail;
                }
            }
        }
        if (ac.avail == 0) {
            // direct_grow
            Slab s = slab.cacheGrowBegin(c, gfp, nid);
            if (s == null) {
                return 0;
            }
            KmemCacheNode sn = c.node[s.nid];
            synchronized (sn) {
                if (s.nid == nid) {
                    allocBlock(c, ac, s, batchcount, cpu);
                }
                cacheGrowEnd(c, sn, s, cpu);
            }
            if (s.nid != nid) {
                // the page allocator fell back to another node: its objects stay off this CPU's array
                return cacheAllocNode(c, s.nid, cpu);
            }
        }
        ac.touched = true;
        return take(ac);
    }

    /**
     * {@code alloc_block}: up to {@code batchcount} objects of {@code s} onto the array, the
     * node's lock held; the batch count left.
     */
    static int allocBlock(KmemCacheSlab c, ArrayCache ac, Slab s, int batchcount, int cpu) {
        int taken = 0;
        while (s.inuse < s.objects && batchcount > 0) {
            batchcount--;
            int i = s.getObj();
            s.next[i] = ArrayCache.IN_ARRAY;
            ac.push(s, i);
            taken++;
        }
        c.stat(cpu, SlabStat.LISTALLOCS, taken);
        return batchcount;
    }

    /**
     * {@code cache_grow_end}: a new slab onto its node's lists (slabs_free if nothing was taken
     * from it, else by what is left), counted; the node's lock held.
     */
    static void cacheGrowEnd(KmemCacheSlab c, KmemCacheNode n, Slab s, int cpu) {
        n.totalSlabs++;
        n.totalObjects += s.objects;
        if (s.inuse == 0) {
            n.free.addTail(s);
        } else {
            n.fixupSlabList(s);
        }
        c.stat(cpu, SlabStat.GROWN);
        n.freeObjects += s.objects - s.inuse;
    }

    /**
     * {@code ____cache_alloc_node}: one object straight from a node's lists, bypassing the
     * array cache; 0 if the node has no free object.
     */
    long cacheAllocNode(KmemCacheSlab c, int nid, int cpu) {
        KmemCacheNode n = c.node[nid];
        synchronized (n) {
            Slab s = n.firstSlab();
            if (s == null) {
                return 0;
            }
            c.stat(cpu, SlabStat.NODEALLOCS);
            c.stat(cpu, SlabStat.LISTALLOCS);
            int i = s.getObj();
            n.freeObjects--;
            n.fixupSlabList(s);
            return s.address(i);
        }
    }

    /**
     * {@code fallback_alloc}: the local node could neither refill nor grow (the page allocator
     * already tried every node): any other node's free objects, in {@link ObjectCacheCore#otherNodes} order.
     */
    private long fallbackAlloc(KmemCacheSlab c, int cpu) {
        for (int other : ObjectCacheCore.otherNodes(slab.nodeOf(cpu), c.node.length)) {
            long obj;
            synchronized (c.node[other]) {
                obj = c.node[other].freeObjects > 0 ? cacheAllocNode(c, other, cpu) : 0;
            }
            if (obj != 0) {
                return obj;
            }
        }
        return 0;
    }
}

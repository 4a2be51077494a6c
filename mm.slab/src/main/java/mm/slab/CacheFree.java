package mm.slab;

import java.util.ArrayList;
import java.util.List;
import mm.core.slab.Slab;

/**
 * Freeing (mm/slab.c): {@code ___cache_free} pushes onto the CPU's array cache; a full array
 * first gives its oldest {@code batchcount} objects to the node's shared array, or back to their
 * slabs ({@code cache_flusharray}, {@code free_block}), which moves each slab to slabs_free or the
 * tail of slabs_partial and gives the last free slabs back to the page allocator while the node
 * has more than {@code free_limit} free objects ({@code slabs_destroy}). An object of another
 * node's slab goes straight back to that node ({@code cache_free_alien} without alien caches).
 */
final class CacheFree {

    private final SlabAllocator slab;

    CacheFree(SlabAllocator slab) {
        this.slab = slab;
    }

    /** {@code ___cache_free}, the CPU's gate held; the object is in use (checked). */
    void cacheFree(KmemCacheSlab c, Slab s, int idx, int cpu) {
        if (c.node.length > 1 && s.nid != slab.nodeOf(cpu)) {
            cacheFreeAlien(c, s, idx, cpu);
            return;
        }
        ArrayCache ac = c.array[cpu];
        if (ac.avail < ac.limit) {
            c.stat(cpu, SlabStat.FREEHIT);
        } else {
            c.stat(cpu, SlabStat.FREEMISS);
            cacheFlusharray(c, ac, cpu);
        }
        s.next[idx] = ArrayCache.IN_ARRAY;
        ac.push(s, idx);
    }

    /** {@code cache_free_alien} with no alien cache: {@code free_block} of one object on the slab's own node. */
    private void cacheFreeAlien(KmemCacheSlab c, Slab s, int idx, int cpu) {
        c.stat(cpu, SlabStat.REMOTEFREES);
        KmemCacheNode n = c.node[s.nid];
        List<Slab> list = null;
        synchronized (n) {
            list = freeOne(c, n, s, idx, list);
        }
        slab.slabsDestroy(list);
    }

    /** {@code free_block} of a single object, the node's lock held; the slabs to destroy (null if none). */
    List<Slab> freeOne(KmemCacheSlab c, KmemCacheNode n, Slab s, int idx, List<Slab> list) {
        putObj(c, n, s, idx);
        return trimFree(n, list);
    }

    /**
     * {@code cache_flusharray}: the array is full; its oldest {@code batchcount} objects go to
     * the node's shared array if it has room (as many as fit), else back to their slabs.
     */
    void cacheFlusharray(KmemCacheSlab c, ArrayCache ac, int cpu) {
        int batchcount = ac.batchcount;
        KmemCacheNode n = c.node[slab.nodeOf(cpu)];
        List<Slab> list = null;
        synchronized (n) {
            ArrayCache shared = n.shared;
            int max = shared == null ? 0 : shared.limit - shared.avail;
            if (max > 0) {
                if (batchcount > max) {
                    batchcount = max;
                }
                System.arraycopy(ac.slab, 0, shared.slab, shared.avail, batchcount);
                System.arraycopy(ac.idx, 0, shared.idx, shared.avail, batchcount);
                shared.avail += batchcount;
            } else {
                list = freeBlock(c, n, ac.slab, ac.idx, batchcount, list);
            }
        }
        ac.dropBottom(batchcount);
        slab.slabsDestroy(list);
    }

    /**
     * {@code free_block}: the first {@code nr} objects of an array back onto their slabs, the
     * node's lock held; then, while the node has more than {@code free_limit} free objects, its
     * last free slabs come off the lists. Returns {@code list} with those slabs added (a new list
     * if it was null and there are some): the caller destroys them once the lock is dropped.
     */
    List<Slab> freeBlock(KmemCacheSlab c, KmemCacheNode n, Slab[] slabs, int[] idx, int nr, List<Slab> list) {
        for (int k = 0; k < nr; k++) {
            putObj(c, n, slabs[k], idx[k]);
        }
        return trimFree(n, list);
    }

    /** One object of {@code free_block}'s loop: {@code slab_put_obj}, then the slab to slabs_free or the tail of slabs_partial. */
    private void putObj(KmemCacheSlab c, KmemCacheNode n, Slab s, int i) {
        n.unlist(s);
        s.putObj(i);
        n.freeObjects++;
        if (s.inuse == 0) {
            n.free.addHead(s);
        } else {
            // the tail: the most time for its other objects to come back too
            n.partial.addTail(s);
        }
    }

    /** The end of {@code free_block}: free slabs beyond {@code free_limit} off the lists, last first. */
    private static List<Slab> trimFree(KmemCacheNode n, List<Slab> list) {
        while (n.freeObjects > n.freeLimit && n.free.tail != null) {
            Slab s = n.free.tail;
            n.free.remove(s);
            n.freeObjects -= s.objects;
            n.totalSlabs--;
            n.totalObjects -= s.objects;
            if (list == null) {
                list = new ArrayList<>(2);
            }
            list.add(s);
        }
        return list;
    }
}

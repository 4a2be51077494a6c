package mm.slab;

import java.util.List;
import mm.api.machine.SimClock;
import mm.core.slab.Slab;

/**
 * Giving objects and slabs back (mm/slab.c): {@code drain_cpu_caches} empties every array cache
 * into the slabs; {@code drain_freelist} gives free slabs to the page allocator;
 * {@code cache_reap}, the work each CPU runs every {@code REAPTIMEOUT_AC}, trims the arrays no
 * one touched lately and, every {@code REAPTIMEOUT_NODE} per node, the shared array and a fifth
 * of the free slabs allowed; {@code do_tune_cpucache} replaces the arrays with new tunables.
 */
final class CacheReap {

    /** REAPTIMEOUT_AC: how often each CPU runs the reaper, in jiffies. */
    static final long REAPTIMEOUT_AC = 2L * SimClock.HZ;
    /** REAPTIMEOUT_NODE: how often a node's shared array and free slabs are reaped, in jiffies. */
    static final long REAPTIMEOUT_NODE = 4L * SimClock.HZ;

    private final SlabAllocator slab;
    private final CacheFree free;

    CacheReap(SlabAllocator slab, CacheFree free) {
        this.slab = slab;
        this.free = free;
    }

    /**
     * {@code drain_cpu_caches}, every CPU stopped: each CPU's array ({@code do_drain}), then each
     * node's shared array ({@code drain_array_locked(..., free_all)}), back to the slabs.
     */
    void drainCpuCaches(KmemCacheSlab c) {
        List<Slab> list = null;
        for (int cpu = 0; cpu < c.array.length; cpu++) {
            ArrayCache ac = c.array[cpu];
            if (ac != null && ac.avail > 0) {
                KmemCacheNode n = c.node[slab.nodeOf(cpu)];
                synchronized (n) {
                    list = free.freeBlock(c, n, ac.slab, ac.idx, ac.avail, list);
                }
                ac.clear();
            }
        }
        for (KmemCacheNode n : c.node) {
            synchronized (n) {
                list = drainArrayLocked(c, n, n.shared, true, list);
            }
        }
        slab.slabsDestroy(list);
    }

    /**
     * {@code drain_array_locked}: all of the array ({@code free_all}), else a fifth of its limit
     * (at most half of what it holds), oldest first, back to the slabs; the node's lock held.
     */
    private List<Slab> drainArrayLocked(KmemCacheSlab c, KmemCacheNode n, ArrayCache ac, boolean freeAll, List<Slab> list) {
        if (ac == null || ac.avail == 0) {
            return list;
        }
        int tofree = freeAll ? ac.avail : (ac.limit + 4) / 5;
        if (tofree > ac.avail) {
            tofree = (ac.avail + 1) / 2;
        }
        list = free.freeBlock(c, n, ac.slab, ac.idx, tofree, list);
        ac.dropBottom(tofree);
        return list;
    }

    /** {@code drain_array}: an array touched since the last look is only marked untouched; else part of it goes back. */
    private void drainArray(KmemCacheSlab c, KmemCacheNode n, ArrayCache ac) {
        List<Slab> list;
        synchronized (n) {
            if (ac == null || ac.avail == 0) {
                return;
            }
            if (ac.touched) {
                ac.touched = false;
                return;
            }
            list = drainArrayLocked(c, n, ac, false, null);
        }
        slab.slabsDestroy(list);
    }

    /**
     * {@code drain_freelist}: up to {@code tofree} slabs of slabs_free, from its tail, to the page
     * allocator; the slabs freed, and their pages added to {@code pagesOut[0]} if given.
     */
    long drainFreelist(KmemCacheSlab c, KmemCacheNode n, long tofree, long[] pagesOut) {
        long slabs = 0;
        long pages = 0;
        while (slabs < tofree) {
            Slab s;
            synchronized (n) {
                s = n.free.tail;
                if (s == null) {
                    break;
                }
                n.free.remove(s);
                n.freeObjects -= s.objects;
                n.totalSlabs--;
                n.totalObjects -= s.objects;
            }
            pages += 1L << s.order;
            slab.slabDestroy(s);
            slabs++;
        }
        if (pagesOut != null) {
            pagesOut[0] += pages;
        }
        return slabs;
    }

    /**
     * {@code cache_reap} on one CPU, its gate held: for every cache, the CPU's array and, when the
     * node is due, the node's shared array and free slabs ({@code (free_limit + 5 * num - 1) / (5 * num)}
     * of them, unless a refill found no partial slab since the last look).
     */
    void cacheReap(int cpu, long jiffies) {
        int nid = slab.nodeOf(cpu);
        for (KmemCacheSlab c : slab.slabCaches()) {
            KmemCacheNode n = c.node[nid];
            drainArray(c, n, c.array[cpu]);
            boolean due;
            int freeLimit;
            synchronized (n) {
                due = jiffies >= n.nextReap;
                if (due) {
                    n.nextReap = jiffies + REAPTIMEOUT_NODE;
                }
                freeLimit = n.freeLimit;
            }
            if (!due) {
                continue;
            }
            drainArray(c, n, n.shared);
            boolean touched;
            synchronized (n) {
                touched = n.freeTouched;
                n.freeTouched = false;
            }
            if (!touched) {
                c.stat(cpu, SlabStat.REAPED, drainFreelist(c, n, (freeLimit + 5L * c.num - 1) / (5L * c.num), null));
            }
        }
    }

    /**
     * {@code do_tune_cpucache} and {@code alloc_kmemlist}, every CPU stopped: each CPU's array
     * drained and replaced by one of the new size, each node's shared array drained and replaced,
     * {@code free_limit} recomputed.
     */
    void doTuneCpucache(KmemCacheSlab c, int limit, int batchcount, int shared) {
        drainCpuCaches(c);
        c.limit = limit;
        c.batchcount = batchcount;
        c.shared = shared;
        for (int cpu = 0; cpu < c.array.length; cpu++) {
            c.array[cpu] = new ArrayCache(limit, batchcount);
        }
        for (int nid = 0; nid < c.node.length; nid++) {
            KmemCacheNode n = c.node[nid];
            synchronized (n) {
                n.shared = shared > 0 ? new ArrayCache(shared * batchcount, 0xbaadf00d) : null;
                n.freeLimit = (1 + slab.nrCpusNode(nid)) * batchcount + c.num;
            }
        }
    }
}

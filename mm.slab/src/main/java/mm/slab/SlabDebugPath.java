package mm.slab;

import java.util.List;
import mm.core.slab.Slab;
import mm.core.slab.SlabList;
import mm.core.slab.SlabDebug;

/**
 * Allocation and free for caches with debugging: no array caches, one object at a time under the
 * node's lock, straight from and to the slab lists ({@code ____cache_alloc_node},
 * {@code free_block} of one object), each object checked and marked by {@link SlabDebug} (red
 * zones, poison, owner tracking: the reports are the ones every implementation shares). The
 * kernel's CONFIG_DEBUG_SLAB kept the arrays (with {@code limit} at most 32) and checked objects
 * on their way in and out of them; going around the arrays makes every check happen at the
 * caller's alloc or free.
 */
final class SlabDebugPath {

    private final SlabAllocator slab;
    private final CacheFree free;

    SlabDebugPath(SlabAllocator slab, CacheFree free) {
        this.slab = slab;
        this.free = free;
    }

    /** An object of a debug cache, or 0: the local node's lists, the other nodes', then a new slab. */
    long alloc(KmemCacheSlab c, int gfp, int cpu, int caller) {
        c.stat(cpu, SlabStat.ALLOCMISS);
        int nid = slab.nodeOf(cpu);
        for (int k = 0; k < c.node.length; k++) {
            KmemCacheNode n = c.node[(nid + k) % c.node.length];
            synchronized (n) {
                Slab s = n.firstSlab();
                if (s != null) {
                    return allocSingle(c, n, s, cpu, caller);
                }
            }
        }
        Slab s = slab.cacheGrowBegin(c, gfp, nid);
        if (s == null) {
            return 0;
        }
        KmemCacheNode n = c.node[s.nid];
        synchronized (n) {
            CacheAlloc.cacheGrowEnd(c, n, s, cpu);
            return allocSingle(c, n, s, cpu, caller);
        }
    }

    /** The first free object of a listed slab, checked, handed out; the node's lock held. */
    private long allocSingle(KmemCacheSlab c, KmemCacheNode n, Slab s, int cpu, int caller) {
        int i;
        synchronized (s) {
            SlabDebug.onAlloc(s, s.freelist, slab.directMap(), slab.machine(), caller, cpu);
            i = s.getObj();
        }
        c.stat(cpu, SlabStat.LISTALLOCS);
        n.freeObjects--;
        n.fixupSlabList(s);
        return s.address(i);
    }

    /** Frees an object of a debug cache to its slab, checked first (a corrupted object is reported and not freed). */
    void free(KmemCacheSlab c, Slab s, int idx, int cpu, int caller) {
        c.stat(cpu, SlabStat.FREEMISS);
        if (s.nid != slab.nodeOf(cpu)) {
            c.stat(cpu, SlabStat.REMOTEFREES);
        }
        KmemCacheNode n = c.node[s.nid];
        List<Slab> list;
        synchronized (n) {
            synchronized (s) {
                SlabDebug.onFree(s, idx, slab.directMap(), slab.machine(), caller, cpu);
                list = free.freeOne(c, n, s, idx, null);
            }
        }
        slab.slabsDestroy(list);
    }
}

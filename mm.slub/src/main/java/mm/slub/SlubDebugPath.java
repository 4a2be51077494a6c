package mm.slub;

import mm.core.slab.Slab;
import mm.core.slab.SlabDebug;

/**
 * Allocation and free for caches with debugging (mm/slub.c, {@code kmem_cache_debug}): no CPU
 * slabs; one object at a time under the node's lock ({@code alloc_single_from_partial},
 * {@code alloc_single_from_new_slab}, {@code free_to_partial_list}), each checked and marked by
 * {@link SlabDebug}. Full slabs are kept on the node's full list.
 */
final class SlubDebugPath {

    private final SlubAllocator slub;

    SlubDebugPath(SlubAllocator slub) {
        this.slub = slub;
    }

    /** An object of a debug cache, or 0. */
    long alloc(KmemCacheSlub s, int gfp, int cpu, int caller) {
        s.stat(cpu, SlubStat.ALLOC_SLOWPATH);
        int nid = slub.nodeOf(cpu);
        for (int k = 0; k < s.node.length; k++) {
            KmemCacheNode n = s.node[(nid + k) % s.node.length];
            synchronized (n) {
                Slab slab = n.partial.head;
                if (slab != null) {
                    s.stat(cpu, SlubStat.ALLOC_FROM_PARTIAL);
                    return allocSingle(s, n, slab, cpu, caller);
                }
            }
        }
        Slab slab = slub.newSlab(s, gfp, cpu);
        if (slab == null) {
            return 0;
        }
        s.stat(cpu, SlubStat.ALLOC_SLAB);
        KmemCacheNode n = s.node[slab.nid];
        synchronized (n) {
            n.addPartial(slab, true);
            return allocSingle(s, n, slab, cpu, caller);
        }
    }

    /** {@code alloc_single_from_partial}, the node's lock held. */
    private long allocSingle(KmemCacheSlub s, KmemCacheNode n, Slab slab, int cpu, int caller) {
        synchronized (slab) {
            SlabDebug.onAlloc(slab, slab.freelist, slub.directMap(), slub.machine(), caller, cpu);
            int idx = slab.getObj();
            if (slab.freelist < 0) {
                n.removePartial(slab);
                n.addFull(slab);
            }
            return slab.address(idx);
        }
    }

    /**
     * {@code free_to_partial_list}: the object back on the slab's freelist; the slab is freed if
     * it is now empty and the node already has {@code min_partial} partial slabs (decided before
     * any list changes, from the full list too, counting neither {@code FREE_ADD_PARTIAL} nor
     * {@code FREE_REMOVE_PARTIAL} then), else a full slab moves to the partial list's tail.
     */
    void free(KmemCacheSlub s, Slab slab, int idx, int cpu, int caller) {
        s.stat(cpu, SlubStat.FREE_SLOWPATH);
        KmemCacheNode n = s.node[slab.nid];
        boolean discard = false;
        synchronized (n) {
            synchronized (slab) {
                SlabDebug.onFree(slab, idx, slub.directMap(), slub.machine(), caller, cpu);
                int prior = slab.putObj(idx);
                // empty, and the node keeps min_partial slabs already: freed, whichever list it is on
                discard = slab.inuse == 0 && n.partial.count >= s.geometry().minPartial();
                if (prior < 0) {
                    n.removeFull(slab); // it was full
                    if (!discard) {
                        n.addPartial(slab, true);
                        s.stat(cpu, SlubStat.FREE_ADD_PARTIAL);
                    }
                } else if (discard) {
                    n.removePartial(slab);
                    s.stat(cpu, SlubStat.FREE_REMOVE_PARTIAL);
                }
                if (discard) {
                    n.nrSlabs--;
                    n.totalObjects -= slab.objects;
                }
            }
        }
        if (discard) {
            s.stat(cpu, SlubStat.FREE_SLAB);
            slub.freeSlab(slab);
        }
    }
}

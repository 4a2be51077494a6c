package mm.slub;

import mm.core.slab.Slab;

/**
 * Freeing (mm/slub.c): {@code do_slab_free} pushes onto the CPU's private freelist when the object
 * is in the CPU slab; otherwise {@code __slab_free} pushes onto the slab's own freelist. A slab
 * that was full goes to the freeing CPU's partial list ({@code put_cpu_partial}, which drains a
 * full list to the nodes); a slab that becomes empty while its node has {@code min_partial}
 * partial slabs goes back to the page allocator.
 */
final class SlabFree {

    private final SlubAllocator slub;

    SlabFree(SlubAllocator slub) {
        this.slub = slub;
    }

    /** {@code do_slab_free}, the CPU's gate held; the object is in use (checked). */
    void doSlabFree(KmemCacheSlub s, Slab slab, int idx, int cpu) {
        KmemCacheCpu c = s.cpuSlab[cpu];
        if (slab == c.slab) {
            slab.next[idx] = (short) c.freelist;
            c.freelist = idx;
            c.stat[SlubStat.FREE_FASTPATH.ordinal()]++;
            return;
        }
        s.stat(cpu, SlubStat.FREE_SLOWPATH);
        slabFree(s, slab, idx, cpu);
    }

    /** {@code __slab_free}. */
    private void slabFree(KmemCacheSlub s, Slab slab, int idx, int cpu) {
        KmemCacheNode n = s.node[slab.nid];
        while (true) {
            int prior;
            boolean wasFrozen;
            int inuse;
            synchronized (slab) {
                prior = slab.freelist;
                wasFrozen = slab.frozen;
                inuse = slab.inuse - 1;
                if (!needsList(s, prior, wasFrozen, inuse)) {
                    slab.putObj(idx);
                }
                else {
                    prior = Integer.MIN_VALUE; // take the node's lock first, then retry
                }
            }
            if (prior != Integer.MIN_VALUE) {
                if (wasFrozen) {
                    s.stat(cpu, SlubStat.FREE_FROZEN);
                } else if (s.hasCpuPartial && prior < 0) {
                    putCpuPartial(s, slab, cpu, true);
                    s.stat(cpu, SlubStat.CPU_PARTIAL_FREE);
                }
                return;
            }
            Slab discard = null;
            synchronized (n) {
                synchronized (slab) {
                    prior = slab.freelist;
                    wasFrozen = slab.frozen;
                    inuse = slab.inuse - 1;
                    if (!needsList(s, prior, wasFrozen, inuse)) {
                        continue; // changed meanwhile: start over
                    }
                    slab.putObj(idx);
                }
                boolean onNodePartial = slab.list == KmemCacheNode.NODE_PARTIAL;
                if (prior >= 0 && !onNodePartial) {
                    return; // partially empty on some CPU's partial list: not the node's business
                }
                if (inuse == 0 && n.partial.count >= s.geometry().minPartial()) {
                    if (prior >= 0) {
                        n.removePartial(slab);
                        s.stat(cpu, SlubStat.FREE_REMOVE_PARTIAL);
                    }
                    n.nrSlabs--;
                    n.totalObjects -= slab.objects;
                    discard = slab;
                } else if (!s.hasCpuPartial && prior < 0) {
                    n.addPartial(slab, true);
                    s.stat(cpu, SlubStat.FREE_ADD_PARTIAL);
                }
            }
            if (discard != null) {
                s.stat(cpu, SlubStat.FREE_SLAB);
                slub.freeSlab(discard);
            }
            return;
        }
    }

    /**
     * Whether a free must take the node's list lock: the slab becomes empty or stops being full,
     * no CPU holds it, and it will not simply go to this CPU's partial list.
     */
    private static boolean needsList(KmemCacheSlub s, int prior, boolean wasFrozen, int inuse) {
        return (inuse == 0 || prior < 0) && !wasFrozen && (!s.hasCpuPartial || prior >= 0);
    }

    /**
     * {@code put_cpu_partial}: onto this CPU's partial chain; with {@code drain}, a chain already
     * holding {@code cpu_partial_slabs} slabs goes to the nodes first ({@code __put_partials}).
     */
    void putCpuPartial(KmemCacheSlub s, Slab slab, int cpu, boolean drain) {
        KmemCacheCpu c = s.cpuSlab[cpu];
        Slab old = c.partial;
        Slab toUnfreeze = null;
        int slabs = 0;
        if (old != null) {
            if (drain && old.slabs >= s.geometry().cpuPartialSlabs()) {
                toUnfreeze = old;
                old = null;
            } else {
                slabs = old.slabs;
            }
        }
        slab.slabs = slabs + 1;
        slab.nextSlab = old;
        slab.prev = null;
        slab.list = KmemCacheNode.CPU_PARTIAL;
        c.partial = slab;
        if (toUnfreeze != null) {
            putPartials(s, toUnfreeze, cpu);
            s.stat(cpu, SlubStat.CPU_PARTIAL_DRAIN);
        }
    }

    /** {@code __put_partials}: each slab of a CPU partial chain to its node's partial list, or freed if empty and the node has enough. */
    void putPartials(KmemCacheSlub s, Slab chain, int cpu) {
        Slab discard = null;
        while (chain != null) {
            Slab slab = chain;
            chain = slab.nextSlab;
            KmemCacheNode n = s.node[slab.nid];
            synchronized (n) {
                int inuse;
                synchronized (slab) {
                    inuse = slab.inuse;
                }
                if (inuse == 0 && n.partial.count >= s.geometry().minPartial()) {
                    n.nrSlabs--;
                    n.totalObjects -= slab.objects;
                    slab.list = KmemCacheNode.NONE;
                    slab.nextSlab = discard;
                    discard = slab;
                } else {
                    n.addPartial(slab, true);
                    s.stat(cpu, SlubStat.FREE_ADD_PARTIAL);
                }
            }
        }
        while (discard != null) {
            Slab slab = discard;
            discard = slab.nextSlab;
            slab.nextSlab = null;
            s.stat(cpu, SlubStat.DEACTIVATE_EMPTY);
            slub.freeSlab(slab);
            s.stat(cpu, SlubStat.FREE_SLAB);
        }
    }
}

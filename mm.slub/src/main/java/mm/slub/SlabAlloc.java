package mm.slub;

import mm.core.slab.ObjectCacheCore;
import mm.core.slab.Slab;

/**
 * Allocation (mm/slub.c): the fast path of {@code slab_alloc_node} pops the CPU's private
 * freelist; the slow path {@code ___slab_alloc} takes the CPU slab's remote frees
 * ({@code get_freelist}), then a slab of the CPU's partial list, then slabs of the node's partial
 * list ({@code get_partial_node}: the first becomes the CPU slab, more fill the CPU's partial list
 * up to half of {@code cpu_partial_slabs}), then a new slab ({@code new_slab}).
 */
final class SlabAlloc {

    private final SlubAllocator slub;

    SlabAlloc(SlubAllocator slub) {
        this.slub = slub;
    }

    /** {@code slab_alloc_node}, the CPU's gate held: the object's address, or 0. */
    long slabAllocNode(KmemCacheSlub s, int gfp, int cpu) {
        KmemCacheCpu c = s.cpuSlab[cpu];
        int idx = c.freelist;
        if (idx >= 0) {
            Slab slab = c.slab;
            c.freelist = slab.next[idx];
            slab.next[idx] = Slab.ALLOCATED;
            c.stat[SlubStat.ALLOC_FASTPATH.ordinal()]++;
            return slab.address(idx);
        }
        return slabAllocSlow(s, gfp, cpu, c);
    }

    /** {@code ___slab_alloc}. */
    private long slabAllocSlow(KmemCacheSlub s, int gfp, int cpu, KmemCacheCpu c) {
        s.stat(cpu, SlubStat.ALLOC_SLOWPATH);
        Slab slab = c.slab;
        if (slab != null) {
            int freelist = getFreelist(slab);
            if (freelist >= 0) {
                s.stat(cpu, SlubStat.ALLOC_REFILL);
                return loadFreelist(c, slab, freelist);
            }
            // the CPU slab is full: it leaves the CPU and belongs to no list
            c.slab = null;
            slab.list = KmemCacheNode.NONE;
            s.stat(cpu, SlubStat.DEACTIVATE_BYPASS);
        }
        // new_slab: the CPU's partial slabs first
        while (c.partial != null) {
            slab = c.partial;
            c.partial = slab.nextSlab;
            slab.nextSlab = null;
            int freelist = getFreelist(slab);
            if (freelist < 0) {
                throw new IllegalStateException(s.name() + ": " + slab + " was on CPU " + cpu
                        + "'s partial list without a free object");
            }
            slab.list = KmemCacheNode.CPU_SLAB;
            c.slab = slab;
            s.stat(cpu, SlubStat.CPU_PARTIAL_ALLOC);
            return loadFreelist(c, slab, freelist);
        }
        slab = getPartial(s, slub.nodeOf(cpu), cpu, c);
        if (slab != null) {
            int freelist = getFreelist(slab);
            slab.list = KmemCacheNode.CPU_SLAB;
            c.slab = slab;
            return loadFreelist(c, slab, freelist);
        }
        // new_objects
        slab = slub.newSlab(s, gfp, cpu);
        if (slab == null) {
            return 0; // slab_out_of_memory
        }
        s.stat(cpu, SlubStat.ALLOC_SLAB);
        int freelist;
        synchronized (slab) {
            freelist = slab.freelist;
            slab.freelist = Slab.END;
            slab.inuse = slab.objects;
            slab.frozen = true;
        }
        slab.list = KmemCacheNode.CPU_SLAB;
        c.slab = slab;
        return loadFreelist(c, slab, freelist);
    }

    /** {@code load_freelist}: the first object is the caller's, the rest is the CPU's private chain. */
    private static long loadFreelist(KmemCacheCpu c, Slab slab, int freelist) {
        c.freelist = slab.next[freelist];
        slab.next[freelist] = Slab.ALLOCATED;
        return slab.address(freelist);
    }

    /**
     * {@code get_freelist} / {@code freeze_slab}: takes every free object of the slab for the CPU
     * (they all count as in use from now on) and freezes it; an empty chain unfreezes it.
     */
    static int getFreelist(Slab slab) {
        synchronized (slab) {
            int freelist = slab.freelist;
            slab.freelist = Slab.END;
            slab.inuse = slab.objects;
            slab.frozen = freelist >= 0;
            return freelist;
        }
    }

    /**
     * {@code get_partial}: the node's partial list, then the other nodes' ({@code get_any_partial},
     * in {@link ObjectCacheCore#otherNodes} order). The slab returned is off every list.
     */
    private Slab getPartial(KmemCacheSlub s, int nid, int cpu, KmemCacheCpu c) {
        Slab slab = getPartialNode(s, s.node[nid], cpu, c);
        for (int other : ObjectCacheCore.otherNodes(nid, s.node.length)) {
            if (slab != null) {
                break;
            }
            slab = getPartialNode(s, s.node[other], cpu, c);
        }
        return slab;
    }

    /** {@code get_partial_node}. */
    private Slab getPartialNode(KmemCacheSlub s, KmemCacheNode n, int cpu, KmemCacheCpu c) {
        if (n.partial.head == null) {
            return null;
        }
        Slab partial = null;
        int partialSlabs = 0;
        synchronized (n) {
            Slab slab = n.partial.head;
            while (slab != null) {
                Slab next = slab.nextSlab;
                n.removePartial(slab);
                if (partial == null) {
                    partial = slab;
                    s.stat(cpu, SlubStat.ALLOC_FROM_PARTIAL);
                    if (!s.hasCpuPartial) {
                        break;
                    }
                } else {
                    slub.free().putCpuPartial(s, slab, cpu, false);
                    s.stat(cpu, SlubStat.CPU_PARTIAL_NODE);
                    if (++partialSlabs > s.geometry().cpuPartialSlabs() / 2) {
                        break;
                    }
                }
                slab = next;
            }
        }
        return partial;
    }
}

package mm.slub;

import java.util.ArrayList;
import java.util.List;
import mm.core.slab.Slab;

/**
 * Giving back what CPUs hold (mm/slub.c): {@code deactivate_slab} returns the CPU slab's private
 * objects to the slab and the slab to its node; {@code flush_cpu_slab} does that and drains the
 * CPU's partial list; {@code __kmem_cache_do_shrink} frees the empty partial slabs and orders the
 * rest fullest first.
 */
final class SlabFlush {

    /** {@code SHRINK_PROMOTE_MAX}: the free-object counts {@code __kmem_cache_do_shrink} sorts by. */
    static final int SHRINK_PROMOTE_MAX = 32;

    private final SlubAllocator slub;

    SlabFlush(SlubAllocator slub) {
        this.slub = slub;
    }

    /** {@code flush_cpu_slab} for one CPU, its gate held (or every CPU stopped). */
    void flushCpuSlab(KmemCacheSlub s, int cpu) {
        KmemCacheCpu c = s.cpuSlab[cpu];
        Slab slab = c.slab;
        if (slab != null) {
            int freelist = c.freelist;
            c.slab = null;
            c.freelist = Slab.END;
            deactivateSlab(s, slab, freelist, cpu);
            s.stat(cpu, SlubStat.CPUSLAB_FLUSH);
        }
        Slab partial = c.partial;
        if (partial != null) {
            c.partial = null;
            slub.free().putPartials(s, partial, cpu);
        }
    }

    /**
     * {@code deactivate_slab}: the CPU's private objects go back on the slab's freelist, the slab is
     * unfrozen and goes to its node's partial list, is freed if empty and the node has
     * {@code min_partial} slabs, or, full, to no list. The partial list's tail takes it only when
     * other CPUs freed objects into it meanwhile ({@code slab->freelist} non-NULL, the test that
     * counts {@code DEACTIVATE_REMOTE_FREES}); otherwise its head, whether or not the CPU still
     * had objects of it.
     */
    void deactivateSlab(KmemCacheSlub s, Slab slab, int freelist, int cpu) {
        KmemCacheNode n = s.node[slab.nid];
        boolean tail = false;
        boolean discard = false;
        synchronized (n) {
            int inuse;
            boolean hasFree;
            synchronized (slab) {
                if (slab.freelist >= 0) {
                    s.stat(cpu, SlubStat.DEACTIVATE_REMOTE_FREES);
                    tail = true;
                }
                int idx = freelist;
                while (idx >= 0) {
                    int next = slab.next[idx];
                    slab.next[idx] = (short) slab.freelist;
                    slab.freelist = idx;
                    slab.inuse--;
                    idx = next;
                }
                slab.frozen = false;
                inuse = slab.inuse;
                hasFree = slab.freelist >= 0;
            }
            slab.list = KmemCacheNode.NONE;
            if (inuse == 0 && n.partial.count >= s.geometry().minPartial()) {
                n.nrSlabs--;
                n.totalObjects -= slab.objects;
                discard = true;
            } else if (hasFree) {
                n.addPartial(slab, tail);
                s.stat(cpu, tail ? SlubStat.DEACTIVATE_TO_TAIL : SlubStat.DEACTIVATE_TO_HEAD);
            } else {
                s.stat(cpu, SlubStat.DEACTIVATE_FULL);
            }
        }
        if (discard) {
            s.stat(cpu, SlubStat.DEACTIVATE_EMPTY);
            slub.freeSlab(slab);
            s.stat(cpu, SlubStat.FREE_SLAB);
        }
    }

    /** {@code __kmem_cache_do_shrink}, every CPU flushed and stopped: pages freed. */
    long shrink(KmemCacheSlub s) {
        long pages = 0;
        for (KmemCacheNode n : s.node) {
            List<Slab> empty = new ArrayList<>();
            List<Slab> keep = new ArrayList<>();
            synchronized (n) {
                for (Slab slab = n.partial.head; slab != null; ) {
                    Slab next = slab.nextSlab;
                    n.removePartial(slab);
                    (slab.inuse == 0 ? empty : keep).add(slab);
                    slab = next;
                }
                // promote: fewest free objects first, so that allocations fill them up; slabs with more than
                // SHRINK_PROMOTE_MAX free objects keep their order, after the others
                keep.sort(java.util.Comparator.comparingInt(slab -> Math.min(slab.objects - slab.inuse, SHRINK_PROMOTE_MAX + 1)));
                for (Slab slab : keep) {
                    n.addPartial(slab, true);
                }
                for (Slab slab : empty) {
                    n.nrSlabs--;
                    n.totalObjects -= slab.objects;
                }
            }
            for (Slab slab : empty) {
                pages += 1L << slab.order;
                slub.freeSlab(slab);
            }
        }
        return pages;
    }
}

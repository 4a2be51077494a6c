package mm.slab;

import mm.api.machine.Machine;
import mm.api.slab.ObjectConstructor;
import mm.core.slab.SlabCache;
import mm.core.slab.SlabGeometry;

/**
 * A SLAB cache ({@code struct kmem_cache} of mm/slab.c): the geometry shared with every
 * implementation, the colouring, the tunables {@code enable_cpucache} chose, one
 * {@link ArrayCache} per CPU and one {@link KmemCacheNode} per node.
 */
final class KmemCacheSlab extends SlabCache {

    /** {@code BATCHREFILL_LIMIT}: a refill of an array the CPU has not touched lately takes at most this many. */
    static final int BATCHREFILL_LIMIT = 16;

    /** Objects per slab ({@code num}). */
    final int num;
    /** The colour step ({@code colour_off}): the cache line, or the alignment if larger. */
    final int colourOff;
    /** The number of colours ({@code colour}): the slab's left-over bytes over {@link #colourOff}. */
    final int colour;
    /** {@code kmem_cache_debug}: objects one at a time under the node's lock, no array caches. */
    final boolean debug;

    /** Tunables ({@code limit}, {@code batchcount}, {@code shared}); changed only with every CPU stopped. */
    int limit;
    int batchcount;
    int shared;
    /** The per-CPU arrays ({@code cpu_cache}). */
    ArrayCache[] array;
    /** The nodes ({@code node[]}). */
    final KmemCacheNode[] node;
    /** {@link SlabStat} counters per CPU. */
    final long[][] stat;

    KmemCacheSlab(String name, SlabGeometry g, ObjectConstructor ctor, int cpus, int nodes) {
        super(name, g, ctor);
        this.num = g.objects();
        this.colourOff = Math.max(SlabGeometry.CACHE_LINE_SIZE, g.align());
        long leftOver = (Machine.PAGE_SIZE << g.order()) - (long) g.objects() * g.size();
        this.colour = (int) (leftOver / colourOff);
        this.debug = g.debug();
        this.array = new ArrayCache[cpus];
        this.node = new KmemCacheNode[nodes];
        for (int i = 0; i < nodes; i++) {
            node[i] = new KmemCacheNode();
        }
        this.stat = new long[cpus][SlabStat.NR];
    }

    /** Counts an event on a CPU. */
    void stat(int cpu, SlabStat si) {
        stat[cpu][si.ordinal()]++;
    }

    /** Adds to a counter of a CPU. */
    void stat(int cpu, SlabStat si, long n) {
        stat[cpu][si.ordinal()] += n;
    }

    @Override
    public long nrSlabs() {
        long n = 0;
        for (KmemCacheNode kn : node) {
            synchronized (kn) {
                n += kn.totalSlabs;
            }
        }
        return n;
    }

    @Override
    public long totalObjects() {
        long n = 0;
        for (KmemCacheNode kn : node) {
            synchronized (kn) {
                n += kn.totalObjects;
            }
        }
        return n;
    }
}

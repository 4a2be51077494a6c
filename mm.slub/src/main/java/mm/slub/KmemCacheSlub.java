package mm.slub;

import mm.api.slab.ObjectConstructor;
import mm.core.slab.SlabCache;
import mm.core.slab.SlabGeometry;

/**
 * A SLUB cache ({@code struct kmem_cache}): the geometry, one {@link KmemCacheCpu} per CPU and
 * one {@link KmemCacheNode} per node.
 */
final class KmemCacheSlub extends SlabCache {

    final KmemCacheCpu[] cpuSlab;
    final KmemCacheNode[] node;
    /** {@code kmem_cache_has_cpu_partial}. */
    final boolean hasCpuPartial;
    /** {@code kmem_cache_debug}. */
    final boolean debug;

    KmemCacheSlub(String name, SlabGeometry g, ObjectConstructor ctor, int cpus, int nodes) {
        super(name, g, ctor);
        this.cpuSlab = new KmemCacheCpu[cpus];
        for (int i = 0; i < cpus; i++) {
            cpuSlab[i] = new KmemCacheCpu();
        }
        this.node = new KmemCacheNode[nodes];
        for (int i = 0; i < nodes; i++) {
            node[i] = new KmemCacheNode();
        }
        this.debug = g.debug();
        this.hasCpuPartial = g.cpuPartial() > 0;
    }

    /** Counts an event on a CPU ({@code stat}). */
    void stat(int cpu, SlubStat si) {
        cpuSlab[cpu].stat[si.ordinal()]++;
    }

    @Override
    public long nrSlabs() {
        return sumNodes(n -> n.nrSlabs);
    }

    @Override
    public long totalObjects() {
        return sumNodes(n -> n.totalObjects);
    }

    /** A node count summed over the nodes, each read under its list lock. */
    private long sumNodes(java.util.function.ToLongFunction<KmemCacheNode> count) {
        long sum = 0;
        for (KmemCacheNode kn : node) {
            synchronized (kn) {
                sum += count.applyAsLong(kn);
            }
        }
        return sum;
    }
}

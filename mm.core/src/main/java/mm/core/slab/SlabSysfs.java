package mm.core.slab;

import java.util.Map;
import java.util.TreeMap;
import mm.api.slab.SlabFlags;

/**
 * The files of {@code /sys/kernel/slab/NAME/} ({@code slab_attrs}, mm/slub.c): geometry values as
 * plain numbers; object and slab counts as {@code show_slab_objects} prints them, the total then
 * {@code  N<node>=<count>} for each node with a count on NUMA machines; each statistic as
 * {@code show_stat} prints it, the total then {@code  C<cpu>=<count>} for each CPU with a count.
 */
public final class SlabSysfs {

    private SlabSysfs() {
    }

    /** The files of a cache. */
    public static Map<String, String> files(SlabCache c, Map<String, long[]> stats, long[] partialPerNode, long[] inUsePerNode, int nodes) {
        SlabGeometry g = c.geometry();
        Map<String, String> f = new TreeMap<>();
        f.put("object_size", Integer.toString(g.objectSize()));
        f.put("slab_size", Integer.toString(g.size()));
        f.put("objs_per_slab", Integer.toString(g.objects()));
        f.put("order", Integer.toString(g.order()));
        f.put("align", Integer.toString(g.align()));
        f.put("min_partial", Integer.toString(g.minPartial()));
        f.put("cpu_partial", Integer.toString(g.cpuPartial()));
        f.put("red_zone", flag(g, SlabFlags.SLAB_RED_ZONE));
        f.put("poison", flag(g, SlabFlags.SLAB_POISON));
        f.put("store_user", flag(g, SlabFlags.SLAB_STORE_USER));
        f.put("sanity_checks", flag(g, SlabFlags.SLAB_CONSISTENCY_CHECKS));
        f.put("trace", flag(g, SlabFlags.SLAB_TRACE));
        f.put("reclaim_account", flag(g, SlabFlags.SLAB_RECLAIM_ACCOUNT));
        f.put("hwcache_align", flag(g, SlabFlags.SLAB_HWCACHE_ALIGN));
        f.put("cache_dma", flag(g, SlabFlags.SLAB_CACHE_DMA));
        f.put("destroy_by_rcu", flag(g, SlabFlags.SLAB_TYPESAFE_BY_RCU));
        f.put("ctor", c.ctor() != null ? "ctor+0x0/0x0" : "");
        f.put("objects", perNode(inUsePerNode, nodes));
        f.put("partial", perNode(partialPerNode, nodes));
        f.put("slabs", Long.toString(c.nrSlabs()));
        f.put("total_objects", Long.toString(c.totalObjects()));
        stats.forEach((name, perCpu) -> f.put(name, perCpu(perCpu)));
        return f;
    }

    private static String flag(SlabGeometry g, long flag) {
        return g.has(flag) ? "1" : "0";
    }

    /** {@code show_slab_objects}: the total, then each node's count when there is more than one node. */
    static String perNode(long[] v, int nodes) {
        long sum = 0;
        for (long x : v) {
            sum += x;
        }
        StringBuilder sb = new StringBuilder(Long.toString(sum));
        if (nodes > 1) {
            for (int n = 0; n < v.length; n++) {
                if (v[n] != 0) {
                    sb.append(" N").append(n).append('=').append(v[n]);
                }
            }
        }
        return sb.toString();
    }

    /** {@code show_stat}: the total, then each CPU with a count. */
    static String perCpu(long[] v) {
        long sum = 0;
        for (long x : v) {
            sum += x;
        }
        StringBuilder sb = new StringBuilder(Long.toString(sum));
        for (int cpu = 0; cpu < v.length; cpu++) {
            if (v[cpu] != 0) {
                sb.append(" C").append(cpu).append('=').append(v[cpu]);
            }
        }
        return sb.toString();
    }
}

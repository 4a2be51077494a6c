package mm.console.slab;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import mm.api.slab.KmemCache;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;
import mm.console.proc.Seq;

/**
 * {@code mm:slab CACHE}: a cache's geometry (the fields of {@code struct kmem_cache} under the
 * names /sys/kernel/slab/ gives them), its counts, the implementation's own view of its slabs and
 * per-CPU state, and its statistics.
 */
public final class SlabDescribeFormatter {

    private SlabDescribeFormatter() {
    }

    /**
     * One line for {@code mm:kmem_cache_create}: {@code foo: object_size 100, size 104, align 8,
     * order 0 (1 page), 39 objects per slab, flags 0}.
     */
    public static String geometry(KmemCache c) {
        return String.format(Locale.ROOT, "%s: object_size %d, size %d, align %d, order %d (%s), %d objects per slab, flags %s",
                c.name(), c.objectSize(), c.size(), c.align(), c.order(), pages(c.order()), c.objectsPerSlab(),
                SlabFlags.format(c.flags()));
    }

    /**
     * The whole description: geometry and counts as {@code name value} lines, a blank line, the
     * implementation's lines (if any), a blank line and {@code stats:} with each counter by name
     * (if any).
     */
    public static String format(KmemCache c, SlabInfo info, List<String> describe, Map<String, Long> stats) {
        Seq m = new Seq();
        m.printf("%-15s %s\n", "name", c.name());
        m.printf("%-15s %d\n", "object_size", c.objectSize());
        m.printf("%-15s %d (the stride, metadata included)\n", "size", c.size());
        m.printf("%-15s %d\n", "align", c.align());
        m.printf("%-15s %d (%s per slab)\n", "order", c.order(), pages(c.order()));
        m.printf("%-15s %d\n", "objs_per_slab", c.objectsPerSlab());
        m.printf("%-15s %s\n", "flags", SlabFlags.format(c.flags()));
        m.printf("%-15s %d of %d in use\n", "objects", info.activeObjs(), info.numObjs());
        m.printf("%-15s %d\n", "slabs", info.numSlabs());
        if (!describe.isEmpty()) {
            m.putc('\n');
            describe.forEach(line -> m.puts(line).putc('\n'));
        }
        if (!stats.isEmpty()) {
            m.puts("\nstats:\n");
            int width = stats.keySet().stream().mapToInt(String::length).max().orElse(0);
            new TreeMap<>(stats).forEach((k, v) -> m.printf("  %-" + width + "s %d\n", k, v));
        }
        return m.toString();
    }

    private static String pages(int order) {
        return (1 << order) + (order == 0 ? " page" : " pages");
    }
}

package mm.console.slab;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import mm.api.machine.Machine;
import mm.api.slab.SlabInfo;
import mm.console.proc.Seq;

/**
 * One screen of procps' {@code slabtop -o -s c}: the summary of every cache, then the caches with
 * the most memory, as src/slabtop.c prints them from the numbers library/slabinfo.c derives from
 * /proc/slabinfo.
 */
public final class SlabtopFormatter {

    /** The rows shown when not told otherwise. */
    public static final int DEFAULT_ROWS = 20;

    /** The table's heading, {@code "%-78s"} in slabtop. */
    static final String HEADING = "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME";

    private SlabtopFormatter() {
    }

    /** A cache's memory: {@code nr_slabs * pages_per_slab * page_size} (slabinfo.c's {@code cache_size}). */
    static long cacheSize(SlabInfo s) {
        return s.numSlabs() * s.pagesPerSlab() * Machine.PAGE_SIZE;
    }

    /** The USE column: {@code (unsigned)(100 * ((float)active / total))}, 0 for a cache without objects. */
    static int use(SlabInfo s) {
        return s.numObjs() == 0 ? 0 : (int) (100 * ((float) s.activeObjs() / s.numObjs()));
    }

    /**
     * The summary lines, a blank line, the heading, and at most {@code maxRows} caches by cache size,
     * largest first (ties by name).
     */
    public static String format(List<SlabInfo> caches, int maxRows) {
        long objs = 0;
        long activeObjs = 0;
        long slabs = 0;
        long activeSlabs = 0;
        int activeCaches = 0;
        long totalSize = 0;
        long activeSize = 0;
        long minObj = Long.MAX_VALUE;
        long maxObj = 0;
        for (SlabInfo s : caches) {
            objs += s.numObjs();
            activeObjs += s.activeObjs();
            slabs += s.numSlabs();
            activeSlabs += s.activeSlabs();
            activeCaches += s.numObjs() > 0 ? 1 : 0;
            totalSize += s.numObjs() * s.objSize();
            activeSize += s.activeObjs() * s.objSize();
            minObj = Math.min(minObj, s.objSize());
            maxObj = Math.max(maxObj, s.objSize());
        }
        long avgObj = objs == 0 ? 0 : totalSize / objs;
        if (caches.isEmpty()) {
            minObj = 0;
        }

        Seq m = new Seq();
        m.printf(" %-35s: %d / %d (%s%%)\n", "Active / Total Objects (% used)", activeObjs, objs, percent(activeObjs, objs));
        m.printf(" %-35s: %d / %d (%s%%)\n", "Active / Total Slabs (% used)", activeSlabs, slabs, percent(activeSlabs, slabs));
        m.printf(" %-35s: %d / %d (%s%%)\n", "Active / Total Caches (% used)", activeCaches, caches.size(),
                percent(activeCaches, caches.size()));
        m.printf(" %-35s: %sK / %sK (%s%%)\n", "Active / Total Size (% used)", fixed(activeSize / 1024.0, 2),
                fixed(totalSize / 1024.0, 2), percent(activeSize, totalSize));
        m.printf(" %-35s: %sK / %sK / %sK\n\n", "Minimum / Average / Maximum Object", fixed(minObj / 1024.0, 2),
                fixed(avgObj / 1024.0, 2), fixed(maxObj / 1024.0, 2));
        m.printf("%-78s\n", HEADING);
        caches.stream()
                .sorted(Comparator.comparingLong(SlabtopFormatter::cacheSize).reversed().thenComparing(SlabInfo::name))
                .limit(Math.max(0, maxRows))
                .forEach(s -> m.printf("%6d %6d %3d%% %7sK %6d %8d %9dK %-23s\n", s.numObjs(), s.activeObjs(), use(s),
                        fixed(s.objSize() / 1024.0, 2), s.numSlabs(), s.objPerSlab(), cacheSize(s) / 1024, s.name()));
        return m.toString();
    }

    /** {@code "%.1f"} of {@code 100.0 * part / whole}; 0.0 where slabtop would divide by zero. */
    private static String percent(long part, long whole) {
        return fixed(whole == 0 ? 0 : 100.0 * part / whole, 1);
    }

    /**
     * C's {@code "%.Nf"}: the double's exact binary value rounded half to even, so that 0.125
     * prints as 0.12 as glibc prints it (Java's Formatter rounds half up: 0.13).
     */
    static String fixed(double v, int decimals) {
        return new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
    }
}

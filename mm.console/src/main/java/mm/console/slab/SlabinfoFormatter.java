package mm.console.slab;

import java.util.List;
import mm.api.slab.SlabInfo;
import mm.console.proc.Seq;

/** /proc/slabinfo, version 2.1, as {@code slab_show} (mm/slab_common.c) prints it for SLUB. */
public final class SlabinfoFormatter {

    /** The first header line ({@code print_slabinfo_header}). */
    public static final String VERSION_LINE = "slabinfo - version: 2.1";

    /** The second header line: the columns. */
    public static final String COLUMNS_LINE = "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>"
            + " : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>";

    private SlabinfoFormatter() {
    }

    /**
     * The header, then a row per cache in the order given (the kernel's: {@code slab_caches}, newest
     * first), each as {@code cache_show} prints it: {@code "%-17s %6lu %6lu %6u %4u %4d"},
     * {@code " : tunables %4u %4u %4u"} (0 0 0: SLUB has no tunables; SLAB's limit, batchcount,
     * shared) and {@code " : slabdata %6lu %6lu %6lu"}. The header is printed with the first
     * row, so no cache means no text, as in the kernel.
     */
    public static String format(List<SlabInfo> rows) {
        Seq m = new Seq();
        boolean first = true;
        for (SlabInfo s : rows) {
            if (first) {
                m.puts(VERSION_LINE).putc('\n').puts(COLUMNS_LINE).putc('\n');
                first = false;
            }
            m.printf("%-17s %6d %6d %6d %4d %4d", s.name(), s.activeObjs(), s.numObjs(), s.objSize(), s.objPerSlab(),
                    s.pagesPerSlab());
            m.printf(" : tunables %4d %4d %4d", s.limit(), s.batchcount(), s.sharedfactor());
            m.printf(" : slabdata %6d %6d %6d", s.activeSlabs(), s.numSlabs(), s.sharedAvail());
            m.putc('\n');
        }
        return m.toString();
    }
}

package mm.replay;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Zone;

/**
 * The unusable free space index of a zone for an order, exactly as the kernel computes it for
 * {@code /sys/kernel/debug/extfrag/unusable_index}: mm/vmstat.c, {@code fill_contig_page_info} and
 * {@code unusable_free_index}. free_pages = Σ nr_free[o] &lt;&lt; o over all orders;
 * free_blocks_suitable = Σ nr_free[o] &lt;&lt; (o - order) over o &ge; order; the index is
 * (free_pages - (free_blocks_suitable &lt;&lt; order)) * 1000 / free_pages (integer division), and 1000 when
 * the zone has no free page. 0 means every free page is in a block of at least the order, 1000
 * that none is. The kernel prints it as {@code %d.%03d}.
 */
public final class Fragmentation {

    private Fragmentation() {
    }

    /** The index in thousandths, 0 to 1000. */
    public static int unusableFreeIndex(FrameAllocator frames, Zone zone, int order) {
        long freePages = 0;
        long suitable = 0;
        for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            long blocks = frames.nrFree(zone, o);
            freePages += blocks << o;
            if (o >= order) {
                suitable += blocks << (o - order);
            }
        }
        return unusableFreeIndex(freePages, suitable, order);
    }

    /** The formula alone (mm/vmstat.c unusable_free_index). */
    public static int unusableFreeIndex(long freePages, long freeBlocksSuitable, int order) {
        if (freePages == 0) {
            return 1000;
        }
        return (int) ((freePages - (freeBlocksSuitable << order)) * 1000L / freePages);
    }

    /** As the kernel prints it: {@code 0.123}. */
    public static String format(int thousandths) {
        return thousandths / 1000 + "." + String.format("%03d", thousandths % 1000);
    }
}

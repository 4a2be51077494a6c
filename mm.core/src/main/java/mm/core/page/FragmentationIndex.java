package mm.core.page;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Zone;

/**
 * The kernel's two external fragmentation measures (mm/vmstat.c), as the debugfs files
 * {@code extfrag/extfrag_index} and {@code extfrag/unusable_index} and compaction use them.
 *
 * <p>{@code fill_contig_page_info} sums a zone's {@code free_area[o].nr_free} over every order o:
 * free_blocks_total = &Sigma; nr_free[o]; free_pages = &Sigma; nr_free[o] &lt;&lt; o;
 * free_blocks_suitable = &Sigma; nr_free[o] &lt;&lt; (o - order) over o &ge; order.
 *
 * <p>{@code unusable_free_index}: the share of free pages that sit in blocks smaller than the
 * order, in thousandths; 1000 when nothing is free.
 *
 * <p>{@code __fragmentation_index}: for a request that would fail (no suitable block), how much the
 * failure is due to fragmentation (towards 1000) rather than to a lack of memory (towards 0):
 * 1000 - (1000 + free_pages * 1000 / requested) / free_blocks_total; -1000 when the request would
 * succeed; 0 when nothing is free.
 *
 * <p>Both print as {@code %d.%03d} of the value divided and remaindered by 1000 (C division).
 * Pure arithmetic: integer division as the kernel's {@code div_u64}.
 */
public final class FragmentationIndex {

    private FragmentationIndex() {
    }

    /** {@code struct contig_page_info}. */
    public record ContigPageInfo(long freePages, long freeBlocksTotal, long freeBlocksSuitable) {
    }

    /** {@code fill_contig_page_info} from free block counts per order ({@code nrFree[o]}). */
    public static ContigPageInfo fillContigPageInfo(long[] nrFree, int suitableOrder) {
        long freePages = 0;
        long total = 0;
        long suitable = 0;
        for (int o = 0; o < nrFree.length; o++) {
            long blocks = nrFree[o];
            total += blocks;
            freePages += blocks << o;
            if (o >= suitableOrder) {
                suitable += blocks << (o - suitableOrder);
            }
        }
        return new ContigPageInfo(freePages, total, suitable);
    }

    /** A zone's {@code free_area[o].nr_free} for every order, as the allocator reports them. */
    public static long[] nrFree(FrameAllocator frames, Zone zone) {
        long[] n = new long[FrameAllocator.NR_PAGE_ORDERS];
        for (int o = 0; o < n.length; o++) {
            n[o] = frames.nrFree(zone, o);
        }
        return n;
    }

    /** {@code unusable_free_index}, in thousandths: 0 to 1000. */
    public static int unusableFreeIndex(int order, ContigPageInfo info) {
        if (info.freePages() == 0) {
            return 1000;
        }
        return (int) ((info.freePages() - (info.freeBlocksSuitable() << order)) * 1000L / info.freePages());
    }

    /** {@code __fragmentation_index}, in thousandths: -1000, or 0 to 1000. */
    public static int fragmentationIndex(int order, ContigPageInfo info) {
        long requested = 1L << order;
        if (order > FrameAllocator.MAX_PAGE_ORDER) {
            return 0;
        }
        if (info.freeBlocksTotal() == 0) {
            return 0;
        }
        if (info.freeBlocksSuitable() != 0) {
            return -1000;
        }
        return (int) (1000 - (1000 + info.freePages() * 1000L / requested) / info.freeBlocksTotal());
    }

    /** {@code unusable_free_index} of a zone for an order, from the allocator's free counts. */
    public static int unusableFreeIndex(FrameAllocator frames, Zone zone, int order) {
        return unusableFreeIndex(order, fillContigPageInfo(nrFree(frames, zone), order));
    }

    /** {@code fragmentation_index(zone, order)}: the index from the allocator's free counts. */
    public static int fragmentationIndex(FrameAllocator frames, Zone zone, int order) {
        return fragmentationIndex(order, fillContigPageInfo(nrFree(frames, zone), order));
    }

    /** As the kernel prints it, {@code "%d.%03d"} of index / 1000 and index % 1000: {@code 0.666}, {@code -1.000}. */
    public static String format(int index) {
        return String.format("%d.%03d", index / 1000, index % 1000);
    }
}

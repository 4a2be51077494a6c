package mm.core.page;

import mm.api.frame.FrameAllocator;
import mm.api.machine.MigrateType;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;

/**
 * The watermark checks of mm/page_alloc.c: {@code __zone_watermark_unusable_free},
 * {@code __zone_watermark_ok} and {@code zone_watermark_fast}.
 */
public final class WatermarkCheck {

    private WatermarkCheck() {
    }

    /** What an allocator reports about a zone's free blocks, for the high-order part of the check. */
    public interface FreeBlocks {
        /** Free blocks of this order and migratetype in the zone. */
        long nrFree(Zone zone, int order, int migratetype);

        /** Free pages in the high-order atomic reserve ({@code zone->nr_free_highatomic}). */
        long nrFreeHighatomic(Zone zone);
    }

    /**
     * {@code __zone_watermark_unusable_free}: pages the request cannot count on: all but one page of
     * the block, and the high-atomic reserve unless the caller may use reserves.
     */
    static long unusableFree(Zone z, int order, int allocFlags, FreeBlocks blocks) {
        long unusable = (1L << order) - 1;
        if ((allocFlags & AllocFlags.ALLOC_RESERVES) == 0) {
            unusable += blocks.nrFreeHighatomic(z);
        }
        return unusable;
    }

    /**
     * {@code __zone_watermark_ok}: true if, after setting aside what the request cannot use, free
     * pages stay above the mark (lowered for reserve users: by half for ALLOC_MIN_RESERVE, a further
     * quarter for ALLOC_NON_BLOCK, half again for ALLOC_OOM) plus the lowmem reserve for the
     * request's highest zone; for order &gt; 0 a block of at least that order must also be free in a
     * list the request may use.
     */
    public static boolean zoneWatermarkOk(Zone z, int order, long mark, int highestZoneIdx, int allocFlags, long freePagesIn,
            FreeBlocks blocks) {
        long min = mark;
        long freePages = freePagesIn - unusableFree(z, order, allocFlags, blocks);
        if ((allocFlags & AllocFlags.ALLOC_RESERVES) != 0) {
            if ((allocFlags & AllocFlags.ALLOC_MIN_RESERVE) != 0) {
                min -= min / 2;
                if ((allocFlags & AllocFlags.ALLOC_NON_BLOCK) != 0) {
                    min -= min / 4;
                }
            }
            if ((allocFlags & AllocFlags.ALLOC_OOM) != 0) {
                min -= min / 2;
            }
        }
        if (freePages <= min + z.lowmemReserve(highestZoneIdx)) {
            return false;
        }
        if (order == 0) {
            return true;
        }
        for (int o = order; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            for (int mt = 0; mt < MigrateType.MIGRATE_PCPTYPES; mt++) {
                if (blocks.nrFree(z, o, mt) > 0) {
                    return true;
                }
            }
            if ((allocFlags & (AllocFlags.ALLOC_HIGHATOMIC | AllocFlags.ALLOC_OOM)) != 0
                    && blocks.nrFree(z, o, MigrateType.HIGHATOMIC.ordinal()) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code zone_watermark_fast}: a quick order-0 test, then the full check, then for order-0
     * __GFP_HIGH requests at the min watermark a retry that ignores the boost.
     */
    public static boolean zoneWatermarkFast(Zone z, int order, long mark, int highestZoneIdx, int allocFlags,
            FreeBlocks blocks) {
        long freePages = z.state(ZoneStat.NR_FREE_PAGES);
        if (order == 0) {
            long usable = freePages;
            long reserved = unusableFree(z, 0, allocFlags, blocks);
            usable -= Math.min(usable, reserved);
            if (usable > mark + z.lowmemReserve(highestZoneIdx)) {
                return true;
            }
        }
        if (zoneWatermarkOk(z, order, mark, highestZoneIdx, allocFlags, freePages, blocks)) {
            return true;
        }
        if (order == 0 && (allocFlags & AllocFlags.ALLOC_MIN_RESERVE) != 0 && z.watermarkBoost() != 0
                && (allocFlags & AllocFlags.ALLOC_WMARK_MASK) == AllocFlags.ALLOC_WMARK_MIN) {
            return zoneWatermarkOk(z, order, z.rawWatermark(Watermark.MIN), highestZoneIdx, allocFlags, freePages, blocks);
        }
        return false;
    }
}

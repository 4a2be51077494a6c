package mm.buddy;

import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;

/**
 * Returning blocks to a zone's free lists (mm/page_alloc.c): {@code split_large_buddy} and
 * {@code __free_one_page}, which merges a block with its buddy ({@code pfn ^ (1 << order)}) for as
 * long as the buddy is a free block of the same order in the same zone, and
 * {@code buddy_merge_likely}, which puts a block at the tail of its list when its parent's buddy
 * is free (so it has a chance to merge before being handed out). Called with the zone's lock held.
 */
final class FreeOnePage {

    private static final int MAX_PAGE_ORDER = FrameAllocator.MAX_PAGE_ORDER;
    private static final int PAGEBLOCK_ORDER = Machine.PAGEBLOCK_ORDER;

    private final FrameTable ft;

    FreeOnePage(FrameTable ft) {
        this.ft = ft;
    }

    /** {@code split_large_buddy}: a block above pageblock order is freed pageblock by pageblock, each with its own type. */
    void splitLargeBuddy(FreeArea area, long pfn, int order, boolean toTail) {
        long end = pfn + (1L << order);
        int o = Math.min(order, PAGEBLOCK_ORDER);
        while (pfn < end) {
            int mt = ft.pageblockMigratetype(pfn);
            freeOnePage(area, pfn, o, mt, toTail);
            pfn += 1L << o;
        }
    }


    /**
     * {@code page_is_buddy}: the buddy frame heads a free block of the same order in the same zone
     * (the same node and zone fields of the flags word).
     */
    boolean pageIsBuddy(long pfn, long buddyPfn, int order) {
        if (!ft.pfnValid(buddyPfn)) {
            return false;
        }
        int buddyFlags = ft.flags(buddyPfn);
        if ((buddyFlags & (1 << PageFlags.PG_buddy)) == 0 || ft.order(buddyPfn) != order) {
            return false;
        }
        return ft.zoneIndex(buddyPfn) == ft.zoneIndex(pfn) && ft.nid(buddyPfn) == ft.nid(pfn);
    }

    /** {@code __free_one_page}. */
    void freeOnePage(FreeArea area, long pfnIn, int orderIn, int migratetype, boolean fpiToTail) {
        long pfn = pfnIn;
        int order = orderIn;
        long buddyPfn = 0;
        area.accountFreepages(1L << order, migratetype);
        while (order < MAX_PAGE_ORDER) {
            buddyPfn = pfn ^ (1L << order);
            if (!pageIsBuddy(pfn, buddyPfn, order)) {
                break;
            }
            int buddyMt = migratetype;
            if (order >= PAGEBLOCK_ORDER) {
                buddyMt = ft.pageblockMigratetype(buddyPfn);
                if (migratetype != buddyMt && (!MigrateType.isMergeable(migratetype) || !MigrateType.isMergeable(buddyMt))) {
                    break;
                }
            }
            area.delPageFromFreeList(buddyPfn, order, buddyMt);
            if (buddyMt != migratetype) {
                ft.setPageblockMigratetype(buddyPfn, migratetype);
            }
            pfn = buddyPfn & pfn;
            order++;
        }
        boolean toTail = fpiToTail || buddyMergeLikely(pfn, buddyPfn, order);
        area.addToFreeList(pfn, order, migratetype, toTail);
    }

    /**
     * {@code buddy_merge_likely}: the block's buddy was not free, but if the buddy of the block one
     * order up is, this block will probably merge soon: put it at the tail.
     */
    boolean buddyMergeLikely(long pfn, long buddyPfn, int order) {
        if (order >= MAX_PAGE_ORDER - 1) {
            return false;
        }
        long higher = buddyPfn & pfn;
        return pageIsBuddy(higher, higher ^ (1L << (order + 1)), order + 1);
    }
}

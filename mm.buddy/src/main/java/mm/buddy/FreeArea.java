package mm.buddy;

import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;

/**
 * A zone's {@code free_area[NR_PAGE_ORDERS]}, each with {@code free_list[MIGRATE_TYPES]} and
 * {@code nr_free} (include/linux/mmzone.h). The lists are doubly linked through the frame table's
 * list words of their head frames ({@code page->buddy_list}); this object holds only the list
 * heads, tails and counts. Its monitor is the zone's {@code zone->lock}.
 */
final class FreeArea {

    static final int NO = FrameTable.NO_PFN;
    private static final int MT = MigrateType.MIGRATE_TYPES;
    private static final int ISOLATE = MigrateType.ISOLATE.ordinal();
    private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

    final Zone zone;
    private final FrameTable ft;
    private final int[] head = new int[FrameAllocator.NR_PAGE_ORDERS * MT];
    private final int[] tail = new int[FrameAllocator.NR_PAGE_ORDERS * MT];
    private final long[] count = new long[FrameAllocator.NR_PAGE_ORDERS * MT];
    private final long[] nrFree = new long[FrameAllocator.NR_PAGE_ORDERS];
    /** {@code zone->nr_free_highatomic}. */
    long nrFreeHighatomic;
    /** {@code zone->nr_reserved_highatomic}: pages of the zone's MIGRATE_HIGHATOMIC pageblocks, free or not. */
    long nrReservedHighatomic;

    FreeArea(Zone zone, FrameTable ft) {
        this.zone = zone;
        this.ft = ft;
        reset();
    }

    void reset() {
        java.util.Arrays.fill(head, NO);
        java.util.Arrays.fill(tail, NO);
        java.util.Arrays.fill(count, 0);
        java.util.Arrays.fill(nrFree, 0);
        nrFreeHighatomic = 0;
        nrReservedHighatomic = 0;
    }

    /** {@code free_area[order].nr_free}. */
    long nrFree(int order) {
        return nrFree[order];
    }

    /** The length of {@code free_area[order].free_list[mt]}. */
    long count(int order, int mt) {
        return count[order * MT + mt];
    }

    /** {@code get_page_from_free_area}: the first block of a list, or {@link #NO}. */
    int first(int order, int mt) {
        return head[order * MT + mt];
    }

    /** The block after {@code pfn} on its list, or {@link #NO}. */
    int next(long pfn) {
        return ft.listNext(pfn);
    }

    /**
     * {@code set_buddy_order} + {@code __add_to_free_list}: marks the frame as a free block head of
     * this order and links it at the head of the list, or at the tail.
     */
    void addToFreeList(long pfn, int order, int mt, boolean toTail) {
        int i = order * MT + mt;
        int p = (int) pfn;
        ft.set(pfn, PageFlags.PG_buddy);
        ft.setOrder(pfn, order);
        if (toTail) {
            int t = tail[i];
            ft.setListLinks(pfn, NO, t);
            if (t == NO) {
                head[i] = p;
            } else {
                ft.setListNext(t, p);
            }
            tail[i] = p;
        } else {
            int h = head[i];
            ft.setListLinks(pfn, h, NO);
            if (h == NO) {
                tail[i] = p;
            } else {
                ft.setListPrev(h, p);
            }
            head[i] = p;
        }
        count[i]++;
        nrFree[order]++;
        if (order >= Machine.PAGEBLOCK_ORDER && mt != ISOLATE) {
            zone.modState(ZoneStat.NR_FREE_PAGES_BLOCKS, 1L << order);
        }
    }

    /**
     * {@code __del_page_from_free_list}: unlinks the block and clears PG_buddy and the order; the
     * list words read as count 0 and private 0 again.
     */
    void delPageFromFreeList(long pfn, int order, int mt) {
        unlink(pfn, order * MT + mt);
        ft.clear(pfn, PageFlags.PG_buddy);
        ft.setOrder(pfn, 0);
        ft.setListLinks(pfn, 0, 0);
        count[order * MT + mt]--;
        nrFree[order]--;
        if (order >= Machine.PAGEBLOCK_ORDER && mt != ISOLATE) {
            zone.modState(ZoneStat.NR_FREE_PAGES_BLOCKS, -(1L << order));
        }
    }

    private void unlink(long pfn, int i) {
        int next = ft.listNext(pfn);
        int prev = ft.listPrev(pfn);
        if (prev == NO) {
            head[i] = next;
        } else {
            ft.setListNext(prev, next);
        }
        if (next == NO) {
            tail[i] = prev;
        } else {
            ft.setListPrev(next, prev);
        }
    }

    /**
     * {@code move_to_free_list}: moves a block to the tail of another migratetype's list of the same
     * order, moving its pages between the types' accounting.
     */
    void moveToFreeList(long pfn, int order, int oldMt, int newMt) {
        unlink(pfn, order * MT + oldMt);
        count[order * MT + oldMt]--;
        nrFree[order]--;
        int i = order * MT + newMt;
        int t = tail[i];
        ft.setListLinks(pfn, NO, t);
        if (t == NO) {
            head[i] = (int) pfn;
        } else {
            ft.setListNext(t, (int) pfn);
        }
        tail[i] = (int) pfn;
        count[i]++;
        nrFree[order]++;
        if (order >= Machine.PAGEBLOCK_ORDER && (oldMt == ISOLATE) != (newMt == ISOLATE)) {
            zone.modState(ZoneStat.NR_FREE_PAGES_BLOCKS, newMt == ISOLATE ? -(1L << order) : 1L << order);
        }
        accountFreepages(-(1L << order), oldMt);
        accountFreepages(1L << order, newMt);
    }

    /**
     * {@code account_freepages}: free pages of every type but MIGRATE_ISOLATE count in
     * NR_FREE_PAGES; those of MIGRATE_HIGHATOMIC also in {@code nr_free_highatomic}.
     */
    void accountFreepages(long nrPages, int mt) {
        if (mt == ISOLATE) {
            return;
        }
        zone.modState(ZoneStat.NR_FREE_PAGES, nrPages);
        if (mt == HIGHATOMIC) {
            nrFreeHighatomic += nrPages;
        }
    }
}

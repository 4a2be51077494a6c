package mm.buddy;

import java.util.Arrays;
import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;

/**
 * One CPU's page lists for one zone ({@code struct per_cpu_pages}, include/linux/mmzone.h): free
 * blocks of orders 0 to 3 (and THP's pageblock order) kept back from the zone, one list per order
 * and migratetype, linked through the frame table like the zone's free lists. {@code count} is in
 * pages. Only calls running on the CPU touch them, with its gate held (mm.core's {@code CpuGates},
 * the kernel's {@code pcp_spin_lock} with preemption disabled); a drain takes every gate.
 */
final class PerCpuPages {

    /** NR_LOWORDER_PCP_LISTS: MIGRATE_PCPTYPES lists for each order up to PAGE_ALLOC_COSTLY_ORDER. */
    static final int NR_LOWORDER_PCP_LISTS = MigrateType.MIGRATE_PCPTYPES * (FrameAllocator.PAGE_ALLOC_COSTLY_ORDER + 1);
    /** NR_PCP_THP: two lists for PMD-sized blocks, movable and not. */
    static final int NR_PCP_THP = 2;
    /** NR_PCP_LISTS. */
    static final int NR_PCP_LISTS = NR_LOWORDER_PCP_LISTS + NR_PCP_THP;
    /** HPAGE_PMD_ORDER. */
    static final int HPAGE_PMD_ORDER = Machine.PAGEBLOCK_ORDER;
    /** PCPF_PREV_FREE_HIGH_ORDER: the previous free was of a high order. */
    static final int PCPF_PREV_FREE_HIGH_ORDER = 1;
    /** PCPF_FREE_HIGH_BATCH: free high-order pages in batches. */
    static final int PCPF_FREE_HIGH_BATCH = 2;

    private static final int NO = FrameTable.NO_PFN;

    private final FrameTable ft;
    private final int[] head = new int[NR_PCP_LISTS];
    private final int[] tail = new int[NR_PCP_LISTS];

    /** Pages on the lists. */
    int count;
    /** The current high mark: above it, frees go back to the zone. 0 until the lists are first used. */
    int high;
    /** PCPF_* flags. */
    int flags;
    /** Batch scaling for consecutive allocations. */
    int allocFactor;
    /** Pages freed in a row; scales batch frees. */
    int freeCount;

    PerCpuPages(FrameTable ft) {
        this.ft = ft;
        Arrays.fill(head, NO);
        Arrays.fill(tail, NO);
    }

    /** {@code order_to_pindex}. */
    static int orderToPindex(int migratetype, int order) {
        if (order > FrameAllocator.PAGE_ALLOC_COSTLY_ORDER) {
            return NR_LOWORDER_PCP_LISTS + (migratetype == MigrateType.MOVABLE.ordinal() ? 1 : 0);
        }
        return MigrateType.MIGRATE_PCPTYPES * order + migratetype;
    }

    /** {@code pindex_to_order}. */
    static int pindexToOrder(int pindex) {
        return pindex >= NR_LOWORDER_PCP_LISTS ? HPAGE_PMD_ORDER : pindex / MigrateType.MIGRATE_PCPTYPES;
    }

    int first(int pindex) {
        return head[pindex];
    }

    int last(int pindex) {
        return tail[pindex];
    }

    boolean empty(int pindex) {
        return head[pindex] == NO;
    }

    /** {@code list_add}: at the head. */
    void addHead(long pfn, int order, int pindex) {
        mark(pfn, order);
        int h = head[pindex];
        ft.setListLinks(pfn, h, NO);
        if (h == NO) {
            tail[pindex] = (int) pfn;
        } else {
            ft.setListPrev(h, (int) pfn);
        }
        head[pindex] = (int) pfn;
    }

    /** {@code list_add_tail}. */
    void addTail(long pfn, int order, int pindex) {
        mark(pfn, order);
        int t = tail[pindex];
        ft.setListLinks(pfn, NO, t);
        if (t == NO) {
            head[pindex] = (int) pfn;
        } else {
            ft.setListNext(t, (int) pfn);
        }
        tail[pindex] = (int) pfn;
    }

    private void mark(long pfn, int order) {
        ft.set(pfn, PageFlags.PG_pcp);
        ft.setOrder(pfn, order);
    }

    /** {@code list_del}: unlinks; the frame's list words read as count 0 and private 0 again. */
    void del(long pfn, int pindex) {
        int next = ft.listNext(pfn);
        int prev = ft.listPrev(pfn);
        if (prev == NO) {
            head[pindex] = next;
        } else {
            ft.setListNext(prev, next);
        }
        if (next == NO) {
            tail[pindex] = prev;
        } else {
            ft.setListPrev(next, prev);
        }
        ft.clear(pfn, PageFlags.PG_pcp);
        ft.setOrder(pfn, 0);
        ft.setListLinks(pfn, 0, 0);
    }

    /** The block after {@code pfn} on its list. */
    int next(long pfn) {
        return ft.listNext(pfn);
    }

    /** Forgets every list (before an adoption). */
    void reset() {
        Arrays.fill(head, NO);
        Arrays.fill(tail, NO);
        count = 0;
        high = 0;
        flags = 0;
        allocFactor = 0;
        freeCount = 0;
    }
}

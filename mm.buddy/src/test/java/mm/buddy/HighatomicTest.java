package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.HIGHATOMIC;
import static mm.buddy.Fixtures.UNMOVABLE;
import static mm.buddy.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MIGRATE_HIGHATOMIC reserve (mm/page_alloc.c, 6.10+): {@code reserve_highatomic_pageblock}
 * after a high-order atomic allocation that needed the slow path, {@code rmqueue_buddy} serving
 * ALLOC_HIGHATOMIC from it, {@code unreserve_highatomic_pageblock} giving it back when an
 * allocation that may reclaim is about to fail. A 1 GiB machine: DMA (3840 managed pages, 1 % is
 * less than a pageblock: never reserves) and DMA32.
 */
class HighatomicTest {

    private MachineImpl m;
    private BuddyAllocator b;
    private Zone dma;
    private Zone dma32;
    private final List<long[]> held = new ArrayList<>();

    /** x86_64, 1 GiB, 2 CPUs: DMA32 manages about 250000 pages, 1 % is five pageblocks. */
    private static final MachineConfig GIB = new MachineConfig(Arch.X86_64, 1L << 30, 2, 1, 0);

    @BeforeEach
    void boot1GiB() {
        m = boot(GIB);
        b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        dma = m.zone(0, ZoneType.DMA);
        dma32 = m.zone(0, ZoneType.DMA32);
    }

    /** GFP_KERNEL order-0 allocations until both zones are at their low watermark: the next request takes the slow path. */
    private void fillToLow() {
        int normal = ZoneType.NORMAL.ordinal();
        long fast = dma32.freePages() - (dma32.watermark(Watermark.LOW) + dma32.lowmemReserve(normal))
                + dma.freePages() - (dma.watermark(Watermark.LOW) + dma.lowmemReserve(normal));
        for (long i = 0; i < fast; i++) {
            long pfn = b.allocPages(Gfp.GFP_KERNEL, 0);
            assertNotEquals(FrameAllocator.NO_PAGE, pfn);
            held.add(new long[] {pfn, 0});
        }
    }

    private long alloc(int gfp, int order) {
        long pfn = b.allocPages(gfp, order);
        if (pfn != FrameAllocator.NO_PAGE) {
            held.add(new long[] {pfn, order});
        }
        return pfn;
    }

    private long highatomicFreeListed(Zone z) {
        long sum = 0;
        for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            sum += b.nrFree(z, o, HIGHATOMIC) << o;
        }
        return sum;
    }

    @Test
    void theLimitIsOnePercentOfTheZoneInWholePageblocks() {
        assertEquals(512, Rmqueue.highatomicLimit(51_200));
        assertEquals(1024, Rmqueue.highatomicLimit(51_300));
        assertEquals(1024, Rmqueue.highatomicLimit(102_400));
        assertEquals(1536, Rmqueue.highatomicLimit(102_500));
    }

    @Test
    void anAtomicHighOrderAllocationInTheSlowPathReservesItsPageblock() {
        fillToLow();
        long kswapd = b.kswapdWakeups();

        long pfn = alloc(Gfp.GFP_ATOMIC, 1);

        assertNotEquals(FrameAllocator.NO_PAGE, pfn);
        assertTrue(b.kswapdWakeups() > kswapd, "it went through the slow path");
        assertEquals(dma32, zoneOf(pfn));
        assertEquals(HIGHATOMIC, m.frames().pageblockMigratetype(pfn));
        assertEquals(Machine.PAGEBLOCK_NR_PAGES, b.nrReservedHighatomic(dma32));
        assertEquals(0, b.nrReservedHighatomic(dma));
        // the rest of the pageblock moved to the HighAtomic lists and counts in nr_free_highatomic
        assertTrue(b.nrFreeHighatomic(dma32) > 0);
        assertEquals(highatomicFreeListed(dma32), b.nrFreeHighatomic(dma32));
        assertEquals(List.of(), b.check());

        // the next one is served from the reserve, and reserves nothing more
        long next = alloc(Gfp.GFP_ATOMIC, 1);
        assertEquals(pfn & -Machine.PAGEBLOCK_NR_PAGES, next & -Machine.PAGEBLOCK_NR_PAGES);
        assertEquals(Machine.PAGEBLOCK_NR_PAGES, b.nrReservedHighatomic(dma32));
        assertEquals(List.of(), b.check());
    }

    @Test
    void orderZeroAndNonHighRequestsReserveNothing() {
        fillToLow();
        assertNotEquals(FrameAllocator.NO_PAGE, alloc(Gfp.GFP_ATOMIC, 0));
        // GFP_NOWAIT has no __GFP_HIGH: no ALLOC_HIGHATOMIC (only __GFP_HIGH requests reserve)
        assertNotEquals(FrameAllocator.NO_PAGE, alloc(Gfp.GFP_NOWAIT, 2));
        assertEquals(0, b.nrReservedHighatomic(dma32));
        assertEquals(0, b.nrReservedHighatomic(dma));
    }

    @Test
    void theReserveGrowsToItsLimitAndNoFurther() {
        fillToLow();
        long limit = Rmqueue.highatomicLimit(dma32.managedPages());
        assertTrue(limit >= 2 * Machine.PAGEBLOCK_NR_PAGES, "DMA32 of 1 GiB reserves two pageblocks or more");
        long most = 0;
        for (int i = 0; i < 20_000; i++) {
            if (alloc(Gfp.GFP_ATOMIC, 1) == FrameAllocator.NO_PAGE) {
                break;
            }
            most = Math.max(most, b.nrReservedHighatomic(dma32));
            assertTrue(b.nrReservedHighatomic(dma32) <= limit);
        }
        // atomic requests run out of memory (3/8 of min) before the reserve is full: each took another pageblock
        assertTrue(most >= 2 * Machine.PAGEBLOCK_NR_PAGES && most < limit, Long.toString(most));
        assertEquals(most, b.highatomicPageblockPages(dma32));
        assertEquals(List.of(), b.check());
        for (long[] h : held) {
            b.freePages(h[0], (int) h[1]);
        }
        held.clear();
        assertEquals(List.of(), b.check());

        // reserve_highatomic_pageblock itself, on blocks of pageblock order: up to the limit, not one pageblock more
        for (int i = 0; i < 10; i++) {
            long pfn = alloc(Gfp.GFP_DMA32, Machine.PAGEBLOCK_ORDER);
            b.reserveHighatomicPageblock(pfn, Machine.PAGEBLOCK_ORDER, dma32);
            assertTrue(b.nrReservedHighatomic(dma32) <= limit);
        }
        assertEquals(limit, b.nrReservedHighatomic(dma32));
        assertEquals(limit, b.highatomicPageblockPages(dma32));
        assertEquals(List.of(), b.check());
    }

    @Test
    void aRequestThatMayReclaimTakesTheReserveBackBeforeFailing() {
        fillToLow();
        long pfn = alloc(Gfp.GFP_ATOMIC, 1);
        long block = pfn & -Machine.PAGEBLOCK_NR_PAGES;
        assertEquals(HIGHATOMIC, m.frames().pageblockMigratetype(block));
        long reservedFree = b.nrFreeHighatomic(dma32);
        assertTrue(reservedFree > 0);

        // GFP_KERNEL cannot use the reserve's free pages until the slow path gives the last pageblock back (force)
        while (alloc(Gfp.GFP_KERNEL, 0) != FrameAllocator.NO_PAGE) {
            assertTrue(b.nrFreeHighatomic(dma32) == reservedFree || b.nrReservedHighatomic(dma32) == 0);
        }

        assertEquals(0, b.nrReservedHighatomic(dma32));
        assertEquals(0, b.nrFreeHighatomic(dma32));
        assertEquals(UNMOVABLE, m.frames().pageblockMigratetype(block));
        assertEquals(List.of(), b.check());
    }

    @Test
    void aSuccessorAdoptsTheReserveFromTheFrameTable() {
        fillToLow();
        long pfn = alloc(Gfp.GFP_ATOMIC, 1);
        long free = b.nrFreeHighatomic(dma32);
        String before = pagetypeHighatomic(b);

        b.quiesce();
        BuddyAllocator second = new BuddyAllocator(m, BUDDY_LISTS_ONLY);

        assertEquals(Machine.PAGEBLOCK_NR_PAGES, second.nrReservedHighatomic(dma32));
        assertEquals(free, second.nrFreeHighatomic(dma32));
        assertEquals(before, pagetypeHighatomic(second));
        assertEquals(List.of(), second.check());
        // and it serves the next atomic high-order request from the reserve
        long next = second.allocPages(Gfp.GFP_ATOMIC, 1);
        assertEquals(pfn & -Machine.PAGEBLOCK_NR_PAGES, next & -Machine.PAGEBLOCK_NR_PAGES);
        for (long[] h : held) {
            second.freePages(h[0], (int) h[1]);
        }
        second.freePages(next, 1);
        assertEquals(List.of(), second.check());
        assertEquals(Machine.PAGEBLOCK_NR_PAGES, second.nrReservedHighatomic(dma32));
    }

    /** The HighAtomic row of /proc/pagetypeinfo for DMA32: free blocks per order. */
    private String pagetypeHighatomic(FrameAllocator a) {
        StringBuilder sb = new StringBuilder();
        for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            sb.append(a.nrFree(dma32, o, HIGHATOMIC)).append(' ');
        }
        return sb.toString();
    }

    private Zone zoneOf(long pfn) {
        return dma32.spans(pfn) ? dma32 : dma;
    }
}

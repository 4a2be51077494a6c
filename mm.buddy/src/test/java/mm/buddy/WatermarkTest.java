package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.SMALL;
import static mm.buddy.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import mm.tck.FreeFigures;

/**
 * Watermarks on the small machine (x86_64, 256 MiB: DMA and DMA32, no Normal): where each kind
 * of request stops, computed from the zones' own watermarks and protection the way
 * {@code __zone_watermark_ok} does.
 */
class WatermarkTest {

    private static final int NORMAL = ZoneType.NORMAL.ordinal();
    private static final int DMA = ZoneType.DMA.ordinal();

    private MachineImpl m;
    private BuddyAllocator b;
    private Zone dma;
    private Zone dma32;

    @BeforeEach
    void bootSmall() {
        m = boot(SMALL);
        b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        dma = m.zone(0, ZoneType.DMA);
        dma32 = m.zone(0, ZoneType.DMA32);
        assertEquals(List.of(dma32, dma), m.zonelist(0));
    }

    private static long min(Zone z) {
        return z.rawWatermark(Watermark.MIN);
    }

    /** The mark ALLOC_MIN_RESERVE (__GFP_HIGH) checks against: min -= min / 2. */
    private static long halfMin(Zone z) {
        long min = min(z);
        min -= min / 2;
        return min;
    }

    /** ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK (GFP_ATOMIC): min -= min / 2; min -= min / 4. */
    private static long atomicMin(Zone z) {
        long min = halfMin(z);
        min -= min / 4;
        return min;
    }

    private int count(int gfp) {
        return FreeFigures.fill(b, gfp).size();
    }

    @Test
    void gfpKernelStopsExactlyAtMinPlusProtectionInEachZone() {
        long dma32Low = dma32.watermark(Watermark.LOW) + dma32.lowmemReserve(NORMAL);
        long dmaLow = dma.watermark(Watermark.LOW) + dma.lowmemReserve(NORMAL);
        long dma32Floor = min(dma32) + dma32.lowmemReserve(NORMAL);
        long dmaFloor = min(dma) + dma.lowmemReserve(NORMAL);
        long dma32Boot = dma32.freePages();
        long dmaBoot = dma.freePages();

        // the fast path (low marks) serves everything down to low + protection without waking kswapd
        long fast = dma32Boot - dma32Low + dmaBoot - dmaLow;
        for (long i = 0; i < fast; i++) {
            assertTrue(b.allocPages(Gfp.GFP_KERNEL, 0) != FrameAllocator.NO_PAGE);
        }
        assertEquals(0, b.kswapdWakeups());
        assertEquals(dma32Low, dma32.freePages());
        assertEquals(dmaLow, dma.freePages());

        // the slow path (min marks) serves the rest down to min + protection, waking kswapd each time
        long slow = dma32Low - dma32Floor + dmaLow - dmaFloor;
        for (long i = 0; i < slow; i++) {
            assertTrue(b.allocPages(Gfp.GFP_KERNEL, 0) != FrameAllocator.NO_PAGE, "slow-path allocation " + i);
        }
        assertEquals(slow, b.kswapdWakeups());
        assertEquals(dma32Floor, dma32.freePages());
        assertEquals(dmaFloor, dma.freePages());

        // free == min + protection: the next one fails, and changes nothing
        long failures = b.allocFailures();
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(failures + 1, b.allocFailures());
        assertEquals(dma32Floor, dma32.freePages());
        assertEquals(dmaFloor, dma.freePages());
        assertEquals(slow + 1, b.kswapdWakeups());
        assertEquals(List.of(), b.check());
    }

    @Test
    void aPageFreedAboveTheFloorCanBeAllocatedAgain() {
        List<Long> got = FreeFigures.fill(b, Gfp.GFP_KERNEL);
        long dma32Floor = min(dma32) + dma32.lowmemReserve(NORMAL);
        assertEquals(dma32Floor, dma32.freePages());
        long some = got.stream().filter(dma32::spans).findFirst().orElseThrow();
        b.freePages(some, 0);
        assertEquals(dma32Floor + 1, dma32.freePages());
        assertTrue(dma32.spans(b.allocPages(Gfp.GFP_KERNEL, 0)));
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_KERNEL, 0));
    }

    @Test
    void gfpAtomicMayGoDownToThreeEighthsOfMin() {
        FreeFigures.fill(b, Gfp.GFP_KERNEL);
        long dma32Start = dma32.freePages();
        long dmaStart = dma.freePages();
        long dma32Floor = atomicMin(dma32) + dma32.lowmemReserve(NORMAL);
        long dmaFloor = atomicMin(dma) + dma.lowmemReserve(NORMAL);
        assertEquals(159, atomicMin(dma32), "423 - 211 = 212; 212 - 53 = 159");

        int n = count(Gfp.GFP_ATOMIC);

        assertEquals(dma32Start - dma32Floor + dmaStart - dmaFloor, n);
        assertEquals(dma32Floor, dma32.freePages());
        assertEquals(dmaFloor, dma.freePages());
        // the fragmenting fallback in DMA32 boosted its watermarks; order-0 __GFP_HIGH requests ignore the boost
        assertTrue(dma32.watermarkBoost() > 0);
        assertEquals(List.of(), b.check());
    }

    @Test
    void gfpHighWithDirectReclaimMayGoDownToHalfOfMin() {
        FreeFigures.fill(b, Gfp.GFP_KERNEL);
        long dma32Start = dma32.freePages();
        long dmaStart = dma.freePages();
        long dma32Floor = halfMin(dma32) + dma32.lowmemReserve(NORMAL);
        long dmaFloor = halfMin(dma) + dma.lowmemReserve(NORMAL);

        int n = count(Gfp.GFP_KERNEL | Gfp.__GFP_HIGH);

        assertEquals(dma32Start - dma32Floor + dmaStart - dmaFloor, n);
        assertEquals(dma32Floor, dma32.freePages());
        assertEquals(dmaFloor, dma.freePages());

        // GFP_ATOMIC|__GFP_NOMEMALLOC loses ALLOC_NON_BLOCK: no further than __GFP_HIGH
        assertEquals(0, count(Gfp.GFP_ATOMIC | Gfp.__GFP_NOMEMALLOC));
        // GFP_ATOMIC itself goes on to 3/8
        assertEquals(dma32Floor - (atomicMin(dma32) + dma32.lowmemReserve(NORMAL))
                + dmaFloor - (atomicMin(dma) + dma.lowmemReserve(NORMAL)), count(Gfp.GFP_ATOMIC));
    }

    @Test
    void nonBlockingWithoutHighGetsNoReserve() {
        FreeFigures.fill(b, Gfp.GFP_KERNEL);
        assertEquals(0, count(Gfp.GFP_NOWAIT));
        assertEquals(0, count(Gfp.GFP_KERNEL & ~Gfp.__GFP_DIRECT_RECLAIM));
    }

    @Test
    void memallocIgnoresWatermarksAndNomemallocForbidsIt() {
        FreeFigures.fill(b, Gfp.GFP_KERNEL);
        assertEquals(0, count(Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC | Gfp.__GFP_NOMEMALLOC));
        long left = dma32.freePages() + dma.freePages();

        int n = count(Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC);

        assertEquals(left, n);
        assertEquals(0, dma32.freePages());
        assertEquals(0, dma.freePages());
        assertEquals(List.of(), b.check());
    }

    /** __GFP_NOFAIL gets the half-min try of the slow path's end only when it may reclaim ({@code __alloc_pages_slowpath}, nopage). */
    @Test
    void nofailGetsHalfOfMinOnlyWithDirectReclaim() {
        FreeFigures.fill(b, Gfp.GFP_KERNEL);
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_NOWAIT | Gfp.__GFP_NOFAIL, 0));
        long dma32Floor = halfMin(dma32) + dma32.lowmemReserve(NORMAL);
        long dmaFloor = halfMin(dma) + dma.lowmemReserve(NORMAL);
        long expected = dma32.freePages() - dma32Floor + dma.freePages() - dmaFloor;
        assertEquals(expected, count(Gfp.GFP_KERNEL | Gfp.__GFP_NOFAIL));
        assertEquals(dma32Floor, dma32.freePages());
    }

    /** The small machine's DMA zone filled by GFP_DMA: 33 free pages left, pfn 0x3df (order 0) and 0x3e0 (order 5). */
    private void fillDma() {
        FreeFigures.fill(b, Gfp.GFP_DMA);
        assertEquals(min(dma) + dma.lowmemReserve(DMA), dma.freePages());
        assertEquals(33, dma.freePages());
        assertEquals(List.of(0x3dfL), Fixtures.list(b, dma, 0, Fixtures.UNMOVABLE));
        assertEquals(List.of(0x3e0L), Fixtures.list(b, dma, 5, Fixtures.UNMOVABLE));
    }

    @Test
    void aHighOrderRequestCountsOnlyOnePageOfItsBlockTowardsTheMark() {
        fillDma();
        // order 1: 33 - 1 = 32 is not above min 33, although an order-5 block is free
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_DMA, 1));
        for (long p = 0x100; p < 0x108; p++) {
            b.freePages(p, 0);
        }
        assertEquals(List.of(0x100L), Fixtures.list(b, dma, 3, Fixtures.UNMOVABLE));
        assertEquals(41, dma.freePages());
        // order 3 with 41 free: 41 - 7 = 34 > 33
        assertEquals(0x100, b.allocPages(Gfp.GFP_DMA, 3));
        b.freePages(0x100, 3);
        // one page less: 40 - 7 = 33 is not above 33
        assertEquals(0x3df, b.allocPages(Gfp.GFP_DMA, 0));
        assertEquals(40, dma.freePages());
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_DMA, 3));
        assertEquals(List.of(), b.check());
    }

    @Test
    void aHighOrderRequestNeedsAFreeBlockOfAtLeastItsOrder() {
        fillDma();
        // free every other page of 0x400..0x7ff: 512 free pages, none of them with a free buddy
        for (long p = 0x400; p < 0x800; p += 2) {
            b.freePages(p, 0);
        }
        assertEquals(33 + 512, dma.freePages());
        assertEquals(513, b.nrFree(dma, 0));
        // order 6: plenty of free pages, no block of order 6 or more
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_DMA, 6));
        assertEquals(0x3e0, b.allocPages(Gfp.GFP_DMA, 5));
        // now only order-0 blocks are free
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_DMA, 1));
        assertTrue(dma.spans(b.allocPages(Gfp.GFP_DMA, 0)));
        // a neighbour comes back: an order-1 block, and an order-1 request gets exactly it
        b.freePages(0x401, 0);
        assertEquals(0x400, b.allocPages(Gfp.GFP_DMA, 1));
        assertEquals(List.of(), b.check());
    }
}

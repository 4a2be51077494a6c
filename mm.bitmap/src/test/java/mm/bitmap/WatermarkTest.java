package mm.bitmap;

import static mm.bitmap.Fixtures.SMALL;
import static mm.bitmap.Fixtures.boot;
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
 * Watermarks on the small machine (DMA and DMA32, no Normal): {@code PageAllocatorCore} applies
 * them the same way whichever allocator is under it, and the high-order part of
 * {@code __zone_watermark_ok} works from the bitmap's block counts.
 */
class WatermarkTest {

    private static final int NORMAL = ZoneType.NORMAL.ordinal();
    private static final int DMA = ZoneType.DMA.ordinal();

    private MachineImpl m;
    private BitmapAllocator a;
    private Zone dma;
    private Zone dma32;

    @BeforeEach
    void setUp() {
        m = boot(SMALL);
        a = new BitmapAllocator(m);
        dma = m.zone(0, ZoneType.DMA);
        dma32 = m.zone(0, ZoneType.DMA32);
    }

    @Test
    void gfpKernelStopsExactlyAtMinPlusProtectionInEachZone() {
        long dma32Low = dma32.watermark(Watermark.LOW) + dma32.lowmemReserve(NORMAL);
        long dmaLow = dma.watermark(Watermark.LOW) + dma.lowmemReserve(NORMAL);
        long dma32Floor = dma32.watermark(Watermark.MIN) + dma32.lowmemReserve(NORMAL);
        long dmaFloor = dma.watermark(Watermark.MIN) + dma.lowmemReserve(NORMAL);
        long fast = dma32.freePages() - dma32Low + dma.freePages() - dmaLow;
        long slow = dma32Low - dma32Floor + dmaLow - dmaFloor;

        List<Long> got = FreeFigures.fill(a, Gfp.GFP_KERNEL);

        assertEquals(fast + slow, got.size());
        assertEquals(dma32Floor, dma32.freePages());
        assertEquals(dmaFloor, dma.freePages());
        assertEquals(slow + 1, a.kswapdWakeups(), "every slow-path allocation, and the refused one, woke kswapd");
        // first fit inside each zone: DMA32 from its bottom, then DMA from its bottom
        assertEquals(0x3e00, got.get(0));
        assertEquals(0x100, got.get((int) (dma32.managedPages() - dma32Low)));
        long failures = a.allocFailures();
        assertEquals(FrameAllocator.NO_PAGE, a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(failures + 1, a.allocFailures());
        assertEquals(dma32Floor, dma32.freePages());
        assertEquals(List.of(), a.check());
    }

    @Test
    void aHighOrderRequestCountsOnlyOnePageOfItsBlockTowardsTheMark() {
        FreeFigures.fill(a, Gfp.GFP_DMA);
        assertEquals(dma.watermark(Watermark.MIN) + dma.lowmemReserve(DMA), dma.freePages());
        assertEquals(33, dma.freePages());
        // order 1: 33 - 1 = 32 is not above 33, although an order-5 block (0xfe0) is free
        assertEquals(1, a.nrFree(dma, 5));
        assertEquals(FrameAllocator.NO_PAGE, a.allocPages(Gfp.GFP_DMA, 1));
        for (long p = 0x100; p < 0x108; p++) {
            a.freePages(p, 0);
        }
        assertEquals(41, dma.freePages());
        // order 3 with 41 free: 41 - 7 = 34 > 33
        assertEquals(0x100, a.allocPages(Gfp.GFP_DMA, 3));
        a.freePages(0x100, 3);
        assertEquals(0x100, a.allocPages(Gfp.GFP_DMA, 0));
        // one page less: 40 - 7 = 33 is not above 33
        assertEquals(FrameAllocator.NO_PAGE, a.allocPages(Gfp.GFP_DMA, 3));
        // __GFP_HIGH halves the mark (min 33 -> 17 before protection 0): 40 - 7 = 33 > 17
        assertTrue(dma.spans(a.allocPages(Gfp.GFP_DMA | Gfp.__GFP_HIGH, 3)));
        assertEquals(List.of(), a.check());
    }
}

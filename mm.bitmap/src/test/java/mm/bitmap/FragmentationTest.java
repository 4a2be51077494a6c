package mm.bitmap;

import static mm.bitmap.Fixtures.SMALL;
import static mm.bitmap.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import mm.tck.FreeFigures;

/**
 * Fragmentation in the small machine's DMA zone (free 0x100..0xfff at boot): plenty of free pages,
 * none of them next to another, serve no request above order 0, and nrFree shows exactly that.
 */
class FragmentationTest {

    private MachineImpl m;
    private BitmapAllocator a;
    private Zone dma;

    @BeforeEach
    void setUp() {
        m = boot(SMALL);
        a = new BitmapAllocator(m);
        dma = m.zone(0, ZoneType.DMA);
    }

    private long[] dmaBuddyinfo() {
        long[] out = new long[FrameAllocator.NR_PAGE_ORDERS];
        for (int o = 0; o < out.length; o++) {
            out[o] = a.nrFree(dma, o);
        }
        return out;
    }

    @Test
    void everyOtherPageFreeServesOnlyOrderZero() {
        List<Long> got = FreeFigures.fill(a, Gfp.GFP_DMA);
        // first fit filled from the bottom; min + protection = 33 pages are left at the top
        assertEquals(3840 - 33, got.size());
        assertEquals(0x100, got.get(0));
        assertEquals(0xfde, got.get(got.size() - 1));
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, dmaBuddyinfo(), "0xfdf alone, 0xfe0..0xfff");

        for (long p = 0x400; p < 0x800; p += 2) {
            a.freePages(p, 0);
        }

        assertEquals(33 + 512, dma.freePages());
        assertArrayEquals(new long[] {513, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0}, dmaBuddyinfo());
        assertEquals(0, dma.state(ZoneStat.NR_FREE_PAGES_BLOCKS));
        // order 6: 545 free pages, no free block of order 6 or more
        assertEquals(FrameAllocator.NO_PAGE, a.allocPages(Gfp.GFP_DMA, 6));
        assertEquals(0xfe0, a.allocPages(Gfp.GFP_DMA, 5));
        // now 513 free pages, every one alone
        assertEquals(513, dma.freePages());
        assertArrayEquals(new long[] {513, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, dmaBuddyinfo());
        assertEquals(FrameAllocator.NO_PAGE, a.allocPages(Gfp.GFP_DMA, 1));
        assertEquals(513, dma.freePages(), "a refused request changes nothing");
        assertEquals(0x400, a.allocPages(Gfp.GFP_DMA, 0));

        // a neighbour comes back: 0x402..0x403 is an order-1 block, and an order-1 request gets exactly it
        a.freePages(0x403, 0);
        assertArrayEquals(new long[] {511, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, dmaBuddyinfo());
        assertEquals(0x402, a.allocPages(Gfp.GFP_DMA, 1));
        assertEquals(List.of(), a.check());
    }

    /** Freed pages form larger blocks at once: a bitmap has nothing to merge, only bits to set. */
    @Test
    void freeingTheOtherHalfMakesWholeBlocksWithoutMerging() {
        FreeFigures.fill(a, Gfp.GFP_DMA);
        for (long p = 0x400; p < 0x800; p += 2) {
            a.freePages(p, 0);
        }
        assertEquals(0, dma.state(ZoneStat.NR_FREE_PAGES_BLOCKS));
        for (long p = 0x401; p < 0x800; p += 2) {
            a.freePages(p, 0);
        }
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}, dmaBuddyinfo());
        assertEquals(1024, dma.state(ZoneStat.NR_FREE_PAGES_BLOCKS));
        assertEquals(0x400, a.allocPages(Gfp.GFP_DMA, 10));
        assertEquals(List.of(), a.check());
    }
}

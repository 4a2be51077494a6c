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
 * Past the watermarks: __GFP_MEMALLOC requests ignore them (ALLOC_NO_WATERMARKS), so only the
 * bitmap itself can refuse. It does when no frame is free, and when free frames are left but no
 * aligned run of the requested order.
 */
class ExhaustionTest {

    private static final int MEMALLOC = Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC;

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
    void memallocTakesEveryFrameThenGetsNoPage() {
        long[] bootFree = FreeFigures.freePages(m);
        long[] bootBlocks = Fixtures.freePageBlocks(m);
        List<Long> got = FreeFigures.fill(a, MEMALLOC);

        assertEquals(bootFree[0] + bootFree[1], got.size());
        assertEquals(0, dma.freePages());
        assertEquals(0, dma32.freePages());
        assertEquals(0, dma32.state(ZoneStat.NR_FREE_PAGES_BLOCKS));
        for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
            assertEquals(FrameAllocator.NO_PAGE, a.allocPages(MEMALLOC, order), "order " + order);
            assertEquals(0, a.nrFree(dma32, order));
        }
        assertEquals(List.of(), a.check());

        FreeFigures.freeAll(a, got);
        assertArrayEquals(bootFree, FreeFigures.freePages(m));
        assertArrayEquals(bootBlocks, Fixtures.freePageBlocks(m));
        assertEquals(List.of(), a.check());
    }

    @Test
    void freeFramesWithoutAnAlignedRunGetNoPage() {
        int dmaMemalloc = Gfp.GFP_DMA | Gfp.__GFP_MEMALLOC;
        List<Long> got = FreeFigures.fill(a, dmaMemalloc);
        assertEquals(0, dma.freePages());
        // every other frame of 0x400..0x7ff back: 512 free frames, none next to another
        for (long p = 0x401; p < 0x800; p += 2) {
            a.freePages(p, 0);
        }
        assertEquals(512, dma.freePages());
        assertEquals(FrameAllocator.NO_PAGE, a.allocPages(dmaMemalloc, 1));
        assertEquals(512, dma.freePages(), "a refused request changes nothing");
        // the neighbour of 0x401 comes back: 0x400..0x401 is the only aligned pair
        a.freePages(0x400, 0);
        assertEquals(0x400, a.allocPages(dmaMemalloc, 1));
        assertEquals(0x403, a.allocPages(dmaMemalloc, 0));
        assertEquals(List.of(), a.check());
    }
}

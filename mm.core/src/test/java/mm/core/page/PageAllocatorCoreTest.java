package mm.core.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.Owners;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Handover;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/** The allocation path, frame bookkeeping and adoption scan of {@link PageAllocatorCore}, with a first-fit allocator under it. */
class PageAllocatorCoreTest {

    private static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);

    @Test
    void adoptionHandsOverEachRunAsTheLargestAlignedBlocksLowestFirst() {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        List<String> expected = new ArrayList<>(List.of("DMA 0x100 8", "DMA 0x200 9", "DMA 0x400 10", "DMA 0x800 10",
                "DMA 0xc00 10", "DMA32 0x3e00 9"));
        for (long p = 0x4000; p < 0xf800; p += 0x400) {
            expected.add("DMA32 0x" + Long.toHexString(p) + " 10");
        }
        expected.addAll(List.of("DMA32 0xf800 9", "DMA32 0xfa00 8", "DMA32 0xfb00 7"));
        assertEquals(expected, a.adopted);
        assertEquals(3840, m.zone(0, ZoneType.DMA).freePages());
        assertEquals(48512, m.zone(0, ZoneType.DMA32).freePages());
        assertTrue(a.isActive());
        assertEquals(List.of(), a.check());
    }

    @Test
    void adoptionSkipsAllocatedBlocks() {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        long p = a.allocPages(Gfp.GFP_DMA, 2);
        assertEquals(0x100, p);
        long q = a.allocPages(Gfp.GFP_DMA, 0);
        assertEquals(0x104, q);
        a.quiesce();
        assertFalse(a.isActive());

        a.adopt(Handover.BOOT);

        assertEquals(List.of("DMA 0x105 0", "DMA 0x106 1", "DMA 0x108 3", "DMA 0x110 4", "DMA 0x120 5", "DMA 0x140 6",
                "DMA 0x180 7", "DMA 0x200 9", "DMA 0x400 10", "DMA 0x800 10", "DMA 0xc00 10"),
                a.adopted.subList(0, 11));
        assertEquals(3840 - 5, m.zone(0, ZoneType.DMA).freePages());
        assertEquals(List.of(), a.check());
        a.freePages(p, 2);
        a.freePages(q, 0);
        assertEquals(3840, m.zone(0, ZoneType.DMA).freePages());
    }

    @Test
    void prepNewPageRecordsTheAllocationInTheFrameTable() {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        FrameTable ft = m.frames();
        long p = a.allocPages(Gfp.GFP_DMA | Gfp.__GFP_COMP, 2);
        assertEquals(1, ft.refcount(p));
        assertEquals(2, ft.order(p));
        assertTrue(ft.test(p, PageFlags.PG_head));
        assertEquals(Owners.NONE, ft.owner(p), "the allocator records no owner: callers record themselves");
        for (long t = p + 1; t < p + 4; t++) {
            assertEquals(0, ft.refcount(t), "tail frames carry no reference");
        }
        long q = a.allocPages(Gfp.GFP_DMA, 2);
        assertFalse(ft.test(q, PageFlags.PG_head), "no __GFP_COMP, no compound head");
        long r = a.allocPages(Gfp.GFP_DMA | Gfp.__GFP_COMP, 0);
        assertFalse(ft.test(r, PageFlags.PG_head), "an order-0 page is never a compound head");
        assertEquals(List.of(), a.check());
    }

    @Test
    void gfpZeroClearsTheContentsAndFreeResetsTheFrame() {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        FrameTable ft = m.frames();
        long p = a.allocPages(Gfp.GFP_DMA, 1);
        ft.setContentToken(p, 77);
        ft.setContentToken(p + 1, 78);
        ft.set(p, PageFlags.PG_lru);
        ft.set(p, PageFlags.PG_dirty);
        ft.setMapcount(p, 3);
        ft.setPrivate(p, 9);
        ft.setMemcg(p, 5);
        ft.setOwner(p, 1234);

        a.freePages(p, 1);

        assertEquals(0, ft.pageFlags(p));
        assertEquals(0, ft.refcount(p));
        assertEquals(0, ft.order(p));
        assertEquals(0, ft.mapcount(p));
        assertEquals(0, ft.privateWord(p));
        assertEquals(0, ft.memcg(p));
        assertEquals(Owners.NONE, ft.owner(p));
        // the contents stay until someone asks for zeroed pages
        assertEquals(77, ft.contentToken(p));
        assertEquals(p, a.allocPages(Gfp.GFP_DMA, 1));
        assertEquals(78, ft.contentToken(p + 1));
        a.freePages(p, 1);
        assertEquals(p, a.allocPages(Gfp.GFP_DMA | Gfp.__GFP_ZERO, 1));
        assertEquals(0, ft.contentToken(p));
        assertEquals(0, ft.contentToken(p + 1));
    }

    @Test
    void theFastPathUsesTheLowMarkAndNofragmentOnlyWhenNormalIsPreferred() {
        MachineImpl small = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(small);
        a.allocPages(Gfp.GFP_KERNEL, 0);
        // DMA32 is preferred on a machine without Normal: ALLOC_WMARK_LOW | ALLOC_KSWAPD
        assertEquals(List.of("DMA32 801"), a.rmqueueCalls);

        MachineImpl big = MachineImpl.boot(MachineConfig.DEFAULT);
        FirstFitAllocator b = new FirstFitAllocator(big);
        b.allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(List.of("Normal 901"), b.rmqueueCalls);
        b.rmqueueCalls.clear();
        b.allocPages(Gfp.GFP_DMA32, 0);
        b.allocPages(Gfp.GFP_DMA, 0);
        assertEquals(List.of("DMA32 1", "DMA 1"), b.rmqueueCalls);
    }

    /** {@code get_page_from_freelist}: a pass with ALLOC_NOFRAGMENT that finds nothing is repeated without it. */
    @Test
    void aNofragmentPassThatFindsNothingIsRetriedWithoutIt() {
        MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT);
        FirstFitAllocator a = new FirstFitAllocator(m);
        a.refuseNofragment = true;
        long p = a.allocPages(Gfp.GFP_KERNEL, 0);
        assertTrue(m.zone(0, ZoneType.NORMAL).spans(p));
        // DMA fails its watermark (protection 3969 > 3840 pages) and is never asked
        assertEquals(List.of("Normal 901", "DMA32 901", "Normal 801"), a.rmqueueCalls);
        assertEquals(0, a.kswapdWakeups());
    }

    @Test
    void theSlowPathUsesGfpToAllocFlagsThenMemalloc() {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        Zone dma = m.zone(0, ZoneType.DMA);
        // leave DMA32 at its low mark and DMA at its low mark plus protection
        long low32 = dma32.watermark(mm.api.machine.Watermark.LOW);
        long lowDma = dma.watermark(mm.api.machine.Watermark.LOW) + dma.lowmemReserve(ZoneType.NORMAL.ordinal());
        while (dma32.freePages() > low32) {
            a.allocPages(Gfp.GFP_DMA32, 0);
        }
        while (dma.freePages() > lowDma) {
            a.allocPages(Gfp.GFP_DMA, 0);
        }
        a.rmqueueCalls.clear();

        assertTrue(a.allocPages(Gfp.GFP_ATOMIC, 0) != FrameAllocator.NO_PAGE);

        // the fast pass finds no zone above its low mark; the slow pass asks DMA32 with GFP_ATOMIC's rights
        assertEquals(List.of("DMA32 830"), a.rmqueueCalls);
        assertEquals(1, a.kswapdWakeups());

        // drive DMA32 and DMA to zero with __GFP_MEMALLOC: the last tries carry ALLOC_NO_WATERMARKS | ALLOC_KSWAPD
        while (dma32.freePages() + dma.freePages() > 0) {
            assertTrue(a.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC, 0) != FrameAllocator.NO_PAGE);
        }
        assertEquals("DMA 804", a.rmqueueCalls.get(a.rmqueueCalls.size() - 1));
        long failures = a.allocFailures();
        assertEquals(FrameAllocator.NO_PAGE, a.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC, 0));
        assertEquals(failures + 1, a.allocFailures());
        assertEquals(List.of(), a.check());
    }

    @Test
    void callsDuringAHandOverWaitAndGoOnToTheSuccessor() throws Exception {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        long p = a.allocPages(Gfp.GFP_KERNEL, 0);
        Handover h = a.quiesce();
        assertEquals(FrameAllocator.CONTRACT, h.contract());
        assertEquals("firstfit", h.fromImpl());
        // argument errors still come first
        assertThrows(IllegalArgumentException.class, () -> a.allocPages(Gfp.GFP_KERNEL, 11));
        CompletableFuture<Long> late = CompletableFuture.supplyAsync(
                () -> a.allocPages(Gfp.GFP_KERNEL, 0));
        Thread.sleep(100);
        assertFalse(late.isDone(), "a call during the hand-over waits");
        FirstFitAllocator b = FirstFitAllocator.dormant(m);
        b.adopt(h);
        a.forwardTo(b);
        long q = late.get(5, TimeUnit.SECONDS);
        assertNotEquals(FrameAllocator.NO_PAGE, q);
        a.freePages(p, 0);
        b.freePages(q, 0);
        assertEquals(List.of(), b.check());
    }

    @Test
    void callsDuringAFailedHandOverProceedWhenTheOldAllocatorTakesTheMachineBack() throws Exception {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        Handover h = a.quiesce();
        CompletableFuture<Long> late = CompletableFuture.supplyAsync(
                () -> a.allocPages(Gfp.GFP_KERNEL, 0));
        Thread.sleep(100);
        assertFalse(late.isDone());
        a.adopt(h);
        assertNotEquals(FrameAllocator.NO_PAGE, late.get(5, TimeUnit.SECONDS));
        assertEquals(List.of(), a.check());
    }

    @Test
    void aDormantAllocatorRefusesCallsAtOnce() {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator dormant = FirstFitAllocator.dormant(m);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> dormant.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals("FrameAllocator 'firstfit' is not active", e.getMessage());
        assertThrows(IllegalStateException.class, () -> dormant.freePages(0x100, 0));
    }

    @Test
    void checkComparesTheFrameTableWithNrFreePages() {
        MachineImpl m = MachineImpl.boot(SMALL);
        FirstFitAllocator a = new FirstFitAllocator(m);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        dma.modState(ZoneStat.NR_FREE_PAGES, -2);
        assertEquals(List.of("Node 0, zone DMA: 3840 frames are free in the frame table but NR_FREE_PAGES is 3838"), a.check());
        dma.modState(ZoneStat.NR_FREE_PAGES, 2);
        long p = a.allocPages(Gfp.GFP_DMA, 1);
        ft.setRefcount(p + 1, 1);
        assertEquals(List.of(String.format("Node 0, zone DMA: pfn 0x%x inside the order-1 block at 0x%x is referenced on its own",
                p + 1, p)), a.check());
        ft.setRefcount(p + 1, 0);
        assertEquals(0x100, p);
        ft.setOrder(p, 9);
        assertTrue(a.check().get(0).contains("allocated block at pfn 0x100 has order 9, misaligned or beyond the zone"),
                a.check().toString());
    }
}

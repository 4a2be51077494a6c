package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.HIGHATOMIC;
import static mm.buddy.Fixtures.ISOLATE;
import static mm.buddy.Fixtures.MOVABLE;
import static mm.buddy.Fixtures.UNMOVABLE;
import static mm.buddy.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static mm.buddy.Fixtures.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import mm.tck.FreeFigures;

/** {@code __free_one_page}: coalescing with the buddy {@code pfn ^ (1 << order)}. */
class MergeTest {

    @Test
    void freeingTheFirstKernelPageMergesItBackUpToOrder10() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long[][] boot = buddyinfo(b, m);

        long pfn = b.allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(0x100000, pfn);
        // the halves 0x100001 (order 0) ... 0x100200 (order 9) wait on the unmovable lists
        for (int o = 0; o < 10; o++) {
            assertEquals(List.of(pfn ^ (1L << o)), list(b, normal, o, UNMOVABLE));
        }

        b.freePages(pfn, 0);

        // merged with each buddy pfn ^ (1 << order) in turn, up to MAX_PAGE_ORDER
        for (int o = 0; o < 10; o++) {
            assertEquals(List.of(), list(b, normal, o, UNMOVABLE), "order " + o);
        }
        assertEquals(List.of(0x100000L), list(b, normal, 10, UNMOVABLE));
        assertEquals(238, b.nrFree(normal, 10, MOVABLE));
        assertArrayEquals(boot, buddyinfo(b, m));
        assertEquals(245504, normal.freePages());
        // the pageblocks keep the type the claim gave them
        assertEquals(UNMOVABLE, m.frames().pageblockMigratetype(0x100000));
        assertEquals(UNMOVABLE, m.frames().pageblockMigratetype(0x100200));
        assertEquals(List.of(), b.check());
    }

    @Test
    void freeingEveryPageOfAnOrder10BlockInRandomOrderLeavesOneOrder10Block() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long[][] boot = buddyinfo(b, m);
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            pages.add(b.allocPages(Gfp.GFP_KERNEL, 0));
        }
        for (int i = 0; i < 1024; i++) {
            assertEquals(0x100000L + i, pages.get(i));
        }
        Collections.shuffle(pages, new Random(42));
        for (int i = 0; i < 1023; i++) {
            b.freePages(pages.get(i), 0);
            assertEquals(0, b.nrFree(normal, 10, UNMOVABLE), "merged to order 10 before the last page came back");
        }
        b.freePages(pages.get(1023), 0);
        assertEquals(List.of(0x100000L), list(b, normal, 10, UNMOVABLE));
        assertArrayEquals(boot, buddyinfo(b, m));
        assertEquals(List.of(), b.check());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 20260101})
    void freeingInAnyOrderRestoresEveryZonesBootFigures(long seed) {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        long[][] boot = buddyinfo(b, m);
        long[] bootFree = FreeFigures.freePages(m);
        Random rnd = new Random(seed);
        int[] gfps = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE, Gfp.GFP_DMA32,
            Gfp.GFP_DMA, Gfp.GFP_ATOMIC};
        List<long[]> held = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            int order = rnd.nextInt(100) < 90 ? 0 : rnd.nextInt(FrameAllocator.NR_PAGE_ORDERS);
            long pfn = b.allocPages(gfps[rnd.nextInt(gfps.length)], order);
            if (pfn != FrameAllocator.NO_PAGE) {
                held.add(new long[] {pfn, order});
            }
        }
        assertTrue(held.size() > 15000, "allocated " + held.size());
        Collections.shuffle(held, rnd);
        for (long[] h : held) {
            b.freePages(h[0], (int) h[1]);
        }
        assertArrayEquals(boot, buddyinfo(b, m));
        assertArrayEquals(bootFree, FreeFigures.freePages(m));
        assertEquals(List.of(), b.check());
    }

    /**
     * The zone boundary at pfn 4096 can never be crossed by buddy arithmetic up to order 10 (it is
     * 2^12-aligned), and {@code page_is_buddy} also compares the zones: a free block of the same
     * order in another zone is not a buddy.
     */
    @Test
    void noMergeAcrossTheDmaDma32Boundary() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        // DMA's last block ends exactly at the boundary
        assertEquals(List.of(0x400L, 0x800L, 0xc00L), list(b, dma, 10, MOVABLE));
        FreeOnePage fop = new FreeOnePage(ft);
        assertTrue(fop.pageIsBuddy(0x800, 0xc00, 10), "same zone, same order");
        assertFalse(fop.pageIsBuddy(0x1000, 0xc00, 10), "pfn 0x1000 is in DMA32");
        // a DMA32 block of the same order is no buddy of a DMA frame either
        long dma32Block = list(b, dma32, 10, MOVABLE).get(0);
        assertEquals(0x4000, dma32Block);
        assertFalse(fop.pageIsBuddy(0xc00, dma32Block, 10));

        // fill DMA and the bottom of DMA32, free everything in random order: no block crosses 4096
        long[][] boot = buddyinfo(b, m);
        List<long[]> held = new ArrayList<>();
        for (long pfn = b.allocPages(Gfp.GFP_DMA, 0); pfn != FrameAllocator.NO_PAGE; pfn = b.allocPages(Gfp.GFP_DMA, 0)) {
            held.add(new long[] {pfn, 0});
        }
        for (int i = 0; i < 64; i++) {
            held.add(new long[] {b.allocPages(Gfp.GFP_DMA32, 3), 3});
        }
        Collections.shuffle(held, new Random(7));
        for (long[] h : held) {
            b.freePages(h[0], (int) h[1]);
        }
        assertArrayEquals(boot, buddyinfo(b, m));
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            for (int mt = 0; mt < 5; mt++) {
                for (long p : list(b, dma, o, mt)) {
                    assertTrue(p + (1L << o) <= 0x1000, "DMA block " + p + " order " + o);
                }
                for (long p : list(b, dma32, o, mt)) {
                    assertTrue(p >= 0x1000, "DMA32 block " + p + " order " + o);
                }
            }
        }
        assertEquals(List.of(), b.check());
    }

    /** Two order-9 halves of an order-10 block, handed out whole: {lower, upper}. */
    private static long[] bothHalves(BuddyAllocator b) {
        // Normal's lone order-9 block goes first, then the first order-10 block is split
        assertEquals(0x13bc00, b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9));
        long lower = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9);
        long upper = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9);
        assertEquals(0x100000, lower);
        assertEquals(0x100200, upper);
        return new long[] {lower, upper};
    }

    @Test
    void noMergeWithAnIsolatedPageblock() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long[] h = bothHalves(b);
        long freeBefore = normal.freePages();
        long o9 = b.nrFree(normal, 9);
        long o10 = b.nrFree(normal, 10);
        ft.setPageblockMigratetype(h[1], ISOLATE);

        b.freePages(h[1], 9);
        b.freePages(h[0], 9);

        assertEquals(List.of(h[1]), list(b, normal, 9, ISOLATE));
        assertEquals(List.of(h[0]), list(b, normal, 9, MOVABLE));
        assertEquals(o9 + 2, b.nrFree(normal, 9));
        assertEquals(o10, b.nrFree(normal, 10));
        // isolated free pages are not counted in NR_FREE_PAGES (account_freepages)
        assertEquals(freeBefore + 512, normal.freePages());
        assertEquals(List.of(), b.check());
    }

    @Test
    void noMergeWithAHighatomicPageblock() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long[] h = bothHalves(b);
        long freeBefore = normal.freePages();
        long o10 = b.nrFree(normal, 10);
        // reserve_highatomic_pageblock's part, by hand: the type and zone->nr_reserved_highatomic
        ft.setPageblockMigratetype(h[0], HIGHATOMIC);
        b.area(normal).nrReservedHighatomic += 512;

        b.freePages(h[0], 9);
        b.freePages(h[1], 9);

        assertEquals(List.of(h[0]), list(b, normal, 9, HIGHATOMIC));
        assertEquals(List.of(h[1]), list(b, normal, 9, MOVABLE));
        assertEquals(o10, b.nrFree(normal, 10));
        // high-atomic free pages count in NR_FREE_PAGES and in nr_free_highatomic
        assertEquals(freeBefore + 1024, normal.freePages());
        assertEquals(512, b.nrFreeHighatomic(normal));
        assertEquals(List.of(), b.check());
    }

    @Test
    void pageblocksOfDifferentMergeableTypesMergeAndTheBuddyTakesTheFreedBlocksType() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long[] h = bothHalves(b);
        long o10 = b.nrFree(normal, 10);
        ft.setPageblockMigratetype(h[0], UNMOVABLE);

        b.freePages(h[1], 9); // movable, its buddy is allocated
        b.freePages(h[0], 9); // unmovable: merges with the movable upper half

        assertEquals(List.of(h[0]), list(b, normal, 10, UNMOVABLE));
        assertEquals(o10 + 1, b.nrFree(normal, 10));
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(h[1]), "the buddy's pageblock takes the merged block's type");
        assertEquals(List.of(), b.check());
    }

    /**
     * {@code buddy_merge_likely}: a freed block whose buddy is in use goes to the tail of its list
     * when the buddy of its parent is free; otherwise to the head.
     */
    @Test
    void aBlockWhoseParentsBuddyIsFreeGoesToTheTail() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone dma = m.zone(0, ZoneType.DMA);
        FrameTable ft = m.frames();
        // 0x100..0x107 from DMA's lone unmovable order-8 block, in that order
        for (long p = 0x100; p < 0x108; p++) {
            assertEquals(p, b.allocPages(Gfp.GFP_DMA, 0));
        }
        b.freePages(0x102, 0);
        b.freePages(0x103, 0); // merges with 0x102: an order-1 block; its buddy 0x100 is in use
        assertEquals(List.of(0x102L), list(b, dma, 1, UNMOVABLE));
        b.freePages(0x106, 0); // buddy 0x107 in use, parent 0x106's buddy 0x104 in use: head
        assertEquals(List.of(0x106L), list(b, dma, 0, UNMOVABLE));

        b.freePages(0x100, 0); // buddy 0x101 in use, but the parent's buddy 0x102 (order 1) is free: tail
        assertEquals(List.of(0x106L, 0x100L), list(b, dma, 0, UNMOVABLE));
        b.freePages(0x104, 0); // buddy 0x105 in use, parent's buddy 0x106 is free but of order 0: head
        assertEquals(List.of(0x104L, 0x106L, 0x100L), list(b, dma, 0, UNMOVABLE));
        assertEquals(List.of(), b.check());

        // the head is what the next order-0 allocation gets
        assertEquals(0x104, b.allocPages(Gfp.GFP_DMA, 0));
        assertEquals(0x106, b.allocPages(Gfp.GFP_DMA, 0));
        assertEquals(0x100, b.allocPages(Gfp.GFP_DMA, 0));
        assertTrue(ft.refcount(0x100) == 1);
        assertEquals(List.of(), b.check());
    }

    @Test
    void theRecordedOrderAndPgBuddyFollowTheMerge() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        long a = b.allocPages(Gfp.GFP_DMA, 1);
        long c = b.allocPages(Gfp.GFP_DMA, 1);
        assertEquals(0x100, a);
        assertEquals(0x102, c);
        b.freePages(c, 1);
        assertTrue(ft.test(0x102, PageFlags.PG_buddy));
        assertEquals(1, ft.order(0x102));
        b.freePages(a, 1);
        assertFalse(ft.test(0x102, PageFlags.PG_buddy), "the buddy's head is no longer a free block head");
        assertEquals(0, ft.order(0x102));
        assertTrue(ft.test(0x100, PageFlags.PG_buddy));
        assertEquals(8, ft.order(0x100));
        assertEquals(0, m.zone(0, ZoneType.DMA).state(ZoneStat.NR_FREE_PAGES) - 3840);
    }
}

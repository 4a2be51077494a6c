package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.MOVABLE;
import static mm.buddy.Fixtures.UNMOVABLE;
import static mm.buddy.Fixtures.boot;
import static mm.buddy.Fixtures.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import mm.tck.FreeFigures;

/** {@code expand}: splitting a block leaves the upper halves on the free lists. */
class SplitTest {

    @Test
    void orderZeroFromTheLoneOrder8BlockLeavesOneUpperHalfAtEachLowerOrder() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        // boot: pfn 0x100..0x1ff is the DMA zone's only unmovable block (pageblock 0 starts below the zone)
        assertEquals(List.of(0x100L), list(b, dma, 8, UNMOVABLE));
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            if (o != 8) {
                assertEquals(0, b.nrFree(dma, o, UNMOVABLE), "order " + o);
            }
        }
        long[] before = new long[FrameAllocator.NR_PAGE_ORDERS];
        for (int o = 0; o < before.length; o++) {
            before[o] = b.nrFree(dma, o);
        }

        long pfn = b.allocPages(Gfp.GFP_DMA, 0);

        assertEquals(0x100, pfn);
        for (int o = 0; o < 8; o++) {
            long half = 0x100 + (1L << o);
            assertEquals(List.of(half), list(b, dma, o, UNMOVABLE), "order " + o);
            assertEquals(before[o] + 1, b.nrFree(dma, o), "nr_free order " + o);
            assertTrue(ft.test(half, PageFlags.PG_buddy));
            assertEquals(o, ft.order(half));
        }
        assertEquals(0, b.nrFree(dma, 8));
        assertEquals(before[9], b.nrFree(dma, 9));
        assertEquals(before[10], b.nrFree(dma, 10));
        assertEquals(3840 - 1, dma.freePages());
        assertFalse(ft.test(pfn, PageFlags.PG_buddy));
        assertEquals(1, ft.refcount(pfn));
        assertEquals(0, ft.order(pfn));
        assertEquals(List.of(), b.check());

        // the halves are handed out lowest order first: the rest of the block in ascending pfn order
        for (int i = 1; i < 256; i++) {
            assertEquals(0x100 + i, b.allocPages(Gfp.GFP_DMA, 0));
        }
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            assertEquals(0, b.nrFree(dma, o, UNMOVABLE), "order " + o);
        }
        assertEquals(3840 - 256, dma.freePages());
        assertEquals(List.of(), b.check());
    }

    @Test
    void order3FromAnOrder8BlockLeavesHalvesAtOrders3To7() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        // boot: Normal's free memory 0x100000..0x13beff ends in an order-9 block and an order-8 block
        assertEquals(List.of(0x13be00L), list(b, normal, 8, MOVABLE));
        assertEquals(List.of(0x13bc00L), list(b, normal, 9, MOVABLE));

        long pfn = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 3);

        assertEquals(0x13be00, pfn, "the smallest block that fits: order 8");
        for (int o = 0; o < 3; o++) {
            assertEquals(List.of(), list(b, normal, o, MOVABLE), "order " + o);
        }
        for (int o = 3; o < 8; o++) {
            assertEquals(List.of(0x13be00L + (1L << o)), list(b, normal, o, MOVABLE), "order " + o);
        }
        assertEquals(List.of(), list(b, normal, 8, MOVABLE));
        assertEquals(List.of(0x13bc00L), list(b, normal, 9, MOVABLE));
        assertEquals(245504 - 8, normal.freePages());
        assertEquals(3, m.frames().order(pfn));
        assertEquals(List.of(), b.check());
    }

    /**
     * {@code expand} puts each half at the head of its list ({@code __add_to_free_list(..., false)}).
     * In the allocation paths the lists it adds to are empty, so the halves are taken here with
     * {@code page_del_and_expand} from a block that is not the smallest, while Normal's movable
     * order-8 and order-9 lists already hold a block each.
     */
    @Test
    void expandPutsEachHalfAtTheHeadOfItsList() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long[][] boot = FreeFigures.buddyinfo(b, m);
        FreeArea area = b.area(normal);
        Rmqueue rq = new Rmqueue(ft, false, new mm.core.page.ZoneFlags(1));
        long page = 0x100400; // the second order-10 block of Normal

        synchronized (area) {
            rq.pageDelAndExpand(area, page, 0, 10, MOVABLE);
        }

        assertEquals(List.of(0x100600L, 0x13bc00L), list(b, normal, 9, MOVABLE));
        assertEquals(List.of(0x100500L, 0x13be00L), list(b, normal, 8, MOVABLE));
        for (int o = 0; o < 8; o++) {
            assertEquals(List.of(page + (1L << o)), list(b, normal, o, MOVABLE), "order " + o);
        }
        assertEquals(245504 - 1, normal.freePages());

        // make the page an allocated one (prep_new_page) and give it back: everything merges again
        ft.setRefcount(page, 1);
        ft.setOrder(page, 0);
        assertEquals(List.of(), b.check());
        b.freePages(page, 0);
        assertEquals(List.of(), b.check());
        assertArrayEquals(boot, FreeFigures.buddyinfo(b, m));
        assertTrue(list(b, normal, 10, MOVABLE).contains(page));
    }
}

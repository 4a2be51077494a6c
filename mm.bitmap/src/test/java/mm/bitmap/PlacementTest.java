package mm.bitmap;

import static mm.bitmap.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * First fit on the default machine (x86_64, 4 GiB): every request gets the lowest free run of its
 * order that is aligned to it, in the first zone of its zonelist that passes the watermarks. Free
 * memory starts at 0x100 in DMA, 0x3e00 in DMA32 and 0x100000 in Normal.
 */
class PlacementTest {

    private MachineImpl m;
    private BitmapAllocator a;
    private FrameTable ft;

    @BeforeEach
    void setUp() {
        m = boot(MachineConfig.DEFAULT);
        a = new BitmapAllocator(m);
        ft = m.frames();
    }

    @Test
    void eachZoneHandsOutItsLowestFreeFrameFirst() {
        assertEquals(0x100000, a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(0x100, a.allocPages(Gfp.GFP_DMA, 0));
        assertEquals(0x3e00, a.allocPages(Gfp.GFP_DMA32, 0));
        assertEquals(0x100001, a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(0x101, a.allocPages(Gfp.GFP_DMA, 0));
        assertEquals(0x3e01, a.allocPages(Gfp.GFP_DMA32, 0));
        // below the first free frame of each zone everything is reserved
        for (long p = 1; p < 0x100; p++) {
            assertTrue(ft.test(p, PageFlags.PG_reserved), "pfn " + p);
        }
        for (long p = 0x1000; p < 0x3e00; p++) {
            assertTrue(ft.test(p, PageFlags.PG_reserved), "pfn " + p);
        }
        assertEquals(List.of(), a.check());
    }

    @Test
    void everyOrderGetsTheLowestRunAlignedToIt() {
        assertEquals(0x100000, a.allocPages(Gfp.GFP_KERNEL, 0));
        // 0x100000 is taken, so the order-k run at 0x100000 is not free: the next aligned one is 0x100000 + 2^k
        for (int order = 1; order <= 10; order++) {
            long pfn = a.allocPages(Gfp.GFP_KERNEL, order);
            assertEquals(0x100000 + (1L << order), pfn, "order " + order);
            assertEquals(1, ft.refcount(pfn));
            assertEquals(order, ft.order(pfn));
        }
        // the one hole left below 0x100800 is 0x100001
        assertEquals(0x100001, a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(0x100800, a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(List.of(), a.check());
    }

    /**
     * One page taken at the bottom of each zone, then one block of each order 0 to 10: each lands
     * on the first free multiple of its size, filling the holes the smaller ones left.
     */
    @Test
    void everyOrderIsAlignedInEveryZone() {
        int[] gfps = {Gfp.GFP_DMA, Gfp.GFP_DMA32, Gfp.GFP_KERNEL};
        long[] first = {0x100, 0x3e00, 0x100000};
        long[][] expected = {
            {0x101, 0x102, 0x104, 0x108, 0x110, 0x120, 0x140, 0x180, 0x200, 0x400, 0x800},
            {0x3e01, 0x3e02, 0x3e04, 0x3e08, 0x3e10, 0x3e20, 0x3e40, 0x3e80, 0x3f00, 0x4000, 0x4400},
            {0x100001, 0x100002, 0x100004, 0x100008, 0x100010, 0x100020, 0x100040, 0x100080, 0x100100, 0x100200, 0x100400},
        };
        for (int i = 0; i < gfps.length; i++) {
            assertEquals(first[i], a.allocPages(gfps[i], 0));
        }
        for (int order = 0; order <= 10; order++) {
            for (int i = 0; i < gfps.length; i++) {
                long pfn = a.allocPages(gfps[i], order);
                assertEquals(expected[i][order], pfn, "order " + order + " with " + Gfp.format(gfps[i]));
                assertEquals(0, pfn & ((1L << order) - 1));
                assertEquals(m.zoneOfPfn(pfn), m.zoneOfPfn(pfn + (1L << order) - 1));
            }
        }
        assertEquals(List.of(), a.check());
    }

    @Test
    void aFreedBlockIsReusedFirst() {
        long p0 = a.allocPages(Gfp.GFP_KERNEL, 0);
        long p1 = a.allocPages(Gfp.GFP_KERNEL, 0);
        long o1 = a.allocPages(Gfp.GFP_KERNEL, 1);
        long o2 = a.allocPages(Gfp.GFP_KERNEL, 2);
        assertEquals(List.of(0x100000L, 0x100001L, 0x100002L, 0x100004L), List.of(p0, p1, o1, o2));

        a.freePages(p0, 0);
        assertEquals(0x100000, a.allocPages(Gfp.GFP_KERNEL, 0));
        a.freePages(o2, 2);
        // the lowest aligned pair is now inside the freed order-2 block
        assertEquals(0x100004, a.allocPages(Gfp.GFP_KERNEL, 1));
        assertEquals(0x100006, a.allocPages(Gfp.GFP_KERNEL, 0));
        // no aligned four below 0x100008 any more
        assertEquals(0x100008, a.allocPages(Gfp.GFP_KERNEL, 2));
        assertEquals(0x100007, a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(List.of(), a.check());
    }

    /**
     * No grouping by mobility: an unmovable kernel page and a movable user page sit side by side in
     * the same movable pageblock. (The buddy allocator would have claimed another pageblock for the
     * unmovable page, to keep this one movable for compaction and huge pages.)
     */
    @Test
    void unmovableAndMovablePagesShareAPageblock() {
        long movable = a.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 0);
        long unmovable = a.allocPages(Gfp.GFP_KERNEL, 0);
        long reclaimable = a.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE, 0);
        assertEquals(List.of(0x100000L, 0x100001L, 0x100002L), List.of(movable, unmovable, reclaimable));
        assertEquals(Fixtures.MOVABLE, ft.pageblockMigratetype(unmovable), "the pageblock keeps its type");
    }
}

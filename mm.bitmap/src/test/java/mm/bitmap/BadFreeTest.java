package mm.bitmap;

import static mm.bitmap.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import mm.tck.FreeFigures;

/**
 * Bad frees and bad arguments: IllegalArgumentException with a one-line message, and the machine
 * as it was: bitmap, block counts, counters, frame table.
 */
class BadFreeTest {

    private MachineImpl m;
    private BitmapAllocator a;
    private FrameTable ft;
    private Zone normal;
    /** An allocated order-2 block and an allocated order-0 page, on the default machine. */
    private long block;
    private long page;

    @BeforeEach
    void setUp() {
        m = boot(MachineConfig.DEFAULT);
        a = new BitmapAllocator(m);
        ft = m.frames();
        normal = m.zone(0, ZoneType.NORMAL);
        block = a.allocPages(Gfp.GFP_KERNEL, 2);
        page = a.allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(0x100000, block);
        assertEquals(0x100004, page);
    }

    private long[] normalBitmap() {
        ZoneBitmap zb = a.bitmap(normal);
        synchronized (zb) {
            return zb.map.clone();
        }
    }

    /** Runs a bad call: IllegalArgumentException, one line, containing every fragment; nothing changed. */
    private void rejected(Executable call, String... fragments) {
        long[][] before = buddyinfo(a, m);
        long[] freeBefore = FreeFigures.freePages(m);
        long[] blocksBefore = Fixtures.freePageBlocks(m);
        long[] bitmapBefore = normalBitmap();
        int headFlags = ft.flags(block);
        int headRef = ft.refcount(block);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        for (String f : fragments) {
            assertTrue(msg.contains(f), "'" + msg + "' should contain '" + f + "'");
        }
        assertArrayEquals(before, buddyinfo(a, m));
        assertArrayEquals(freeBefore, FreeFigures.freePages(m));
        assertArrayEquals(blocksBefore, Fixtures.freePageBlocks(m));
        assertArrayEquals(bitmapBefore, normalBitmap());
        assertEquals(headFlags, ft.flags(block));
        assertEquals(headRef, ft.refcount(block));
        assertEquals(List.of(), a.check());
    }

    @Test
    void neverAllocated() {
        rejected(() -> a.freePages(0x100400, 0), "0x100400", "not allocated");
        rejected(() -> a.freePages(0x100005, 0), "0x100005", "not allocated");
    }

    @Test
    void doubleFree() {
        a.freePages(page, 0);
        rejected(() -> a.freePages(page, 0), "0x100004", "already freed");
        a.freePages(block, 2);
        rejected(() -> a.freePages(block, 2), "0x100000", "already freed");
    }

    @Test
    void wrongOrder() {
        rejected(() -> a.freePages(block, 1), "0x100000", "order 2", "not 1");
        rejected(() -> a.freePages(block, 3), "0x100000", "order 2", "not 3");
        rejected(() -> a.freePages(page, 1), "0x100004", "order 0, not 1");
        a.freePages(block, 2);
        assertEquals(0, ft.refcount(block));
    }

    @Test
    void aTailPfnNamesTheHead() {
        rejected(() -> a.freePages(block + 1, 0), "0x100001", "inside the order-2 block at 0x100000");
        rejected(() -> a.freePages(block + 2, 1), "0x100002", "order-2 block at 0x100000");
    }

    @Test
    void reservedOutOfRangeAndMisaligned() {
        assertTrue(ft.test(0x1000, PageFlags.PG_reserved));
        rejected(() -> a.freePages(0x1000, 0), "0x1000", "reserved");
        rejected(() -> a.freePages(0x140000, 0), "0x140000", "not a page frame");
        rejected(() -> a.freePages(0xc0000, 0), "0xc0000", "not a page frame");
        rejected(() -> a.freePages(-1, 0), "not a page frame");
        rejected(() -> a.freePages(0x100200, 10), "not aligned to order 10");
    }

    @Test
    void badOrdersFlagsAndMigratetypes() {
        rejected(() -> a.freePages(block, 11), "order 11", "0 to 10");
        rejected(() -> a.allocPages(Gfp.GFP_KERNEL, -1), "order -1");
        rejected(() -> a.allocPages(Gfp.__GFP_DMA | Gfp.__GFP_DMA32, 0), "two zones");
        rejected(() -> a.allocPagesNode(1, Gfp.GFP_KERNEL, 0), "node 1");
        rejected(() -> a.nrFree(normal, 11), "order 11");
        rejected(() -> a.nrFree(normal, 0, 5), "migratetype 5", "0 to 4");
    }

    @Test
    void aGoodFreeAfterBadOnesWorks() {
        rejected(() -> a.freePages(block, 1), "order 2");
        a.freePages(block, 2);
        a.freePages(page, 0);
        assertEquals(0x100000, a.allocPages(Gfp.GFP_KERNEL, 3));
        assertEquals(List.of(), a.check());
    }
}

package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.boot;
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
 * Bad calls: each throws IllegalArgumentException with a one-line message and leaves the machine
 * as it was (free lists, counters, frame table).
 */
class BadFreeTest {

    private MachineImpl m;
    private BuddyAllocator b;
    private FrameTable ft;
    /** An allocated order-2 block and an allocated order-0 page, on the default machine. */
    private long block;
    private long page;

    @BeforeEach
    void setUp() {
        m = boot(MachineConfig.DEFAULT);
        b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        ft = m.frames();
        block = b.allocPages(Gfp.GFP_KERNEL, 2);
        page = b.allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(0x100000, block);
        assertEquals(0x100004, page);
    }

    /** Runs a bad call: IllegalArgumentException, one line, containing every fragment; nothing changed. */
    private String rejected(Executable call, String... fragments) {
        long[][] before = buddyinfo(b, m);
        long[] freeBefore = FreeFigures.freePages(m);
        int headFlags = ft.flags(block);
        int headRef = ft.refcount(block);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        for (String f : fragments) {
            assertTrue(msg.contains(f), "'" + msg + "' should contain '" + f + "'");
        }
        assertArrayEquals(before, buddyinfo(b, m));
        assertArrayEquals(freeBefore, FreeFigures.freePages(m));
        assertEquals(headFlags, ft.flags(block));
        assertEquals(headRef, ft.refcount(block));
        assertEquals(List.of(), b.check());
        return msg;
    }

    @Test
    void neverAllocated() {
        rejected(() -> b.freePages(0x100400, 0), "0x100400", "not allocated");
        rejected(() -> b.freePages(0x100005, 0), "0x100005", "not allocated");
    }

    @Test
    void doubleFree() {
        b.freePages(page, 0);
        rejected(() -> b.freePages(page, 0), "0x100004", "already freed");
        b.freePages(block, 2);
        rejected(() -> b.freePages(block, 2), "0x100000", "already freed");
    }

    @Test
    void wrongOrder() {
        rejected(() -> b.freePages(block, 1), "0x100000", "order 2", "not 1");
        rejected(() -> b.freePages(page, 1), "0x100004", "order 0, not 1");
        rejected(() -> b.freePages(block, 3), "0x100000", "order 2", "not 3");
        b.freePages(block, 2);
        assertEquals(0, ft.refcount(block));
    }

    @Test
    void aTailPfnNamesTheHead() {
        String msg = rejected(() -> b.freePages(block + 1, 0), "0x100001", "inside the order-2 block at 0x100000");
        assertTrue(msg.startsWith("pfn 0x100001"));
        rejected(() -> b.freePages(block + 2, 1), "0x100002", "order-2 block at 0x100000");
        rejected(() -> b.freePages(block + 3, 0), "block at 0x100000");
    }

    @Test
    void reservedPfns() {
        assertTrue(ft.test(0x1000, PageFlags.PG_reserved));
        rejected(() -> b.freePages(0x1000, 0), "0x1000", "reserved");
        rejected(() -> b.freePages(1, 0), "0x1", "reserved");
        rejected(() -> b.freePages(0x13ff00, 8), "0x13ff00", "reserved");
    }

    @Test
    void misaligned() {
        rejected(() -> b.freePages(0x100001, 1), "0x100001", "not aligned to order 1");
        rejected(() -> b.freePages(0x100200, 10), "not aligned to order 10", "1024");
    }

    @Test
    void outOfRange() {
        rejected(() -> b.freePages(0x140000, 0), "0x140000", "not a page frame", "0x13ffff");
        rejected(() -> b.freePages(-1, 0), "not a page frame");
        rejected(() -> b.freePages(Long.MAX_VALUE, 0), "not a page frame");
        // the PCI hole 3 GiB..4 GiB has no memory sections
        assertFalse(ft.pfnValid(0xc0000));
        rejected(() -> b.freePages(0xc0000, 0), "0xc0000", "not a page frame");
    }

    @Test
    void badOrders() {
        rejected(() -> b.freePages(block, 11), "order 11", "0 to 10");
        rejected(() -> b.freePages(block, -1), "order -1");
        rejected(() -> b.allocPages(Gfp.GFP_KERNEL, 11), "order 11", "0 to 10");
        rejected(() -> b.allocPages(Gfp.GFP_KERNEL, -1), "order -1");
        rejected(() -> b.allocPagesNode(0, Gfp.GFP_KERNEL, 11), "order 11");
    }

    @Test
    void badGfpMasks() {
        rejected(() -> b.allocPages(Gfp.__GFP_DMA | Gfp.__GFP_DMA32, 0), "two zones");
        rejected(() -> b.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_MOVABLE | Gfp.__GFP_RECLAIMABLE, 0), "movable and reclaimable");
        rejected(() -> b.allocPages(1 << 9, 0), "undefined bits 0x200");
        rejected(() -> b.allocPages(Gfp.GFP_KERNEL | 1 << 25, 0), "undefined bits 0x2000000");
        rejected(() -> b.allocPages(-1, 0), "undefined bits");
    }

    @Test
    void badNode() {
        rejected(() -> b.allocPagesNode(1, Gfp.GFP_KERNEL, 0), "node 1", "0 to 0");
        rejected(() -> b.allocPagesNode(-1, Gfp.GFP_KERNEL, 0), "node -1");
    }

    @Test
    void aBadCallOnAFrameWithPrivateDataLeavesItIntact() {
        ft.setPrivate(page, 1234);
        ft.set(page, PageFlags.PG_private);
        rejected(() -> b.freePages(page, 3), "not aligned");
        assertEquals(1234, ft.privateWord(page));
        assertTrue(ft.test(page, PageFlags.PG_private));
        // a correct free resets the frame (free_pages_prepare)
        b.freePages(page, 0);
        assertEquals(0, ft.privateWord(page));
        assertFalse(ft.test(page, PageFlags.PG_private));
    }

    /**
     * {@code __free_pages} on a page with two references drops one: the block returns with the
     * second free. (For a compound block, and for an order-0 page; the kernel frees the tail pages
     * of a non-compound high-order block at the first call, which the simulator does not model.)
     */
    @Test
    void aHeadWithRefcount2NeedsTwoFrees() {
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long comp = b.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_COMP, 3);
        assertEquals(0x100008, comp);
        assertTrue(ft.test(comp, PageFlags.PG_head));
        long[][] held = buddyinfo(b, m);
        long free = normal.freePages();
        ft.setRefcount(comp, 2); // get_page
        ft.setRefcount(page, 2);

        b.freePages(comp, 3);
        b.freePages(page, 0);

        assertEquals(1, ft.refcount(comp));
        assertEquals(3, ft.order(comp));
        assertTrue(ft.test(comp, PageFlags.PG_head));
        assertEquals(1, ft.refcount(page));
        assertArrayEquals(held, buddyinfo(b, m));
        assertEquals(free, normal.freePages());
        assertEquals(List.of(), b.check());

        b.freePages(comp, 3);
        b.freePages(page, 0);

        assertEquals(0, ft.refcount(comp));
        assertEquals(0, ft.refcount(page));
        assertFalse(ft.test(comp, PageFlags.PG_head));
        assertEquals(free + 9, normal.freePages());
        // 0x100004 merged with 0x100005..7 (order 2), then with nothing: 0x100000 is still in use
        assertTrue(ft.test(page, PageFlags.PG_buddy));
        assertEquals(2, ft.order(page));
        assertTrue(ft.test(comp, PageFlags.PG_buddy));
        assertEquals(3, ft.order(comp));
        assertEquals(List.of(), b.check());
        rejected(() -> b.freePages(comp, 3), "already freed");
        rejected(() -> b.freePages(page, 0), "0x100004", "already freed");
    }
}

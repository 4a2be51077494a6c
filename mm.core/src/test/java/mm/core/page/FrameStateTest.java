package mm.core.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mm.api.machine.Arch;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The frame-table conventions and the one-line diagnosis of bad frees. */
class FrameStateTest {

    private FrameTable ft;

    @BeforeEach
    void setUp() {
        ft = MachineImpl.boot(new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0)).frames();
        // an allocated order-3 block (0x1000 is reserved on this machine, 0x4000 free)
        ft.setRefcount(0x4000, 1);
        ft.setOrder(0x4000, 3);
    }

    @Test
    void allocatedHeads() {
        assertTrue(FrameState.isAllocatedHead(ft, 0x4000));
        assertFalse(FrameState.isAllocatedHead(ft, 0x4001));
        assertFalse(FrameState.isAllocatedHead(ft, 0x4008));
        assertTrue(FrameState.isFreeFrame(ft, 0x4008));
        assertFalse(FrameState.isFreeFrame(ft, 0x1000), "reserved");
        for (long p = 0x4000; p < 0x4008; p++) {
            assertEquals(0x4000, FrameState.allocatedHeadContaining(ft, p));
        }
        assertEquals(-1, FrameState.allocatedHeadContaining(ft, 0x4008));
        assertEquals(-1, FrameState.allocatedHeadContaining(ft, 0x3fff));
    }

    @Test
    void badFreeMessages() {
        assertNull(FrameState.badFree(ft, 0x4000, 3));
        assertEquals("pfn 0x4000 was allocated with order 3, not 2: free it with order 3", FrameState.badFree(ft, 0x4000, 2));
        assertEquals("pfn 0x4004 is not the start of an allocated block: it lies inside the order-3 block at 0x4000",
                FrameState.badFree(ft, 0x4004, 2));
        assertEquals("pfn 0x4008 is not allocated: it is free (never allocated, or already freed)", FrameState.badFree(ft, 0x4008, 0));
        assertEquals("pfn 0x4001 is not aligned to order 1: an order-1 block starts at a multiple of 2 pages",
                FrameState.badFree(ft, 0x4001, 1));
        assertEquals("pfn 0x1000 is reserved (firmware, kernel image, memmap or a hole): it was never allocated",
                FrameState.badFree(ft, 0x1000, 0));
        assertEquals("pfn 0x10000 is not a page frame of this machine (frames are 0x0 to 0xffff, holes excluded)",
                FrameState.badFree(ft, 0x10000, 0));
        // a frame on a free list reads count 0: not allocated
        ft.set(0x4010, PageFlags.PG_buddy);
        assertEquals("pfn 0x4010 is not allocated: it is free (never allocated, or already freed)", FrameState.badFree(ft, 0x4010, 0));
        // a slab page: only the object caches give it back
        ft.set(0x4000, PageFlags.PG_slab);
        assertEquals("pfn 0x4000 belongs to a slab of the object caches: its objects are freed with kfree or kmem_cache_free "
                + "(mm:kfree, mm:cache-free), and the slab goes back when it is empty", FrameState.badFree(ft, 0x4000, 3));
    }
}

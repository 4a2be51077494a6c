package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mm.api.machine.MachineConfig;
import mm.api.machine.Owners;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's record of its blocks as compaction moves them: a block is named by its
 * {@code $p} wherever it went, a pfn it left names it until another block is allocated there, a
 * freed block is refused, and only movable blocks of the right order may be isolated.
 */
class ConsolePagesTest {

    private ConsolePages pages;

    @BeforeEach
    void register() {
        MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT);
        pages = new ConsolePages(m);
        assertSame(pages, m.movableOps(Owners.CONSOLE));
    }

    /** Compaction moving a block from src to dst, as the page allocator calls the owner. */
    private void move(long src, long dst, int order) {
        assertTrue(pages.isolatePage(src, order));
        pages.migratePage(src, dst, order);
    }

    @Test
    void aMovedBlockIsFoundByItsOldPfnAndByItself() {
        ConsolePages.Block b = pages.allocated(0x100000, 0, true);
        move(0x100000, 0x13be3e, 0);
        assertSame(b, pages.blockAt(0x100000));
        assertSame(b, pages.blockAt(0x13be3e));
        assertEquals(0x13be3e, pages.settle(b, 0x100000));
    }

    /** The sequence the review found: freed at its new place, a new block there, then the old pfn must not free the new block. */
    @Test
    void aFreedBlocksOldPfnNamesNothing() {
        ConsolePages.Block b = pages.allocated(0x100001, 0, true);
        move(0x100001, 0x13be3e, 0);
        pages.freed(pages.blockAt(0x13be3e));
        ConsolePages.Block q = pages.allocated(0x13be3e, 0, true);
        assertNull(pages.blockAt(0x100001), "the old pfn no longer names anything: the allocator judges it");
        assertSame(q, pages.blockAt(0x13be3e));
        CommandError e = assertThrows(CommandError.class, () -> pages.settle(b, 0x100001));
        assertEquals("pfn 0x100001 is not allocated: it was freed already (at 0x13be3e, where compaction had moved it); nothing changed", e.getMessage());
    }

    @Test
    void aNewBlockAtAPfnALiveBlockLeftTakesItsName() {
        ConsolePages.Block b = pages.allocated(0x100002, 0, true);
        move(0x100002, 0x13be40, 0);
        ConsolePages.Block n = pages.allocated(0x100002, 0, false);
        assertSame(n, pages.blockAt(0x100002));
        assertEquals(0x13be40, pages.settle(b, 0x100002), "the moved block is still found through its $p");
    }

    @Test
    void onlyMovableBlocksOfTheirOrderAreIsolated() {
        pages.allocated(0x100004, 2, false);
        pages.allocated(0x100008, 2, true);
        assertFalse(pages.isolatePage(0x100004, 2), "not movable");
        assertFalse(pages.isolatePage(0x100008, 0), "another order");
        assertFalse(pages.isolatePage(0x100010, 0), "not the console's");
        assertTrue(pages.isolatePage(0x100008, 2));
        pages.putbackPage(0x100008, 2);
        assertEquals(0x100008, pages.settle(pages.blockAt(0x100008), 0x100008));
    }

    @Test
    void aBlockStillIsolatedIsNotFreedAfterTheWait() {
        ConsolePages.Block b = pages.allocated(0x100020, 0, true);
        assertTrue(pages.isolatePage(0x100020, 0));
        CommandError e = assertThrows(CommandError.class, () -> pages.settle(b, 0x100020));
        assertEquals("pfn 0x100020 is being migrated by compaction: nothing freed, try again", e.getMessage());
    }
}

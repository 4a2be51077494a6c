package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.MOVABLE;
import static mm.buddy.Fixtures.UNMOVABLE;
import static mm.buddy.Fixtures.boot;
import static mm.buddy.Fixtures.list;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code check()} turns each kind of corruption into problem lines. */
class CheckTest {

    private MachineImpl m;
    private BuddyAllocator b;
    private FrameTable ft;
    private Zone normal;

    @BeforeEach
    void setUp() {
        m = boot(MachineConfig.DEFAULT);
        b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        ft = m.frames();
        normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(List.of(), b.check());
    }

    private void assertProblem(String... fragments) {
        List<String> problems = b.check();
        assertFalse(problems.isEmpty(), "check() found nothing");
        for (String f : fragments) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(f)), "no problem line contains '" + f + "': " + problems);
        }
        for (String p : problems) {
            assertFalse(p.contains("\n"), "one line each: " + p);
        }
    }

    @Test
    void pgBuddyOnAnAllocatedFrame() {
        long p = b.allocPages(Gfp.GFP_KERNEL, 0);
        ft.set(p, PageFlags.PG_buddy);
        assertProblem("Node 0, zone Normal: 245504 frames are free in the frame table but NR_FREE_PAGES is 245503",
                "frames are marked PG_buddy but");
        ft.clear(p, PageFlags.PG_buddy);
        assertEquals(List.of(), b.check());
    }

    @Test
    void pgBuddyOnATailFrameOfAnAllocatedBlock() {
        long p = b.allocPages(Gfp.GFP_KERNEL, 2);
        ft.set(p + 2, PageFlags.PG_buddy);
        assertProblem(String.format("pfn 0x%x inside the order-2 block at 0x%x is on a free list", p + 2, p));
    }

    @Test
    void aReferencedFrameInsideABlockOnAPerCpuList() {
        MachineImpl machine = boot(MachineConfig.DEFAULT);
        BuddyAllocator withPcp = new BuddyAllocator(machine, true);
        FrameTable t = machine.frames();
        long p = withPcp.allocPages(Gfp.GFP_KERNEL, 2);
        withPcp.freePages(p, 2);
        assertTrue(t.test(p, PageFlags.PG_pcp), "an order-2 free goes to the per-CPU list");
        t.setRefcount(p + 1, 1);
        List<String> problems = withPcp.check();
        assertTrue(problems.stream().anyMatch(l -> l.contains(String.format(
                "pfn 0x%x inside the order-2 block at 0x%x on a per-CPU list is referenced (page count 1)", p + 1, p))), problems.toString());
        t.setRefcount(p + 1, 0);
        assertEquals(List.of(), withPcp.check());
    }

    @Test
    void nrFreePagesTamperedWith() {
        normal.modState(ZoneStat.NR_FREE_PAGES, 1);
        assertProblem("245504 frames are free in the frame table but NR_FREE_PAGES is 245505",
                "the free lists hold 245504 pages but NR_FREE_PAGES is 245505");
        normal.modState(ZoneStat.NR_FREE_PAGES, -1);
        assertEquals(List.of(), b.check());
    }

    @Test
    void nrFreePagesBlocksTamperedWith() {
        normal.modState(ZoneStat.NR_FREE_PAGES_BLOCKS, -512);
        assertProblem("in whole pageblocks but NR_FREE_PAGES_BLOCKS is");
    }

    @Test
    void aBlockUnlinkedFromItsList() {
        List<Long> o10 = list(b, normal, 10, MOVABLE);
        long prev = o10.get(0);
        long gone = o10.get(1);
        long next = o10.get(2);
        ft.setListNext(prev, (int) next);
        ft.setListPrev(next, (int) prev);
        assertProblem("free_list[10][Movable] holds 238 blocks but counts 239", "free_area[10] lists 238 blocks but nr_free is 239",
                "241 frames are marked PG_buddy but 240 blocks are listed", "the free lists hold 244480 pages but NR_FREE_PAGES is 245504");
        assertFalse(list(b, normal, 10, MOVABLE).contains(gone));
    }

    @Test
    void aListThatLoops() {
        List<Long> o10 = list(b, normal, 10, MOVABLE);
        ft.setListNext(o10.get(5), (int) (long) o10.get(2));
        assertProblem("free_list[10][Movable] loops");
    }

    @Test
    void aListedBlockWithoutPgBuddy() {
        long head = list(b, normal, 10, MOVABLE).get(3);
        int next = ft.listNext(head);
        int prev = ft.listPrev(head);
        ft.clear(head, PageFlags.PG_buddy);
        // the list words stay as they were
        ft.setListLinks(head, next, prev);
        assertProblem(String.format("free block 0x%x (order 10, Movable) is not marked PG_buddy", head));
    }

    @Test
    void aListedBlockRecordingAnotherOrder() {
        long head = list(b, normal, 10, MOVABLE).get(0);
        ft.setOrder(head, 9);
        assertProblem(String.format("free block 0x%x (order 10, Movable) records order 9", head));
    }

    @Test
    void aListedBlockOnTheWrongTypesList() {
        long head = list(b, normal, 10, MOVABLE).get(0);
        ft.setPageblockMigratetype(head, UNMOVABLE);
        assertProblem("is on the list of another type than its pageblock (Unmovable)");
    }

    @Test
    void aReservedFrameInsideAFreeBlock() {
        long head = list(b, normal, 10, MOVABLE).get(0);
        ft.set(head + 7, PageFlags.PG_reserved);
        assertProblem(String.format("contains pfn 0x%x, which is reserved", head + 7), "NR_FREE_PAGES is");
    }

    @Test
    void twoFreeBuddiesLeftUnmerged() {
        long p = b.allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(0x100000, p);
        // put the page on the free list behind __free_one_page's back: no merge with 0x100001
        ft.setRefcount(p, 0);
        FreeArea area = b.area(normal);
        synchronized (area) {
            area.addToFreeList(p, 0, UNMOVABLE, false);
            area.accountFreepages(1, UNMOVABLE);
        }
        assertProblem("free block 0x100000 (order 0, Unmovable) and its buddy 0x100001 are both free: they should have merged");
    }

    @Test
    void anAllocatedBlockWithAnImpossibleOrder() {
        long p = b.allocPages(Gfp.GFP_KERNEL, 0);
        ft.setOrder(p + 0, 11);
        assertProblem(String.format("allocated block at pfn 0x%x has order 11", p));
    }

    @Test
    void aFreeCountThatDisagreesWithTheLists() {
        FreeArea area = b.area(normal);
        long head = list(b, normal, 10, MOVABLE).get(0);
        synchronized (area) {
            // unlinked properly, but the pages neither handed out nor counted out
            area.delPageFromFreeList(head, 10, MOVABLE);
        }
        assertProblem("the free lists hold 244480 pages but NR_FREE_PAGES is 245504");
    }
}

package mm.bitmap;

import static mm.bitmap.Fixtures.ISOLATE;
import static mm.bitmap.Fixtures.MOVABLE;
import static mm.bitmap.Fixtures.UNMOVABLE;
import static mm.bitmap.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static mm.tck.FreeFigures.pagetypeinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import mm.tck.FreeFigures;

/**
 * What /proc/buddyinfo and /proc/pagetypeinfo show for the bitmap: its free frames cut into the
 * blocks a fully merged buddy allocator would hold. Proven against the buddy allocator itself,
 * adopting the same frame table.
 */
class BuddyinfoTest {

    static Stream<MachineConfig> shapes() {
        return Stream.of(
                MachineConfig.DEFAULT,
                Fixtures.SMALL,
                new MachineConfig(Arch.ARM64, 4L << 30, 4, 1, 0),
                new MachineConfig(Arch.X86_64, 8L << 30, 4, 2, 0),
                new MachineConfig(Arch.X86_64, 4L << 30, 2, 1, 256L << 20));
    }

    @ParameterizedTest
    @MethodSource("shapes")
    void atBootTheBitmapShowsWhatTheBuddyAllocatorShows(MachineConfig shape) {
        MachineImpl m = boot(shape);
        BuddyAllocator buddy = new BuddyAllocator(m);
        long[][][] lists = pagetypeinfo(buddy, m);
        long[][] orders = buddyinfo(buddy, m);
        long[] free = FreeFigures.freePages(m);
        long[] blocks = Fixtures.freePageBlocks(m);
        Handover h = buddy.quiesce();

        FrameAllocator bitmap = new BitmapFactory().create(m);
        bitmap.adopt(h);

        assertArrayEquals(orders, buddyinfo(bitmap, m));
        assertArrayEquals(lists, pagetypeinfo(bitmap, m));
        assertArrayEquals(free, FreeFigures.freePages(m));
        assertArrayEquals(blocks, Fixtures.freePageBlocks(m));
        assertEquals(List.of(), bitmap.check());
    }

    /** The default machine's figures, as the kernel prints them for a 4 GiB x86_64 machine. */
    @Test
    void theDefaultMachinesBuddyinfo() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator a = new BitmapAllocator(m);
        assertArrayEquals(new long[][] {
            {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 3},
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 752},
            {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 239},
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        }, buddyinfo(a, m));
        assertEquals(239, a.nrFree(m.zone(0, ZoneType.NORMAL), 10, MOVABLE));
        assertEquals(0, a.nrFree(m.zone(0, ZoneType.NORMAL), 10, UNMOVABLE));
    }

    /** Random allocations through the bitmap, then a buddy allocator adopts: both see the same blocks. */
    @ParameterizedTest
    @ValueSource(longs = {3, 17, 2024})
    void afterRandomAllocationsABuddyAllocatorSeesTheSameBlocks(long seed) {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator a = new BitmapAllocator(m);
        int[] gfps = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_DMA32, Gfp.GFP_DMA, Gfp.GFP_ATOMIC};
        Random rnd = new Random(seed);
        List<long[]> held = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            int order = rnd.nextInt(100) < 80 ? rnd.nextInt(4) : rnd.nextInt(FrameAllocator.NR_PAGE_ORDERS);
            long pfn = a.allocPages(gfps[rnd.nextInt(gfps.length)], order);
            if (pfn != FrameAllocator.NO_PAGE) {
                held.add(new long[] {pfn, order});
            }
            if (rnd.nextInt(5) < 2 && !held.isEmpty()) {
                long[] h = held.remove(rnd.nextInt(held.size()));
                a.freePages(h[0], (int) h[1]);
            }
        }
        long[][][] lists = pagetypeinfo(a, m);
        long[] blocks = Fixtures.freePageBlocks(m);
        long small = 0;
        for (long[] zone : buddyinfo(a, m)) {
            for (int o = 0; o < 9; o++) {
                small += zone[o];
            }
        }
        assertTrue(held.size() > 5000 && small > 10, held.size() + " blocks held, " + small + " free blocks below order 9");
        a.quiesce();

        BuddyAllocator buddy = new BuddyAllocator(m, false);

        assertArrayEquals(lists, pagetypeinfo(buddy, m));
        assertArrayEquals(blocks, Fixtures.freePageBlocks(m));
        assertEquals(List.of(), buddy.check());
    }

    /** NR_FREE_PAGES_BLOCKS: free pages in wholly free pageblocks, the pages of nrFree's blocks of order 9 and 10. */
    @Test
    void freePagesBlocksFollowsWhollyFreePageblocks() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator a = new BitmapAllocator(m);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long boot = normal.state(ZoneStat.NR_FREE_PAGES_BLOCKS);
        assertEquals(239 * 1024 + 512, boot);
        long[] expected = new long[7];
        long[] pfns = new long[4];

        pfns[0] = a.allocPages(Gfp.GFP_KERNEL, 0);
        expected[0] = blocksNow(a, m);
        pfns[1] = a.allocPages(Gfp.GFP_KERNEL, 0);
        expected[1] = blocksNow(a, m);
        pfns[2] = a.allocPages(Gfp.GFP_KERNEL, 9);
        expected[2] = blocksNow(a, m);
        pfns[3] = a.allocPages(Gfp.GFP_KERNEL, 10);
        expected[3] = blocksNow(a, m);
        assertArrayEquals(new long[] {0x100000, 0x100001, 0x100200, 0x100400}, pfns);
        assertArrayEquals(new long[] {boot - 512, boot - 512, boot - 1024, boot - 2048}, java.util.Arrays.copyOf(expected, 4),
                "the pageblock at 0x100000 stops being whole once, then 0x100200, then 0x100400 and 0x100600");

        a.freePages(pfns[0], 0);
        assertEquals(boot - 2048, blocksNow(a, m), "0x100001 still holds the pageblock");
        a.freePages(pfns[1], 0);
        assertEquals(boot - 1536, blocksNow(a, m));
        a.freePages(pfns[3], 10);
        assertEquals(boot - 512, blocksNow(a, m));
        a.freePages(pfns[2], 9);
        assertEquals(boot, blocksNow(a, m));
        assertEquals(List.of(), a.check());
    }

    /** Normal's NR_FREE_PAGES_BLOCKS, after checking it against nrFree in every zone. */
    private static long blocksNow(BitmapAllocator a, Machine m) {
        for (Zone z : m.zones()) {
            long fromBlocks = (a.nrFree(z, 9) << 9) + (a.nrFree(z, 10) << 10);
            assertEquals(fromBlocks, z.state(ZoneStat.NR_FREE_PAGES_BLOCKS), z.toString());
        }
        return m.zone(0, ZoneType.NORMAL).state(ZoneStat.NR_FREE_PAGES_BLOCKS);
    }

    /**
     * A MIGRATE_ISOLATE pageblock ({@code account_freepages}): its free frames are set in the bitmap
     * but not counted in NR_FREE_PAGES, never handed out, shown under Isolate, and never merged with
     * a movable neighbour into an order-10 block.
     */
    @Test
    void isolatedPageblocksAreNeitherCountedNorHandedOut() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator a = new BitmapAllocator(m);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long p = a.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9);
        assertEquals(0x100000, p);
        m.frames().setPageblockMigratetype(p, ISOLATE);
        long free = normal.freePages();
        long blocks = normal.state(ZoneStat.NR_FREE_PAGES_BLOCKS);

        a.freePages(p, 9);

        assertEquals(free, normal.freePages());
        assertEquals(blocks, normal.state(ZoneStat.NR_FREE_PAGES_BLOCKS));
        assertEquals(1, a.nrFree(normal, 9, ISOLATE));
        assertEquals(0x100200, a.allocPages(Gfp.GFP_KERNEL, 0), "first fit skips the isolated pageblock");
        assertEquals(0x100400, a.allocPages(Gfp.GFP_KERNEL, 10));
        assertEquals(0x100800, a.allocPages(Gfp.GFP_KERNEL, 9));
        a.freePages(0x100200, 0);
        // 0x100000 (isolated) and 0x100200 (movable) are both free: two order-9 blocks, as the buddy keeps them
        assertEquals(1, a.nrFree(normal, 9, ISOLATE));
        assertEquals(3, a.nrFree(normal, 9, MOVABLE), "0x100200, 0x100a00 beside the held 0x100800, the boot remainder");
        assertEquals(236, a.nrFree(normal, 10));
        assertEquals(List.of(), a.check());
        long[][][] lists = pagetypeinfo(a, m);
        a.quiesce();

        BuddyAllocator buddy = new BuddyAllocator(m, false);

        assertArrayEquals(lists, pagetypeinfo(buddy, m));
        assertEquals(free, normal.freePages() + (1 << 10) + (1 << 9), "the two blocks still held");
        assertEquals(List.of(), buddy.check());
    }

    /** Two wholly free pageblocks of different per-CPU types make one order-10 block, counted under the first one's type. */
    @Test
    void anOrder10BlockCountsUnderItsFirstPageblocksType() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator a = new BitmapAllocator(m);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long p = a.allocPages(Gfp.GFP_KERNEL, 10);
        assertEquals(0x100000, p);
        m.frames().setPageblockMigratetype(p, UNMOVABLE);
        a.freePages(p, 10);
        assertEquals(1, a.nrFree(normal, 10, UNMOVABLE));
        assertEquals(238, a.nrFree(normal, 10, MOVABLE));
        assertEquals(List.of(), a.check());
    }
}

package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.ISOLATE;
import static mm.buddy.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static mm.tck.FreeFigures.pagetypeinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.hw.machine.MachineImpl;
import mm.tck.FreeFigures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adoption: a second allocator built on the same machine rebuilds the free lists from the frame
 * table alone, and can free what the first one handed out.
 */
class AdoptionTest {

    private static final int[] GFPS = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
        Gfp.GFP_DMA32, Gfp.GFP_DMA, Gfp.GFP_ATOMIC, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_COMP};

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void aSecondAllocatorAdoptsTheFrameTableAndFreesEverything(long seed) {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator first = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        long[][] boot = buddyinfo(first, m);
        long[] bootFree = FreeFigures.freePages(m);
        Random rnd = new Random(seed);
        List<long[]> held = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            int order = rnd.nextInt(100) < 85 ? rnd.nextInt(4) : rnd.nextInt(FrameAllocator.NR_PAGE_ORDERS);
            long pfn = first.allocPages(GFPS[rnd.nextInt(GFPS.length)], order);
            if (pfn != FrameAllocator.NO_PAGE) {
                held.add(new long[] {pfn, order});
            }
            if (rnd.nextInt(3) == 0 && !held.isEmpty()) {
                long[] h = held.remove(rnd.nextInt(held.size()));
                first.freePages(h[0], (int) h[1]);
            }
        }
        assertTrue(held.size() > 2000, "held " + held.size());
        assertEquals(List.of(), first.check());
        long[][][] lists = pagetypeinfo(first, m);
        long[] free = FreeFigures.freePages(m);
        long[] blocks = m.zones().stream().mapToLong(z -> z.state(ZoneStat.NR_FREE_PAGES_BLOCKS)).toArray();

        first.quiesce();
        BuddyAllocator second = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        first.forwardTo(second);

        assertEquals(List.of(), second.check());
        for (Zone z : m.zones()) {
            assertEquals(z.state(ZoneStat.NR_FREE_PAGES), FreeFigures.listedPages(second, z), z.toString());
        }
        assertArrayEquals(free, FreeFigures.freePages(m), "NR_FREE_PAGES recounted to the same figures");
        assertArrayEquals(blocks, m.zones().stream().mapToLong(z -> z.state(ZoneStat.NR_FREE_PAGES_BLOCKS)).toArray());
        // every free page merged as far as it can go: the decomposition is the same, list by list
        assertArrayEquals(lists, pagetypeinfo(second, m));

        Collections.shuffle(held, rnd);
        for (long[] h : held) {
            second.freePages(h[0], (int) h[1]);
        }
        assertArrayEquals(boot, buddyinfo(second, m));
        assertArrayEquals(bootFree, FreeFigures.freePages(m));
        assertEquals(List.of(), second.check());
    }

    @ParameterizedTest
    @ValueSource(longs = {5})
    void adoptionKeepsIsolatedFreeBlocksOutOfNrFreePages(long seed) {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator first = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone normal = m.zone(0, mm.api.machine.ZoneType.NORMAL);
        assertEquals(0x13bc00, first.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9));
        long p = first.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9);
        m.frames().setPageblockMigratetype(p, ISOLATE);
        first.freePages(p, 9);
        long free = normal.freePages();

        BuddyAllocator second = new BuddyAllocator(m, BUDDY_LISTS_ONLY);

        assertEquals(free, normal.freePages());
        assertEquals(List.of(p), Fixtures.list(second, normal, 9, ISOLATE));
        assertEquals(List.of(), second.check());
    }
}

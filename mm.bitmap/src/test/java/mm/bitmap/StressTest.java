package mm.bitmap;

import static mm.bitmap.Fixtures.SMALL;
import static mm.bitmap.Fixtures.boot;
import static mm.bitmap.Fixtures.buddyinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random alloc/free with every invariant checked along the way. (Two CPUs at once, and the
 * rest of the contract, are the conformance suite's: {@link BitmapConformanceTest}.)
 */
class StressTest {

    private static final int[] GFPS = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
        Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT, Gfp.GFP_DMA, Gfp.GFP_DMA32, Gfp.GFP_KERNEL | Gfp.__GFP_HIGH};

    private static int randomOrder(Random rnd) {
        int r = rnd.nextInt(100);
        return r < 70 ? 0 : r < 95 ? 1 + rnd.nextInt(3) : rnd.nextInt(FrameAllocator.NR_PAGE_ORDERS);
    }

    /** On the small machine, so that the run reaches the watermarks and fragments the zones. */
    @ParameterizedTest
    @ValueSource(longs = {1, 99, 4242})
    void randomAllocFreeKeepsEveryInvariant(long seed) {
        MachineImpl m = boot(SMALL);
        BitmapAllocator a = new BitmapAllocator(m);
        long[][] boot = buddyinfo(a, m);
        long managed = m.totalramPages();
        Random rnd = new Random(seed);
        List<long[]> held = new ArrayList<>();
        long heldPages = 0;
        int failures = 0;
        for (int step = 1; step <= 30000; step++) {
            boolean alloc = held.isEmpty() || rnd.nextInt(100) < (step < 15000 ? 65 : 35);
            if (alloc) {
                int order = randomOrder(rnd);
                long pfn = a.allocPages(GFPS[rnd.nextInt(GFPS.length)], order);
                if (pfn == FrameAllocator.NO_PAGE) {
                    failures++;
                } else {
                    assertEquals(0, pfn & ((1L << order) - 1), "aligned");
                    assertEquals(1, m.frames().refcount(pfn));
                    held.add(new long[] {pfn, order});
                    heldPages += 1L << order;
                }
            } else {
                long[] h = held.remove(rnd.nextInt(held.size()));
                a.freePages(h[0], (int) h[1]);
                heldPages -= 1L << h[1];
            }
            if (step % 1000 == 0) {
                assertEquals(List.of(), a.check(), "step " + step);
                long free = 0;
                for (Zone z : m.zones()) {
                    assertEquals(z.freePages(), Fixtures.blockPages(a, z), z + " at step " + step);
                    free += z.freePages();
                }
                assertEquals(managed, free + heldPages, "no frame lost at step " + step);
            }
        }
        assertTrue(failures > 0, "the run reached the watermarks");
        for (long[] h : held) {
            a.freePages(h[0], (int) h[1]);
        }
        assertArrayEquals(boot, buddyinfo(a, m));
        assertEquals(managed, m.zones().stream().mapToLong(Zone::freePages).sum());
        assertEquals(List.of(), a.check());
    }

    /** The default machine (three zones, 1 M frames): fewer steps, the same invariants. */
    @Test
    void randomAllocFreeOnTheDefaultMachine() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator a = new BitmapAllocator(m);
        long[][] boot = buddyinfo(a, m);
        Random rnd = new Random(7);
        List<long[]> held = new ArrayList<>();
        for (int step = 1; step <= 20000; step++) {
            if (held.isEmpty() || rnd.nextInt(100) < 60) {
                int order = randomOrder(rnd);
                long pfn = a.allocPages(GFPS[rnd.nextInt(GFPS.length)], order);
                if (pfn != FrameAllocator.NO_PAGE) {
                    held.add(new long[] {pfn, order});
                }
            } else {
                long[] h = held.remove(rnd.nextInt(held.size()));
                a.freePages(h[0], (int) h[1]);
            }
            if (step % 5000 == 0) {
                assertEquals(List.of(), a.check(), "step " + step);
            }
        }
        for (long[] h : held) {
            a.freePages(h[0], (int) h[1]);
        }
        assertArrayEquals(boot, buddyinfo(a, m));
        assertEquals(List.of(), a.check());
    }
}

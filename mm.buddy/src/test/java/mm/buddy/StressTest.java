package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.SMALL;
import static mm.buddy.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Zone;
import mm.hw.machine.MachineImpl;
import mm.tck.RandomWalk;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import mm.tck.FreeFigures;

/** Seeded random alloc/free with the invariants checked along the way, and two CPUs at once. */
class StressTest {

    private static final int[] GFPS = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
        Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT, Gfp.GFP_DMA, Gfp.GFP_DMA32, Gfp.GFP_KERNEL | Gfp.__GFP_HIGH};

    /** The shared random walk (mm.tck's RandomWalk), with the buddy lists checked against the zones along the way. */
    @ParameterizedTest
    @ValueSource(longs = {1, 99, 4242})
    void randomAllocFreeKeepsEveryInvariant(long seed) {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        long[][] boot = buddyinfo(b, m);
        int failures = RandomWalk.run(m, b, seed, 30000, 1000, step -> {
            for (Zone z : m.zones()) {
                assertEquals(z.freePages(), FreeFigures.listedPages(b, z), z + ": the pages on the buddy lists at step " + step);
            }
        });
        assertTrue(failures > 0, "the run reached the watermarks");
        assertArrayEquals(boot, buddyinfo(b, m));
        assertEquals(m.totalramPages(), m.zones().stream().mapToLong(Zone::freePages).sum());
        assertEquals(List.of(), b.check());
    }

    /**
     * Two threads, each on its own simulated CPU, allocate and free at once. A shared owner per
     * frame proves no frame is ever handed to both; at the end every frame is back.
     */
    @Test
    void twoCpusAllocateAndFreeConcurrently() throws Exception {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        long[][] boot = buddyinfo(b, m);
        long[] bootFree = FreeFigures.freePages(m);
        AtomicIntegerArray owner = new AtomicIntegerArray((int) m.frames().endPfn());
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int cpu = 0; cpu < 2; cpu++) {
                final int c = cpu;
                results.add(pool.submit(() -> m.runOn(c, () -> {
                    try {
                        start.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return churn(b, owner, c + 1, new Random(1000 + c));
                })));
            }
            int totalAllocs = 0;
            for (Future<int[]> f : results) {
                int[] r = f.get(5, TimeUnit.MINUTES);
                assertEquals(0, r[1], "frames handed out twice");
                totalAllocs += r[0];
            }
            assertTrue(totalAllocs > 10000);
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < owner.length(); i++) {
            assertEquals(0, owner.get(i), "pfn " + i + " still owned");
        }
        assertArrayEquals(boot, buddyinfo(b, m));
        assertArrayEquals(bootFree, FreeFigures.freePages(m));
        assertEquals(List.of(), b.check());
    }

    /** Random alloc/free on the current CPU, claiming each frame in {@code owner}; frees all at the end. */
    private static int[] churn(BuddyAllocator b, AtomicIntegerArray owner, int me, Random rnd) {
        List<long[]> held = new ArrayList<>();
        int allocs = 0;
        int clashes = 0;
        for (int step = 0; step < 20000; step++) {
            if (held.isEmpty() || rnd.nextInt(100) < 55) {
                int order = rnd.nextInt(100) < 80 ? 0 : 1 + rnd.nextInt(4);
                long pfn = b.allocPages(GFPS[rnd.nextInt(GFPS.length)], order);
                if (pfn == FrameAllocator.NO_PAGE) {
                    continue;
                }
                allocs++;
                for (long p = pfn; p < pfn + (1L << order); p++) {
                    if (!owner.compareAndSet((int) p, 0, me)) {
                        clashes++;
                    }
                }
                held.add(new long[] {pfn, order});
            } else {
                long[] h = held.remove(rnd.nextInt(held.size()));
                release(b, owner, me, h);
            }
        }
        for (long[] h : held) {
            release(b, owner, me, h);
        }
        return new int[] {allocs, clashes};
    }

    private static void release(BuddyAllocator b, AtomicIntegerArray owner, int me, long[] h) {
        for (long p = h[0]; p < h[0] + (1L << h[1]); p++) {
            owner.compareAndSet((int) p, me, 0);
        }
        b.freePages(h[0], (int) h[1]);
    }
}

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
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Seeded random alloc/free with every invariant checked along the way, and two CPUs at once. */
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

    /**
     * Two threads, each on its own simulated CPU, allocate and free at once. A shared owner per
     * frame proves no frame is ever handed to both; at the end every frame is back.
     */
    @Test
    void twoCpusAllocateAndFreeConcurrently() throws Exception {
        MachineImpl m = boot(SMALL);
        BitmapAllocator a = new BitmapAllocator(m);
        long[][] boot = buddyinfo(a, m);
        long[] bootFree = Fixtures.freePages(m);
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
                    return churn(a, owner, c + 1, new Random(1000 + c));
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
        assertArrayEquals(boot, buddyinfo(a, m));
        assertArrayEquals(bootFree, Fixtures.freePages(m));
        assertEquals(List.of(), a.check());
    }

    /** Random alloc/free on the current CPU, claiming each frame in {@code owner}; frees all at the end. */
    private static int[] churn(BitmapAllocator a, AtomicIntegerArray owner, int me, Random rnd) {
        List<long[]> held = new ArrayList<>();
        int allocs = 0;
        int clashes = 0;
        for (int step = 0; step < 20000; step++) {
            if (held.isEmpty() || rnd.nextInt(100) < 55) {
                int order = rnd.nextInt(100) < 80 ? 0 : 1 + rnd.nextInt(4);
                long pfn = a.allocPages(GFPS[rnd.nextInt(GFPS.length)], order);
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
                release(a, owner, me, h);
            }
        }
        for (long[] h : held) {
            release(a, owner, me, h);
        }
        return new int[] {allocs, clashes};
    }

    private static void release(BitmapAllocator a, AtomicIntegerArray owner, int me, long[] h) {
        for (long p = h[0]; p < h[0] + (1L << h[1]); p++) {
            owner.compareAndSet((int) p, me, 0);
        }
        a.freePages(h[0], (int) h[1]);
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

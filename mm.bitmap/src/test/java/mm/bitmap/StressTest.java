package mm.bitmap;

import static mm.bitmap.Fixtures.SMALL;
import static mm.bitmap.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.hw.machine.MachineImpl;
import mm.tck.RandomWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import mm.tck.FreeFigures;

/**
 * Seeded random alloc/free with every invariant checked along the way. (Two CPUs at once, and the
 * rest of the contract, are the conformance suite's: {@link BitmapConformanceTest}.)
 */
class StressTest {

    /** On the small machine, so that the run reaches the watermarks and fragments the zones. */
    @ParameterizedTest
    @ValueSource(longs = {1, 99, 4242})
    void randomAllocFreeKeepsEveryInvariant(long seed) {
        MachineImpl m = boot(SMALL);
        BitmapAllocator a = new BitmapAllocator(m);
        long[][] boot = buddyinfo(a, m);
        int failures = RandomWalk.run(m, a, seed, 30000, 1000, step -> {
            for (Zone z : m.zones()) {
                assertEquals(z.freePages(), FreeFigures.listedPages(a, z), z + ": the bitmap's free blocks at step " + step);
            }
        });
        assertTrue(failures > 0, "the run reached the watermarks");
        assertArrayEquals(boot, buddyinfo(a, m));
        assertEquals(m.totalramPages(), m.zones().stream().mapToLong(Zone::freePages).sum());
        assertEquals(List.of(), a.check());
    }

    /** The default machine (three zones, 1 M frames): fewer steps, the same invariants. */
    @Test
    void randomAllocFreeOnTheDefaultMachine() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator a = new BitmapAllocator(m);
        long[][] boot = buddyinfo(a, m);
        RandomWalk.run(m, a, 7, 20000, 5000, step -> { });
        assertArrayEquals(boot, buddyinfo(a, m));
        assertEquals(List.of(), a.check());
    }
}

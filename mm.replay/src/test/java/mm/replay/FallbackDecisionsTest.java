package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.trace.TraceRecord;
import mm.buddy.BuddyFactory;
import mm.core.trace.KmemTrace;
import mm.hw.machine.MachineFactoryImpl;
import org.junit.jupiter.api.Test;

/**
 * How extfrag lines are paired with allocations: by CPU, with the next mm_page_alloc of the same
 * order and migratetype; the others are unpaired; the simulator's own fallbacks are counted apart.
 */
class FallbackDecisionsTest {

    private static String line(int cpu, String event, String args) {
        return new TraceRecord(1_000_000L * cpu, cpu, 100 + cpu, "java", event, args).format() + "\n";
    }

    private static String alloc(int cpu, long pfn, int migratetype, int gfp) {
        return line(cpu, "mm_page_alloc", KmemTrace.mmPageAllocArgs(pfn, 0, migratetype, gfp));
    }

    private static String extfrag(int cpu, long pfn, int allocMigratetype, int fallbackMigratetype) {
        return line(cpu, "mm_page_alloc_extfrag", KmemTrace.mmPageAllocExtfragArgs(pfn, 0, 10, allocMigratetype, fallbackMigratetype,
                true));
    }

    /**
     * On a fresh machine every pageblock is movable: the first kernel page on CPU 0 claims one
     * (reproduced, CPU 1's line between them notwithstanding), CPU 1's extfrag of an unmovable
     * request followed by a movable allocation is unpaired, CPU 2's first reclaimable page falls
     * back in the simulator alone, CPU 3's extfrag ends the trace unpaired.
     */
    @Test
    void pairedByCpuOrderAndMigratetype() throws IOException {
        String trace = "# tracer: nop\n"
                + extfrag(0, 0x100000, 0, 1)
                + alloc(1, 0x200000, 1, Gfp.GFP_HIGHUSER_MOVABLE)
                + alloc(0, 0x100000, 0, Gfp.GFP_KERNEL)
                + extfrag(1, 0x100200, 0, 1)
                + alloc(1, 0x200001, 1, Gfp.GFP_HIGHUSER_MOVABLE)
                + alloc(2, 0x300000, 2, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE)
                + extfrag(3, 0x100400, 0, 1);
        Replay rp = Replay.prepare(new MachineFactoryImpl(), MachineConfig.DEFAULT, new BuddyFactory(), null, ReplayOptions.DEFAULT);

        ReplayReport r = rp.run(TraceInput.of(trace.getBytes(StandardCharsets.ISO_8859_1)), "synthetic", null);

        assertEquals(0, r.parse().unparsed(), () -> r.parse().firstUnparsed().toString());
        ReplayReport.Fallbacks f = r.fallbacks();
        assertTrue(f.inTrace());
        assertEquals(1, f.decisions().total());
        assertEquals(1, f.decisions().reproduced(), () -> f.decisions().firstDifferences().toString());
        assertEquals(1, f.ownershipReproduced());
        assertEquals(1, f.simulatorOnly());
        assertEquals(2, f.unpaired());
        assertEquals(0, r.notReenacted(), "extfrag lines are compared, not left out");
    }
}

package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;
import mm.bitmap.BitmapFactory;
import mm.buddy.BuddyFactory;
import mm.hw.machine.MachineFactoryImpl;
import mm.hw.trace.TracerImpl;
import org.junit.jupiter.api.Test;

/**
 * The kernel's fallback decisions (mm_page_alloc_extfrag before an mm_page_alloc on the same CPU)
 * compared with the simulator's: a trace the buddy allocator wrote while a small machine was
 * fragmented both ways (unmovable requests claiming movable pageblocks, then movable requests
 * stealing from unmovable ones), replayed on a fresh machine of the same shape.
 */
class FallbackReplayTest {

    /** 128 MiB, 2 CPUs: DMA and DMA32, a few dozen pageblocks. */
    static final MachineConfig SHAPE = new MachineConfig(Arch.X86_64, 128L << 20, 2, 1, 0);

    /** The trace of the fragmenting workload, as mm:trace save writes it (every kmem event enabled). */
    static String fragmentingTrace() {
        Machine m = new MachineFactoryImpl().boot(SHAPE);
        FrameAllocator fa = new BuddyFactory().create(m);
        fa.adopt(Handover.BOOT);
        TracerImpl t = (TracerImpl) m.tracer();
        t.setBufferSizeKb(16384);
        t.setEnabled("kmem:*", true);
        // unmovable blocks of orders 0 to 3 on both CPUs: when the unmovable pageblocks run dry, a movable one is claimed
        List<long[]> kernel = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int order = i % 4;
            int cpu = i % 2;
            int gfp = i % 7 == 0 ? Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE : Gfp.GFP_KERNEL;
            long pfn = m.runOn(cpu, () -> fa.allocPages(gfp, order));
            kernel.add(new long[] {pfn, order, cpu});
        }
        // every other one freed: holes in the unmovable pageblocks
        for (int i = 0; i < kernel.size(); i += 2) {
            long[] k = kernel.get(i);
            m.runOn((int) k[2], () -> {
                fa.freePages(k[0], (int) k[1]);
                return null;
            });
        }
        // movable pages until little is left: the movable pageblocks run dry and movable requests steal
        long free = freePages(m);
        List<Long> user = new ArrayList<>();
        for (long n = 0; n < free - 2048; n++) {
            long pfn = fa.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 0);
            assertTrue(pfn != FrameAllocator.NO_PAGE, () -> "movable page " + user.size() + " of " + (free - 2048));
            user.add(pfn);
        }
        for (long p : user) {
            fa.freePages(p, 0);
        }
        return TraceRoundTripTest.traceFile(t, m.cpuCount());
    }

    private static long freePages(Machine m) {
        long free = 0;
        for (Zone z : m.zones()) {
            free += z.freePages();
        }
        return free;
    }

    static ReplayReport replay(String trace, FrameAllocatorFactory f) throws IOException {
        Replay r = Replay.prepare(new MachineFactoryImpl(), SHAPE, f, null, ReplayOptions.DEFAULT);
        return r.run(TraceInput.of(trace.getBytes(StandardCharsets.ISO_8859_1)), "fallbacks", null);
    }

    /**
     * The kernel's decisions of a trace, read independently of the replay: per CPU, the indices of
     * the extfrag lines since that CPU's last mm_page_alloc, closed by the mm_page_alloc.
     */
    static List<List<Integer>> decisions(List<String> lines) {
        List<List<Integer>> out = new ArrayList<>();
        Map<Integer, List<Integer>> open = new HashMap<>();
        TraceParser p = new TraceParser();
        for (int i = 0; i < lines.size(); i++) {
            TraceEvent e = p.parse(lines.get(i));
            if (e == null) {
                continue;
            }
            if (e.type() == EventType.MM_PAGE_ALLOC_EXTFRAG) {
                open.computeIfAbsent(e.cpu(), c -> new ArrayList<>()).add(i);
            } else if (e.type() == EventType.MM_PAGE_ALLOC) {
                List<Integer> group = open.remove(e.cpu());
                if (group != null) {
                    out.add(group);
                }
            }
        }
        assertTrue(open.isEmpty(), "extfrag lines at the end of the trace: " + open);
        return out;
    }

    private static List<String> lines(String text) {
        return new ArrayList<>(List.of(text.split("\n")));
    }

    private static String text(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    /** Replaces {@code key=value} in a line. */
    private static String with(String line, String key, long value) {
        String replaced = line.replaceFirst(" " + key + "=-?\\d+", " " + key + "=" + value);
        assertTrue(!replaced.equals(line) || line.contains(" " + key + "=" + value + " ") || line.endsWith(" " + key + "=" + value), line);
        return replaced;
    }

    private static final String TRACE = fragmentingTrace();

    @Test
    void everyFallbackOfTheBuddyAllocatorIsReproducedOnAFreshMachineOfTheSameShape() throws IOException {
        List<String> lines = lines(TRACE);
        List<List<Integer>> decisions = decisions(lines);
        int n = decisions.size();
        assertTrue(n > 10, "decisions " + n);
        // both ways: unmovable requests claimed movable pageblocks, movable requests fell back to other types
        String firsts = decisions.stream().map(g -> lines.get(g.get(0))).reduce("", (a, b) -> a + b + "\n");
        assertTrue(firsts.contains("alloc_migratetype=0 fallback_migratetype=1 fragmenting=0 change_ownership=1"), firsts);
        assertTrue(firsts.contains("alloc_migratetype=1 fallback_migratetype=0"), firsts);
        assertTrue(firsts.contains("fragmenting=1 change_ownership=0"), firsts);

        ReplayReport r = replay(TRACE, new BuddyFactory());

        assertEquals(0, r.errors(), () -> "errors: " + r.firstErrors());
        assertEquals(0, r.pages().failures());
        ReplayReport.Fallbacks f = r.fallbacks();
        assertTrue(f.inTrace());
        assertEquals(n, f.decisions().total());
        assertEquals(n, f.decisions().reproduced(), () -> f.decisions().firstDifferences().toString());
        assertEquals(n, f.ownershipReproduced());
        assertEquals(0, f.simulatorOnly());
        assertEquals(0, f.unpaired());
        assertEquals(List.of(), f.decisions().firstDifferences());
        assertTrue(r.balanced());
    }

    /**
     * Decisions edited in the trace: two with another fallback_migratetype are not reproduced,
     * three with change_ownership flipped are reproduced without their ownership, and one whose
     * extfrag lines are removed is a fallback of the simulator alone.
     */
    @Test
    void editedDecisionsAreCountedAsNotReproduced() throws IOException {
        List<String> lines = lines(TRACE);
        List<List<Integer>> decisions = decisions(lines);
        int n = decisions.size();
        List<Long> editedLines = new ArrayList<>();
        for (int d = 0; d < 2; d++) {
            int i = decisions.get(d).get(0);
            TraceEvent e = new TraceParser().parse(lines.get(i));
            long other = e.get(Slot.FALLBACK_MIGRATETYPE) == 1 ? 2 : 1;
            lines.set(i, with(lines.get(i), "fallback_migratetype", other));
            editedLines.add(i + 1L);
        }
        for (int d = 2; d < 5; d++) {
            int i = decisions.get(d).get(0);
            TraceEvent e = new TraceParser().parse(lines.get(i));
            lines.set(i, with(lines.get(i), "change_ownership", 1 - e.get(Slot.CHANGE_OWNERSHIP)));
            editedLines.add(i + 1L);
        }
        // the last decision's extfrag lines removed, from the end so that the line numbers above stay
        List<Integer> removed = decisions.get(n - 1);
        for (int k = removed.size() - 1; k >= 0; k--) {
            lines.remove((int) removed.get(k));
        }

        ReplayReport.Fallbacks f = replay(text(lines), new BuddyFactory()).fallbacks();

        assertEquals(n - 1, f.decisions().total());
        assertEquals(n - 3, f.decisions().reproduced());
        assertEquals(n - 6, f.ownershipReproduced());
        assertEquals(1, f.simulatorOnly());
        assertEquals(0, f.unpaired());
        List<String> diffs = f.decisions().firstDifferences();
        assertEquals(5, diffs.size(), diffs.toString());
        for (int d = 0; d < 5; d++) {
            assertTrue(diffs.get(d).startsWith("line " + editedLines.get(d) + ": order "), diffs.toString());
        }
        assertTrue(diffs.get(0).endsWith(" in the simulator") && !diffs.get(0).contains("no fallback"), diffs.get(0));
    }

    /** The bitmap allocator has no migratetypes and never falls back: nothing reproduced, nothing of its own. */
    @Test
    void theBitmapAllocatorReproducesNoFallback() throws IOException {
        int n = decisions(lines(TRACE)).size();

        ReplayReport.Fallbacks f = replay(TRACE, new BitmapFactory()).fallbacks();

        assertTrue(f.inTrace());
        assertEquals(n, f.decisions().total());
        assertEquals(0, f.decisions().reproduced());
        assertEquals(0, f.ownershipReproduced());
        assertEquals(0, f.simulatorOnly());
        assertTrue(f.decisions().firstDifferences().get(0).endsWith(", no fallback in the simulator"), f.decisions().firstDifferences()
                .get(0));
    }

    /** The real capture did not enable mm_page_alloc_extfrag: no decision to compare, whatever the simulator did. */
    @Test
    void theRealCaptureHasNoFallbackToCompare() throws IOException {
        Replay rp = Replay.prepare(new MachineFactoryImpl(), MachineConfig.DEFAULT, new BuddyFactory(), null, ReplayOptions.DEFAULT);
        ReplayReport.Fallbacks f = rp.run(TraceInput.of(Capture.bytes()), "capture", null).fallbacks();
        assertFalse(f.inTrace());
        assertEquals(0, f.decisions().total());
        assertEquals(0, f.unpaired());
    }

    /** The replay machine's tracer is left as it was found: the extfrag event off, no sink. */
    @Test
    void theReplayMachinesTracerIsLeftOff() throws IOException {
        Replay rp = Replay.prepare(new MachineFactoryImpl(), SHAPE, new BuddyFactory(), null, ReplayOptions.DEFAULT);
        rp.run(TraceInput.of(TRACE.getBytes(StandardCharsets.ISO_8859_1)), "fallbacks", null);
        TracerImpl t = (TracerImpl) rp.machine().tracer();
        assertFalse(t.tracepoint("kmem", "mm_page_alloc_extfrag").enabled());
        t.clear();
        rp.frames().allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(0, t.entriesWritten());
    }
}

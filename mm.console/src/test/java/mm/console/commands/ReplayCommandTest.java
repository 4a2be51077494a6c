package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.subsystem.Subsystem;
import mm.api.trace.TraceRecord;
import mm.bitmap.BitmapFactory;
import mm.buddy.BuddyFactory;
import mm.console.proc.KernelData;
import mm.core.trace.KmemTrace;
import mm.hw.machine.MachineFactoryImpl;
import mm.slub.SlubFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class ReplayCommandTest {

    @TempDir
    Path tmp;

    private static ReplayCommand command() {
        ReplayCommand c = new ReplayCommand();
        c.machines = new MachineFactoryImpl();
        c.machine = c.machines.boot(MachineConfig.DEFAULT);
        c.addFactory(new BuddyFactory(), Map.of(Subsystem.PROP_IMPL, "buddy"));
        c.addFactory(new BitmapFactory(), Map.of(Subsystem.PROP_IMPL, "bitmap"));
        c.addCacheFactory(new SlubFactory(), Map.of(Subsystem.PROP_IMPL, "slub"));
        return c;
    }

    private Path capture() throws IOException {
        Path p = tmp.resolve("kmem-sample-java-version.txt");
        Files.writeString(p, KernelData.read("trace/kmem-sample-java-version.txt"), StandardCharsets.ISO_8859_1);
        return p;
    }

    @Test
    void theReportIsTheSameEveryTimeWithoutTimings() throws IOException {
        Path p = capture();
        String a = command().replay(false, p.toString());
        String b = command().replay(false, p.toString());
        assertEquals(a, b);
        assertTrue(a.startsWith("replay of kmem-sample-java-version.txt on buddy + slub, a fresh x86_64, 4 GiB RAM, 4 CPUs, 1 node\n"), a);
        assertTrue(a.contains("\nevents              20098\n"), a);
        assertTrue(a.contains("\n  mm_page_alloc                4714\n"), a);
        assertTrue(a.contains("\nunparsed lines      0\n"), a);
        assertTrue(a.contains("\nkmalloc decisions   136/136 reproduced"), a);
        assertTrue(a.contains("\nfallback decisions  not in trace (no mm_page_alloc_extfrag line)\n"), a);
        assertTrue(a.contains("\nnot re-enacted      "), a);
        assertTrue(a.contains("Node 0, zone Normal  start "), a);
        assertFalse(a.contains("events/s"), a);
        String t = command().replay(true, p.toString());
        assertTrue(t.contains("\nevents/s            "), t);
    }

    /** An allocation the kernel failed (null page, pfn 0) is named apart from the simulator's failures; none, nothing said. */
    @Test
    void theKernelsFailuresAreNamed() throws IOException {
        Path p = tmp.resolve("failed.txt");
        String line = "            java-5239    [001] d..3.   199.128519: mm_page_alloc: ";
        Files.writeString(p, line + KmemTrace.mmPageAllocArgs(-1, 2, 0, Gfp.GFP_KERNEL) + "\n"
                + line + KmemTrace.mmPageAllocArgs(0x1000, 0, 0, Gfp.GFP_KERNEL) + "\n", StandardCharsets.ISO_8859_1);
        String a = command().replay(false, p.toString());
        assertTrue(a.contains("\npages               allocated 1, failed 0, failed by the kernel 1 (not re-enacted), freed 0,"), a);
        assertFalse(command().replay(false, capture().toString()).contains("failed by the kernel"));
    }

    /** The same report from the xz-compressed capture; garbled lines are counted by number and the replay carries on. */
    @Test
    void xzAndGarbledLines() throws IOException {
        Path p = capture();
        Path xz = tmp.resolve("t.xz");
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options(1))) {
            out.write(Files.readAllBytes(p));
        }
        String plain = command().replay(false, p.toString());
        String packed = command().replay(false, xz.toString());
        assertEquals(plain.substring(plain.indexOf('\n')), packed.substring(packed.indexOf('\n')));
        List<String> lines = new ArrayList<>(Files.readAllLines(p, StandardCharsets.ISO_8859_1));
        lines.add(20, lines.get(20).substring(0, 50));
        lines.add(30, "            java-5239    [001] d..3.   199.128519: mm_page_teleport: pfn=0x1");
        Path bad = Files.write(tmp.resolve("bad.txt"), lines, StandardCharsets.ISO_8859_1);
        String out = command().replay(false, bad.toString());
        assertTrue(out.contains("\nunparsed lines      2, first at line 21 (no event name), line 31 (unknown event "
                + "'mm_page_teleport')\n"), out);
        assertTrue(out.contains("\nevents              20098\n"), out);
    }

    @Test
    void theComparisonIsATable() throws IOException {
        String out = command().replaycmp(false, capture().toString(), "buddy,bitmap");
        String[] lines = out.split("\n");
        assertEquals(5, lines.length, out);
        assertTrue(lines[2].startsWith("IMPL    FAILURES  UNKNOWN FREES  FRAG WORST  FRAG END  FALLBACKS REPRODUCED  KMALLOC REPRODUCED"),
                out);
        assertTrue(lines[3].startsWith("buddy "), out);
        assertTrue(lines[4].startsWith("bitmap "), out);
        assertTrue(lines[3].endsWith("  -             136/136"), out);
        String timed = command().replaycmp(true, capture().toString(), "bitmap", "buddy");
        assertTrue(timed.split("\n")[2].endsWith("EVENTS/S"), timed);
    }

    private static String traceLine(int cpu, String event, String args) {
        return new TraceRecord(1000L * cpu, cpu, 100, "java", event, args).format() + "\n";
    }

    /**
     * A trace with one fallback of the kernel, the first kernel page of a fresh machine (every
     * pageblock movable), and a reclaimable page on another CPU for which only the simulator falls back.
     */
    private Path fallbackTrace() throws IOException {
        String text = traceLine(0, "mm_page_alloc_extfrag", KmemTrace.mmPageAllocExtfragArgs(0x100000, 0, 10, 0, 1, true))
                + traceLine(0, "mm_page_alloc", KmemTrace.mmPageAllocArgs(0x100000, 0, 0, Gfp.GFP_KERNEL))
                + traceLine(1, "mm_page_alloc", KmemTrace.mmPageAllocArgs(0x200000, 0, 2, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE));
        return Files.writeString(tmp.resolve("fallback.txt"), text, StandardCharsets.ISO_8859_1);
    }

    @Test
    void fallbackDecisionsInTheReportAndTheTable() throws IOException {
        Path p = fallbackTrace();
        String report = command().replay(false, p.toString());
        assertTrue(report.contains("\nfallback decisions  1/1 reproduced (ownership 1/1); simulator fell back 1 more time\n"), report);
        String[] lines = command().replaycmp(false, p.toString(), "buddy", "bitmap").split("\n");
        assertTrue(lines[3].startsWith("buddy ") && lines[3].endsWith("  1/1 +1                 0/0"), String.join("\n", lines));
        assertTrue(lines[4].startsWith("bitmap ") && lines[4].endsWith("     0/1                 0/0"), String.join("\n", lines));
    }

    @Test
    void badInputIsOneLine() throws IOException {
        ReplayCommand c = command();
        String accepted = "accepted is a text trace as /sys/kernel/tracing/trace or trace-cmd report print it, plain or .xz";
        Path missing = tmp.resolve("nope.txt");
        assertEquals("trace '" + missing + "' does not exist: " + accepted,
                assertThrows(CommandError.class, () -> c.replay(false, missing.toString())).getMessage());
        Path empty = Files.createFile(tmp.resolve("empty.txt"));
        assertEquals("trace '" + empty + "' is empty: " + accepted,
                assertThrows(CommandError.class, () -> c.replay(false, empty.toString())).getMessage());
        Path junk = Files.writeString(tmp.resolve("junk.txt"), "# tracer: nop\nhello\n");
        assertEquals("no trace event in '" + junk + "' (2 lines, 1 unparsed, the first at line 2: no [CPU] column): " + accepted,
                assertThrows(CommandError.class, () -> c.replay(false, junk.toString())).getMessage());
        Path fakeXz = Files.writeString(tmp.resolve("t.xz"), "plain");
        String xzMessage = assertThrows(CommandError.class, () -> c.replay(false, fakeXz.toString())).getMessage();
        assertTrue(xzMessage.startsWith("cannot read trace '" + fakeXz + "': not an xz file"), xzMessage);
        assertEquals("no FrameAllocator implementation named 'slab' has a factory: accepted are bitmap, buddy",
                assertThrows(CommandError.class, () -> c.replaycmp(false, capture().toString(), "buddy", "slab")).getMessage());
        assertEquals("no implementation named to compare: accepted are bitmap, buddy",
                assertThrows(CommandError.class, () -> c.replaycmp(false, capture().toString())).getMessage());
        assertEquals("trace '" + tmp + "' is a directory: " + accepted,
                assertThrows(CommandError.class, () -> c.replay(false, tmp.toString())).getMessage());
    }
}

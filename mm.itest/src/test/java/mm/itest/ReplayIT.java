package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import mm.api.frame.FrameAllocator;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * mm:replay and mm:replaycmp through Gogo's real command processor, on a copy of the real capture
 * (kernel-data/trace/kmem-sample-java-version.txt), with the bundles of the platform: the running
 * machine is left as it was.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ReplayIT extends ShellTestBase {

    private Path trace;

    @Before
    public void copyTrace() throws Exception {
        Path capture = Paths.get(System.getProperty("mm.root", ".."), "mm.testdata/src/main/resources/kernel-data/trace",
                "kmem-sample-java-version.txt");
        trace = Files.createTempDirectory("replay-it").resolve("trace.txt");
        Files.copy(capture, trace);
    }

    @After
    public void deleteTrace() throws Exception {
        Files.deleteIfExists(trace);
        Files.deleteIfExists(trace.getParent());
    }

    @Test
    public void replayLeavesTheRunningMachineAlone() throws Exception {
        String before = sh.run("mm:buddyinfo");
        String report = sh.run("mm:replay " + trace);
        assertTrue(report, report.startsWith("replay of trace.txt on buddy + slub, a fresh x86_64, 1 GiB RAM, 2 CPUs, 1 node\n"));
        assertTrue(report, report.contains("\nevents              20098\n"));
        assertTrue(report, report.contains("\nunparsed lines      0\n"));
        assertTrue(report, report.contains("\nkmalloc decisions   136/136 reproduced"));
        assertTrue(report, report.contains("\nfallback decisions  not in trace (no mm_page_alloc_extfrag line)\n"));
        assertFalse(report, report.contains("events/s"));
        assertFalse(report, report.contains("UNBALANCED"));
        String progress = sh.printed();
        assertEquals(progress, 9, progress.split("\n").length);
        assertTrue(progress, progress.startsWith("trace.txt: 10% (line "));
        assertEquals(before, sh.run("mm:buddyinfo"));
        assertEquals(report, sh.run("mm:replay " + trace));
        assertTrue(sh.run("mm:replay -t " + trace).contains("\nevents/s            "));
    }

    @Test
    public void comparisonOverBuddyAndBitmap() throws Exception {
        String table = sh.run("mm:replaycmp " + trace + " buddy bitmap");
        String[] lines = table.split("\n");
        assertEquals(table, 5, lines.length);
        assertTrue(table, lines[2].startsWith("IMPL ") && lines[2].contains("  FALLBACKS REPRODUCED  "));
        assertTrue(table, lines[3].startsWith("buddy ") && lines[3].endsWith("136/136"));
        assertTrue(table, lines[4].startsWith("bitmap ") && lines[4].endsWith("136/136"));
        assertTrue(sh.run("mm:replaycmp -t " + trace + " buddy,bitmap").split("\n")[2].endsWith("EVENTS/S"));
    }

    @Test
    public void badInputIsOneLine() throws Exception {
        String missing = sh.error("mm:replay /nonexistent/trace.txt");
        assertEquals("trace '/nonexistent/trace.txt' does not exist: accepted is a text trace as /sys/kernel/tracing/trace or "
                + "trace-cmd report print it, plain or .xz", missing);
        String unknown = sh.error("mm:replaycmp " + trace + " buddy slab");
        assertEquals("no FrameAllocator implementation named 'slab' has a factory: accepted are bitmap, buddy", unknown);
    }
}

package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** mm:trace through Gogo's real command processor: selection, the trace file, save and replay, bad input. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TraceIT extends ShellTestBase {

    @Before
    public void tracingOffAndEmpty() throws Exception {
        sh.run("mm:trace off");
        sh.run("mm:trace clear");
    }

    @After
    public void tracingOff() throws Exception {
        sh.run("mm:trace off");
    }

    @Test
    public void eventsSelectedLikeSetEvent() throws Exception {
        String events = sh.run("mm:trace events");
        assertTrue(events, events.contains("  kmem:mm_page_alloc\n"));
        assertEquals(events, 11, events.split("\n").length);
        assertEquals("2 events enabled", sh.run("mm:trace on kmem:mm_page_alloc mm_page_free"));
        events = sh.run("mm:trace events");
        assertTrue(events, events.contains("* kmem:mm_page_alloc\n"));
        assertTrue(events, events.contains("* kmem:mm_page_free\n"));
        assertTrue(events, events.contains("  kmem:mm_page_free_batched\n"));
        assertEquals("10 events enabled", sh.run("mm:trace on 'kmem:*'"));
        assertEquals("each event counted once", "10 events enabled", sh.run("mm:trace on 'kmem:*' kmem:kmalloc"));
        assertEquals("11 events disabled", sh.run("mm:trace off '*:*'"));
        assertEquals("1 event enabled", sh.run("mm:trace on kmalloc"));
    }

    @Test
    public void pagesAndObjectsTracedSavedAndReplayed() throws Exception {
        sh.run("mm:trace on");
        sh.run("p = (mm:alloc 2)");
        sh.run("mm:free $p");
        String obj = sh.run("mm:kmalloc 100");
        sh.run("mm:kfree " + obj.split(" ")[0]);
        String text = sh.run("mm:trace show");
        assertTrue(text, text.startsWith("# tracer: nop\n#\n# entries-in-buffer/entries-written: "));
        assertTrue(text, text.contains("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"));
        assertTrue(text, text.matches("(?s).*\n      mm-console-0       \\[00\\d\\] \\.\\.\\.\\.\\. +\\d+\\.\\d{6}: mm_page_alloc: "
                + "page=ffffea[0-9a-f]{10} pfn=0x[0-9a-f]+ order=2 migratetype=0 gfp_flags=GFP_KERNEL\n.*"));
        assertTrue(text, text.matches("(?s).*: mm_page_free: page=ffffea[0-9a-f]{10} pfn=0x[0-9a-f]+ order=2\n.*"));
        assertTrue(text, text.matches("(?s).*: kmalloc: call_site=mm_kmalloc\\+0x0/0x0 ptr=ffff888[0-9a-f]{9} bytes_req=100 "
                + "bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false(\n.*)?"));
        assertTrue(text, text.contains(": kfree: call_site=mm_kfree+0x0/0x0 ptr=" + obj.substring(2, 18)));
        Path file = Files.createTempDirectory("trace-it").resolve("trace.txt");
        String saved = sh.run("mm:trace save " + file);
        assertTrue(saved, saved.endsWith(" written to " + file));
        assertEquals(text + "\n", Files.readString(file));
        String report = sh.run("mm:replay " + file);
        assertTrue(report, report.contains("\nunparsed lines      0\n"));
        assertEquals("trace buffer cleared", sh.run("mm:trace clear"));
        assertTrue(sh.run("mm:trace show").startsWith("# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:2\n"));
    }

    @Test
    public void sameCommandsSameText() throws Exception {
        sh.run("mm:trace on 'kmem:mm_page_*'");
        sh.run("p = (mm:alloc 0)");
        sh.run("mm:free $p");
        sh.run("mm:trace clear");
        sh.run("p = (mm:alloc 0)");
        sh.run("mm:free $p");
        String first = sh.run("mm:trace show");
        sh.run("mm:trace clear");
        sh.run("p = (mm:alloc 0)");
        sh.run("mm:free $p");
        assertEquals(first, sh.run("mm:trace show"));
        assertTrue(first, first.contains("# entries-in-buffer/entries-written: 2/2   #P:2\n"));
    }

    @Test
    public void badInputIsOneLine() throws Exception {
        assertOneLine(sh.error("mm:trace bogus"), "unknown subcommand 'bogus': accepted are: on [EVENTS...]");
        assertOneLine(sh.error("mm:trace on nosuch_event"), "no event matches 'nosuch_event': accepted are kmem:kfree");
        assertOneLine(sh.error("mm:trace on 'a:b:c'"), "bad event 'a:b:c'");
        assertOneLine(sh.error("mm:trace save"), "no file given: mm:trace save FILE");
        assertOneLine(sh.error("mm:trace show extra"), "mm:trace show takes no argument");
        assertOneLine(sh.error("mm:trace save /"), "'/' is a directory");
    }

    private static void assertOneLine(String error, String start) {
        assertTrue(error, error.startsWith(start));
        assertTrue(error, !error.contains("\n"));
    }
}

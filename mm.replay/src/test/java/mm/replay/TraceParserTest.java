package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mm.api.frame.Gfp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class TraceParserTest {

    @TempDir
    Path tmp;

    static ParseStats parseAll(TraceInput in) throws IOException {
        TraceParser p = new TraceParser();
        String line;
        while ((line = in.readLine()) != null) {
            p.parse(line);
        }
        return p.stats();
    }

    /** The counts per event of the real capture, as grep counts them; the 12 header lines skipped, nothing unparsed. */
    @Test
    void realCaptureCountsPerEvent() throws IOException {
        ParseStats s = parseAll(TraceInput.of(Capture.bytes()));
        assertEquals(20110, s.lines());
        assertEquals(12, s.skipped());
        assertEquals(0, s.unparsed(), () -> "unparsed: " + s.firstUnparsed());
        assertEquals(20098, s.events());
        assertEquals(4714, s.events("mm_page_alloc"));
        assertEquals(4511, s.events("mm_page_free"));
        assertEquals(4371, s.events("mm_page_free_batched"));
        assertEquals(3131, s.events("mm_page_alloc_zone_locked"));
        assertEquals(0, s.events("mm_page_pcpu_drain"));
        assertEquals(136, s.events("kmalloc"));
        assertEquals(487, s.events("kfree"));
        assertEquals(1584, s.events("kmem_cache_alloc"));
        assertEquals(1162, s.events("kmem_cache_free"));
        assertEquals(2, s.events("tracing_mark_write"));
        assertEquals(s.lines(), s.skipped() + s.events() + s.unparsed());
    }

    @Test
    void fieldsOfAnEventLine() {
        TraceParser p = new TraceParser();
        TraceEvent e = p.parse("            java-5239    [001] d..3.   199.128519: mm_page_alloc: page=00000000910d5302 pfn=0x1248a0 "
                + "order=2 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP");
        assertNotNull(e);
        assertEquals("java", e.task());
        assertEquals(5239, e.pid());
        assertEquals(1, e.cpu());
        assertEquals(199_128_519_000L, e.timestampNs());
        assertEquals(EventType.MM_PAGE_ALLOC, e.type());
        assertEquals(0x1248a0, e.get(Slot.PFN));
        assertEquals(2, e.get(Slot.ORDER));
        assertEquals(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_COMP, e.get(Slot.GFP_FLAGS));
        TraceEvent c = p.parse(" capture_kmem_tr-5165    [001] .....   199.110245: kmem_cache_alloc: call_site=getname_flags.part.0+0x24/0x1f0 "
                + "ptr=000000003250d4d4 name=names_cache bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false");
        assertEquals("names_cache", c.text());
        assertEquals(0x3250d4d4L, c.get(Slot.PTR));
        assertEquals(-1, c.get(Slot.NODE));
    }

    /** trace-cmd report's shapes: no latency columns, 9 decimals, its header; a task name with spaces. */
    /** With options/record-tgid the kernel prints the thread group between TASK-PID and [CPU]: the same event. */
    @Test
    void aTgidColumnIsSkipped() {
        TraceParser p = new TraceParser();
        TraceEvent e = p.parse("            java-5239    (   5230) [001] d..3.   199.128519: mm_page_alloc: page=00000000910d5302 "
                + "pfn=0x1248a0 order=2 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP");
        assertNotNull(e);
        assertEquals("java", e.task());
        assertEquals(5239, e.pid());
        assertEquals(1, e.cpu());
        assertEquals(EventType.MM_PAGE_ALLOC, e.type());
        TraceEvent unknown = p.parse("          <idle>-0       (-------) [000] d..2.     0.000001: mm_page_free: page=0000000000000000 "
                + "pfn=0x100 order=0");
        assertNotNull(unknown);
        assertEquals(0, unknown.pid());
    }

    @Test
    void traceCmdReportShapes() {
        TraceParser p = new TraceParser();
        assertNull(p.parse("version = 6"));
        assertNull(p.parse("cpus=2"));
        assertNull(p.parse("CPU 1 is empty"));
        TraceEvent a = p.parse("            java-5239  [001]   199.128519123: mm_page_free:         page=0xffffea0004922800 pfn=0x1248a0 order=0");
        assertNotNull(a);
        assertEquals(199_128_519_123L, a.timestampNs());
        TraceEvent b = p.parse("  Web Content-812   [000] d..2.   5.000001: kfree: call_site=x+0x1/0x2 ptr=(null)");
        assertNotNull(b);
        assertEquals("Web Content", b.task());
        assertEquals(0, b.get(Slot.PTR));
        assertNull(p.parse("CPU:1 [LOST 1234 EVENTS]"));
        ParseStats s = p.stats();
        assertEquals(3, s.skipped());
        assertEquals(1, s.lostNotices());
        assertEquals(1234, s.lostEvents());
        assertEquals(0, s.unparsed());
    }

    @Test
    void badLinesAreCountedWithTheirNumbers() {
        TraceParser p = new TraceParser();
        String good = " capture_kmem_tr-5165    [001] .....   199.110516: mm_page_free: page=00000000396dd36e pfn=0x109e96 order=0";
        List<String> lines = List.of(good,
                good.substring(0, 60), // truncated
                good.replace("mm_page_free:", "mm_page_frobnicate:"), // unknown event
                good.replace("pfn=0x109e96", "pfn=0x10zz96"), // garbled value
                "garbage",
                good.replace("order=0", ""), // a field missing
                " kworker/0:1-12 [000] ..... 1.000000: mm_page_alloc: pfn=0x1 order=0 migratetype=0 gfp_flags=GFP_BOGUS");
        for (String l : lines) {
            p.parse(l);
        }
        ParseStats s = p.stats();
        assertEquals(1, s.events());
        assertEquals(6, s.unparsed());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), s.firstUnparsed().stream().map(ParseStats.BadLine::lineNo).toList());
        assertTrue(s.firstUnparsed().get(1).reason().contains("unknown event 'mm_page_frobnicate'"), s.firstUnparsed().toString());
    }

    /** The same counts from the capture compressed with xz, recognised by its name and by its magic bytes. */
    @Test
    void xzByExtensionAndByMagic() throws IOException {
        Path xz = tmp.resolve("trace.txt.xz");
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options(1))) {
            out.write(Capture.bytes());
        }
        Path noName = tmp.resolve("trace.bin");
        Files.copy(xz, noName);
        for (Path p : List.of(xz, noName)) {
            try (TraceInput in = TraceInput.open(p)) {
                assertEquals(Capture.bytes().length, in.textBytes());
                ParseStats s = parseAll(in);
                assertEquals(20098, s.events());
                assertEquals(0, s.unparsed());
            }
        }
        Path fake = tmp.resolve("fake.xz");
        Files.writeString(fake, "not xz", StandardCharsets.US_ASCII);
        try {
            TraceInput.open(fake).close();
            throw new AssertionError("a fake .xz opened");
        } catch (IOException expected) {
            assertTrue(expected.getMessage().contains("not an xz file"), expected.getMessage());
        }
    }
}

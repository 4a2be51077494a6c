package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Handover;
import mm.api.trace.TraceRecord;
import mm.api.trace.Tracer;
import mm.buddy.BuddyFactory;
import mm.hw.machine.MachineFactoryImpl;
import mm.slub.SlubFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracepoints of the real implementations, saved as the trace file and read back by the replay's
 * parser: every line parses, and the counts are those of the calls made.
 */
class TraceRoundTripTest {

    private static final MachineConfig SHAPE = MachineConfig.DEFAULT.withMem(MachineConfig.parseSize("1G"));

    /** The trace file's text as mm:trace save writes it (header, then records). */
    static String traceFile(Tracer t, int cpus) {
        StringBuilder sb = new StringBuilder();
        sb.append("# tracer: nop\n#\n# entries-in-buffer/entries-written: ").append(t.records().size()).append('/')
                .append(t.entriesWritten()).append("   #P:").append(cpus).append("\n#\n");
        for (TraceRecord r : t.records()) {
            sb.append(r.format()).append('\n');
        }
        return sb.toString();
    }

    private static String workload() {
        Machine m = new MachineFactoryImpl().boot(SHAPE);
        FrameAllocator fa = new BuddyFactory().create(m);
        fa.adopt(Handover.BOOT);
        ObjectCache oc = new SlubFactory().create(m, fa);
        oc.adopt(Handover.BOOT);
        Tracer t = m.tracer();
        assertEquals(10, t.setEnabled("kmem:*", true));
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            pages.add(fa.allocPages(i % 2 == 0 ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE, i % 4));
        }
        for (int i = 0; i < pages.size(); i++) {
            fa.freePages(pages.get(i), i % 4);
        }
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            objs.add(oc.kmalloc(8 + i * 13, i % 3 == 0 ? Gfp.GFP_KERNEL_ACCOUNT : Gfp.GFP_KERNEL));
        }
        objs.add(oc.kmalloc(20000, Gfp.GFP_KERNEL));
        KmemCache c = oc.kmemCacheCreate("trace_test", 200, 0, 0, null);
        long a = oc.kmemCacheAlloc(c, Gfp.GFP_KERNEL);
        oc.kmemCacheFree(c, a);
        for (long o : objs) {
            oc.kfree(o);
        }
        fa.drainAllPages();
        return traceFile(t, m.cpuCount());
    }

    @Test
    void savedTraceParsesWithTheRightCounts(@TempDir Path dir) throws IOException {
        String text = workload();
        Path file = dir.resolve("trace");
        Files.writeString(file, text);
        TraceParser p = new TraceParser();
        for (String line : Files.readAllLines(file)) {
            p.parse(line);
        }
        ParseStats s = p.stats();
        assertEquals(0, s.unparsed(), () -> "unparsed: " + s.firstUnparsed());
        assertEquals(301, s.events("kmalloc"));
        assertEquals(301, s.events("kfree"));
        assertEquals(1, s.events("kmem_cache_alloc"));
        assertEquals(1, s.events("kmem_cache_free"));
        // 200 direct + the slab pages and the large kmalloc's block
        assertTrue(s.events("mm_page_alloc") > 200, () -> "mm_page_alloc " + s.events("mm_page_alloc"));
        assertTrue(s.events("mm_page_free") >= 200, () -> "mm_page_free " + s.events("mm_page_free"));
        assertTrue(s.events("mm_page_alloc_zone_locked") > 0);
        assertTrue(s.events("mm_page_pcpu_drain") > 0);
        assertTrue(text.contains("mm_page_alloc: page=ffffea"), text.substring(0, 2000));
    }

    @Test
    void sameCallsSameText() {
        assertEquals(workload(), workload());
    }
}

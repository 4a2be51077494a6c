package mm.core.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mm.api.frame.Gfp;
import mm.api.trace.TraceRecord;
import org.junit.jupiter.api.Test;

/**
 * Each event's text against lines of the real kernel's trace (kmem-sample-java-version.txt): the
 * same fields in the same order with the same spacing, and the whole line (task, CPU, flags,
 * timestamp) as TraceRecord prints it. The kernel hashed its pointers; ours print as with
 * no_hash_pointers, so pointer values are compared apart.
 */
class KmemTraceTest {

    private static final Pattern LINE = Pattern.compile("^(.{16})-(\\d+) +\\[(\\d{3})\\] (.....) +(\\d+)\\.(\\d{6}): (\\w+): (.*)$");

    private static Map<String, String> fields(String args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String kv : args.split(" ")) {
            int eq = kv.indexOf('=');
            if (eq < 0) {
                continue;
            }
            m.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return m;
    }

    private static String maskPointers(String s) {
        return s.replaceAll("(page|ptr)=[0-9a-f]{16}", "$1=P");
    }

    private static String ours(String event, Map<String, String> f) {
        switch (event) {
            case "mm_page_alloc":
                return KmemTrace.mmPageAllocArgs(Long.parseLong(f.get("pfn").substring(2), 16), Integer.parseInt(f.get("order")),
                        Integer.parseInt(f.get("migratetype")), Gfp.parse(f.get("gfp_flags")));
            case "mm_page_free":
                return KmemTrace.mmPageFreeArgs(Long.parseLong(f.get("pfn").substring(2), 16), Integer.parseInt(f.get("order")));
            case "mm_page_free_batched":
                return KmemTrace.mmPageFreeBatchedArgs(Long.parseLong(f.get("pfn").substring(2), 16));
            case "mm_page_alloc_zone_locked":
                return KmemTrace.mmPageAllocZoneLockedArgs(Long.parseLong(f.get("pfn").substring(2), 16),
                        Integer.parseInt(f.get("order")), Integer.parseInt(f.get("migratetype")), f.get("percpu_refill").equals("1"));
            case "kmalloc":
                return KmemTrace.kmallocArgs(f.get("call_site"), 0, Long.parseLong(f.get("bytes_req")),
                        Long.parseLong(f.get("bytes_alloc")), Gfp.parse(f.get("gfp_flags")), Integer.parseInt(f.get("node")));
            case "kfree":
                return KmemTrace.kfreeArgs(f.get("call_site"), 0);
            case "kmem_cache_alloc":
                return KmemTrace.kmemCacheAllocArgs(f.get("call_site"), 0, f.get("name"), Long.parseLong(f.get("bytes_req")),
                        Long.parseLong(f.get("bytes_alloc")), Gfp.parse(f.get("gfp_flags")), Integer.parseInt(f.get("node")),
                        f.get("accounted").equals("true"));
            case "kmem_cache_free":
                return KmemTrace.kmemCacheFreeArgs(f.get("call_site"), 0, f.get("name"));
            default:
                return null;
        }
    }

    @Test
    void everyEventOfTheSampleReadsTheSame() throws IOException {
        Map<String, Integer> checked = new HashMap<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/kernel-data/trace/kmem-sample-java-version.txt"), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher m = LINE.matcher(line);
                if (line.startsWith("#") || !m.matches()) {
                    continue;
                }
                String event = m.group(7);
                String args = m.group(8);
                String mine = ours(event, fields(args));
                if (mine == null) {
                    continue;
                }
                assertEquals(maskPointers(args), maskPointers(mine), line);
                if (m.group(4).equals(".....")) {
                    long nanos = (Long.parseLong(m.group(5)) * 1_000_000 + Long.parseLong(m.group(6))) * 1000;
                    TraceRecord r = new TraceRecord(nanos, Integer.parseInt(m.group(3)), Integer.parseInt(m.group(2)),
                            m.group(1).trim(), event, args);
                    assertEquals(line, r.format());
                }
                checked.merge(event, 1, Integer::sum);
            }
        }
        for (String e : new String[] {"mm_page_alloc", "mm_page_free", "mm_page_free_batched", "mm_page_alloc_zone_locked",
            "kmalloc", "kfree", "kmem_cache_alloc", "kmem_cache_free"}) {
            assertTrue(checked.getOrDefault(e, 0) > 0, e + " not in the sample");
        }
    }

    @Test
    void pointersAsWithNoHashPointers() {
        assertEquals("page=ffffea0000400000 pfn=0x10000 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
                KmemTrace.mmPageAllocArgs(0x10000, 0, 1, Gfp.GFP_HIGHUSER_MOVABLE));
        assertEquals("page=0000000000000000 pfn=0x0 order=3 migratetype=0 gfp_flags=GFP_KERNEL",
                KmemTrace.mmPageAllocArgs(-1, 3, 0, Gfp.GFP_KERNEL));
        assertEquals("call_site=mm_kfree+0x0/0x0 ptr=ffff888004a1c080", KmemTrace.kfreeArgs(KmemTrace.SITE_KFREE, 0xffff888004a1c080L));
    }

    @Test
    void extfragAndDrainAsTheirPrintFormats() {
        // print fmt of event_formats.txt: fields in this order
        assertEquals("page=ffffea0000004000 pfn=0x100 alloc_order=0 fallback_order=2 pageblock_order=9 alloc_migratetype=0 "
                + "fallback_migratetype=1 fragmenting=1 change_ownership=0", KmemTrace.mmPageAllocExtfragArgs(0x100, 0, 2, 0, 1, false));
        assertEquals("page=ffffea0000004000 pfn=0x100 alloc_order=0 fallback_order=10 pageblock_order=9 alloc_migratetype=2 "
                + "fallback_migratetype=1 fragmenting=0 change_ownership=1", KmemTrace.mmPageAllocExtfragArgs(0x100, 0, 10, 2, 1, true));
        assertEquals("page=ffffea0000004000 pfn=0x100 order=1 migratetype=2", KmemTrace.mmPagePcpuDrainArgs(0x100, 1, 2));
    }
}

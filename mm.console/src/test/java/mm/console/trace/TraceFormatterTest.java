package mm.console.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import mm.api.trace.TraceRecord;
import org.junit.jupiter.api.Test;

class TraceFormatterTest {

    @Test
    void theHeaderIsTheKernels() throws IOException {
        StringBuilder sample = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/kernel-data/trace/kmem-sample-java-version.txt"), StandardCharsets.US_ASCII))) {
            for (int i = 0; i < 12; i++) {
                sample.append(in.readLine()).append('\n');
            }
        }
        assertEquals(sample.toString(), TraceFormatter.header(new StringBuilder(), 746887, 746887, 2).toString());
    }

    @Test
    void recordsFollowTheHeaderOldestFirst() {
        List<TraceRecord> r = List.of(new TraceRecord(199_128_519_000L, 1, 5239, "java", "mm_page_alloc_zone_locked",
                "page=00000000910d5302 pfn=0x1248a0 order=0 migratetype=1 percpu_refill=1"));
        String text = TraceFormatter.trace(r, 3, 2);
        String[] lines = text.split("\n");
        assertEquals(13, lines.length);
        assertEquals("# entries-in-buffer/entries-written: 1/3   #P:2", lines[2]);
        assertEquals("            java-5239    [001] .....   199.128519: mm_page_alloc_zone_locked: page=00000000910d5302 "
                + "pfn=0x1248a0 order=0 migratetype=1 percpu_refill=1", lines[12]);
    }

    @Test
    void enabledEventsMarked() {
        assertEquals("* kmem:kfree\n  kmem:kmalloc\n", TraceFormatter.events(List.of("kmem:kfree", "kmem:kmalloc"),
                Set.of("kmem:kfree")::contains));
    }
}

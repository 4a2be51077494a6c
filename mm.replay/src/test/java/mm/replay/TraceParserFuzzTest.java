package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of the real capture's lines (truncation, byte flips, shuffled fields, spliced
 * lines, deleted spaces): the parser never throws, every line is accounted for (skipped, event or
 * unparsed), and a truncated line that lost a required field is counted as unparsed.
 */
class TraceParserFuzzTest {

    private static final long SEED = 0x5eed_2026L;

    @Test
    void mutationsNeverThrowAndAreCounted() {
        String[] lines = new String(Capture.bytes(), StandardCharsets.ISO_8859_1).split("\n");
        Random r = new Random(SEED);
        TraceParser p = new TraceParser();
        long expectBad = 0;
        int n = 200_000;
        for (int k = 0; k < n; k++) {
            String l = lines[r.nextInt(lines.length)];
            String m = switch (r.nextInt(6)) {
                case 0 -> l.substring(0, r.nextInt(l.length() + 1));
                case 1 -> flip(l, r, 1 + r.nextInt(4));
                case 2 -> shuffleFields(l, r);
                case 3 -> l + lines[r.nextInt(lines.length)];
                case 4 -> l.replace(" ", "");
                default -> l.substring(r.nextInt(l.length() + 1));
            };
            p.parse(m);
        }
        ParseStats s = p.stats();
        assertEquals(n, s.lines());
        assertEquals(0, s.parserErrors(), () -> "the parser threw: " + s.firstUnparsed());
        assertEquals(s.lines(), s.skipped() + s.events() + s.unparsed());
        assertTrue(s.unparsed() > n / 10, "mutations should mostly break lines: " + s.unparsed());
        assertTrue(s.events() > n / 10, "shuffled fields still parse: " + s.events());
        assertEquals(TraceParser.KEPT_BAD_LINES, s.firstUnparsed().size());
    }

    /** Every event line cut before its last required field is unparsed, never an event with a made-up value. */
    @Test
    void truncatedEventsAreUnparsed() {
        String[] lines = new String(Capture.bytes(), StandardCharsets.ISO_8859_1).split("\n");
        TraceParser p = new TraceParser();
        long cut = 0;
        for (String l : lines) {
            int gfp = l.indexOf(" gfp_flags=");
            if (l.contains(": mm_page_alloc: ") && gfp > 0) {
                p.parse(l.substring(0, gfp + 5));
                cut++;
            }
        }
        assertEquals(cut, p.stats().unparsed());
        assertEquals(0, p.stats().events());
    }

    private static String flip(String l, Random r, int times) {
        byte[] b = l.getBytes(StandardCharsets.ISO_8859_1);
        if (b.length == 0) {
            return l;
        }
        for (int i = 0; i < times; i++) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String shuffleFields(String l, Random r) {
        int colon = l.indexOf(": ", l.indexOf("]"));
        int body = colon < 0 ? -1 : l.indexOf(": ", colon + 2);
        if (body < 0) {
            return l;
        }
        List<String> f = new ArrayList<>(List.of(l.substring(body + 2).split(" ")));
        Collections.shuffle(f, r);
        return l.substring(0, body + 2) + String.join(" ", f);
    }
}

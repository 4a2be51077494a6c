package mm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mm.api.frame.Gfp;
import org.junit.jupiter.api.Test;

/**
 * Gfp against what a real 6.18 kernel printed: the {@code __print_flags} table of the kmem
 * events' format files, and every {@code gfp_flags=} value of a kmem trace.
 */
class GfpKernelDataTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = GfpKernelDataTest.class.getResourceAsStream("/kernel-data/trace/" + path)) {
            assertNotNull(in, path + " on the class path (mm.testdata)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The print fmt line of an event's format file. */
    private static String printFmt(String formats, String event) {
        int at = formats.indexOf("name: " + event + "\n");
        assertTrue(at >= 0, event);
        int fmt = formats.indexOf("print fmt: ", at);
        return formats.substring(fmt, formats.indexOf('\n', fmt));
    }

    /** The flag table of the first __print_flags in a print fmt: mask expression and name, in order. */
    private static List<String[]> flagTable(String printFmt) {
        Matcher m = Pattern.compile("\\{\\( unsigned long\\)(.*?), \"([A-Za-z_0-9]+)\"\\}").matcher(printFmt);
        List<String[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(new String[] {m.group(1), m.group(2)});
        }
        return out;
    }

    /** Evaluates the kernel's C mask expressions: casts, 1UL, shifts, |, & and ~. */
    static final class Expr {
        private final String s;
        private int i;

        Expr(String text) {
            this.s = text.replaceAll("\\(\\s*(gfp_t|unsigned long)\\)", "").replaceAll("\\s+", "");
        }

        long eval() {
            long v = or();
            if (i != s.length()) {
                throw new IllegalStateException("trailing '" + s.substring(i) + "' in " + s);
            }
            return v;
        }

        private long or() {
            long v = and();
            while (peek('|')) {
                i++;
                v |= and();
            }
            return v;
        }

        private long and() {
            long v = shift();
            while (peek('&')) {
                i++;
                v &= shift();
            }
            return v;
        }

        private long shift() {
            long v = unary();
            while (s.startsWith("<<", i)) {
                i += 2;
                v <<= unary();
            }
            return v;
        }

        private long unary() {
            if (peek('~')) {
                i++;
                return ~unary();
            }
            if (peek('(')) {
                i++;
                long v = or();
                if (!peek(')')) {
                    throw new IllegalStateException("expected ')' at " + i + " in " + s);
                }
                i++;
                return v;
            }
            int start = i;
            while (i < s.length() && Character.isDigit(s.charAt(i))) {
                i++;
            }
            long v = Long.parseLong(s.substring(start, i));
            if (s.startsWith("UL", i)) {
                i += 2;
            }
            return v;
        }

        private boolean peek(char c) {
            return i < s.length() && s.charAt(i) == c;
        }
    }

    @Test
    void theExpressionEvaluatorReadsCMasks() {
        assertEquals(0xc00, new Expr("(( gfp_t)(((((1UL))) << (10))|((((1UL))) << (11))))").eval());
        assertEquals(0x1c20ca, new Expr("((1UL<<20)|(1UL<<1)|(1UL<<3)|(1UL<<7)|(1UL<<6)|(1UL<<18)|(1UL<<19)|(1UL<<13)"
                + "|(1UL<<10)) & ~((1UL<<10)|(1UL<<11))").eval());
        assertEquals(3, new Expr("1|3&~1").eval(), "C precedence: ~ before & before |");
    }

    /** The gfp_flags tables of every event that prints GFP flags. */
    private static List<List<String[]>> gfpTables(String formats) {
        List<List<String[]>> out = new ArrayList<>();
        String key = "__print_flags(REC->gfp_flags, \"|\", ";
        for (int at = formats.indexOf(key); at >= 0; at = formats.indexOf(key, at + 1)) {
            int end = formats.indexOf("{ 0, ((void *)0) }", at);
            out.add(flagTable(formats.substring(at, end)));
        }
        return out;
    }

    @Test
    void everyNameAndMaskMatchesTheKernelsPrintFlagsTable() throws IOException {
        String formats = resource("event_formats.txt");
        List<List<String[]>> tables = gfpTables(formats);
        assertEquals(9, tables.size(), "kmalloc, kmem_cache_alloc, mm_page_alloc, ... print gfp_flags");
        for (List<String[]> table : tables) {
            List<String> names = new ArrayList<>();
            for (String[] entry : table) {
                long mask = new Expr(entry[0]).eval();
                assertEquals(mask, Gfp.parse(entry[1]) & 0xffffffffL, entry[1]);
                names.add(entry[1]);
            }
            assertEquals(Gfp.names(), names, "the order __print_flags tries the names in");
        }
        List<String[]> table = flagTable(printFmt(formats, "mm_page_alloc"));
        assertEquals(38, table.size());
        // the single bits are where the format says
        int singles = 0;
        for (String[] entry : table) {
            Matcher single = Pattern.compile("^\\(\\( gfp_t\\)\\(\\(\\(\\(1UL\\)\\)\\) << \\((\\d+)\\)\\)\\)$").matcher(entry[0]);
            if (entry[1].startsWith("__GFP_") && single.matches()) {
                assertEquals(1 << Integer.parseInt(single.group(1)), Gfp.parse(entry[1]), entry[1]);
                singles++;
            }
        }
        assertEquals(24, singles, "__GFP_DMA ... __GFP_NO_OBJ_EXT, bit 9 unused");
        assertEquals(0xcc0, new Expr(findMask(table, "GFP_KERNEL")).eval());
        assertEquals(0x820, new Expr(findMask(table, "GFP_ATOMIC")).eval());
        assertEquals(0x100cca, new Expr(findMask(table, "GFP_HIGHUSER_MOVABLE")).eval());
    }

    private static String findMask(List<String[]> table, String name) {
        return table.stream().filter(e -> e[1].equals(name)).findFirst().orElseThrow()[0];
    }

    @Test
    void everyGfpFlagsValueOfTheKmemTraceParsesAndFormatsBackIdentically() throws IOException {
        String trace = resource("kmem-sample-java-version.txt");
        Matcher m = Pattern.compile("gfp_flags=(\\S+)").matcher(trace);
        Set<String> distinct = new TreeSet<>();
        int lines = 0;
        while (m.find()) {
            distinct.add(m.group(1));
            lines++;
        }
        assertTrue(lines > 6000, "lines with gfp_flags: " + lines);
        assertEquals(24, distinct.size(), distinct.toString());
        for (String text : distinct) {
            int mask = Gfp.parse(text);
            assertEquals(text, Gfp.format(mask), "round trip of " + text);
        }
        assertEquals(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_COMP, Gfp.parse("GFP_HIGHUSER_MOVABLE|__GFP_COMP"));
    }

    /** {@code mm_page_alloc} prints {@code ac.migratetype}, which is {@code gfp_migratetype(gfp_flags)}. */
    @Test
    void theTracedMigratetypeIsGfpMigratetypeOfTheTracedFlags() throws IOException {
        String trace = resource("kmem-sample-java-version.txt");
        Matcher m = Pattern.compile("mm_page_alloc: page=\\S+ pfn=0x[0-9a-f]+ order=(\\d+) migratetype=(\\d+) gfp_flags=(\\S+)")
                .matcher(trace);
        int n = 0;
        while (m.find()) {
            int mask = Gfp.parse(m.group(3));
            assertEquals(Integer.parseInt(m.group(2)), Gfp.gfpMigratetype(mask).ordinal(), m.group());
            n++;
        }
        assertEquals(4714, n);
    }
}

package mm.console.proc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mm.api.machine.IomemResource;

/**
 * Reads /proc texts back into numbers, strictly: a line that is not in the kernel's layout is an
 * error. Used both to load the captured files into fixtures and to check the formatters' output.
 */
final class ProcParsers {

    private static final Pattern BUDDY_ROW = Pattern.compile("Node (\\d+), zone +(\\S+)((?: +\\d+){11}) ");
    private static final Pattern TYPE_ROW = Pattern.compile("Node +(\\d+), zone +(\\S+), type +(\\S+)((?: +>?\\d+){11}) ");
    private static final Pattern BLOCK_ROW = Pattern.compile("Node (\\d+), zone +(\\S+)((?: +\\d+){5}) ");
    private static final Pattern IOMEM_LINE = Pattern.compile("( *)([0-9a-f]{8,})-([0-9a-f]{8,}) : (\\S.*)");

    private ProcParsers() {
    }

    /**
     * One row of numbers of buddyinfo or pagetypeinfo.
     *
     * @param type the migratetype name, or null for a row per zone
     * @param capped true if some count was printed as the kernel's {@code >100000}
     */
    record Row(int nid, String zone, String type, long[] values, boolean capped) {
        /** "nid zone" or "nid zone type". */
        String key() {
            return nid + " " + zone + (type == null ? "" : " " + type);
        }
    }

    /** /proc/buddyinfo: a row per populated zone, free blocks per order. */
    static List<Row> buddyinfo(String text) {
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            Matcher m = matcher(BUDDY_ROW, line, "buddyinfo");
            rows.add(new Row(Integer.parseInt(m.group(1)), m.group(2), null, numbers(m.group(3)), false));
        }
        return rows;
    }

    /** /proc/pagetypeinfo's free block rows: one per populated zone and migratetype. */
    static List<Row> pagetypeFree(String text) {
        List<Row> rows = new ArrayList<>();
        for (String line : pagetypeSection(text, false)) {
            Matcher m = matcher(TYPE_ROW, line, "pagetypeinfo free count");
            rows.add(new Row(Integer.parseInt(m.group(1)), m.group(2), m.group(3), numbers(m.group(4).replace(">", "")),
                    m.group(4).contains(">")));
        }
        return rows;
    }

    /** /proc/pagetypeinfo's pageblock rows: one per populated zone, blocks per migratetype. */
    static List<Row> pagetypeBlocks(String text) {
        List<Row> rows = new ArrayList<>();
        for (String line : pagetypeSection(text, true)) {
            Matcher m = matcher(BLOCK_ROW, line, "pagetypeinfo block count");
            rows.add(new Row(Integer.parseInt(m.group(1)), m.group(2), null, numbers(m.group(3)), false));
        }
        return rows;
    }

    /** The rows under the free count headers, or under the block count headers. */
    private static List<String> pagetypeSection(String text, boolean blockCounts) {
        List<String> out = new ArrayList<>();
        boolean inBlocks = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("Number of blocks type")) {
                inBlocks = true;
            } else if (line.startsWith("Page block order")) {
                inBlocks = false;
            } else if (line.startsWith("Node") && inBlocks == blockCounts) {
                out.add(line);
            }
        }
        return out;
    }

    /** Rows by {@link Row#key()}. */
    static Map<String, long[]> byKey(List<Row> rows) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.put(r.key(), r.values());
        }
        return out;
    }

    /** /proc/meminfo: the value of each line by its label (KiB, or a count for HugePages_*). */
    static Map<String, Long> meminfo(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            Matcher m = matcher(Pattern.compile("(\\S+): +(\\d+)( kB)?"), line, "meminfo");
            out.put(m.group(1), Long.parseLong(m.group(2)));
        }
        return out;
    }

    /** A mutable tree node while parsing /proc/iomem. */
    private record Draft(long start, long end, String name, List<Draft> children) {
        IomemResource build() {
            return new IomemResource(start, end, name, children.stream().map(Draft::build).toList());
        }
    }

    /** The resource tree a /proc/iomem text shows: each level indented two more spaces. */
    static List<IomemResource> iomem(String text) {
        List<Draft> top = new ArrayList<>();
        Deque<Draft> path = new ArrayDeque<>();
        for (String line : text.split("\n")) {
            Matcher m = matcher(IOMEM_LINE, line, "iomem");
            int indent = m.group(1).length();
            if (indent % 2 != 0 || indent / 2 > path.size()) {
                throw new IllegalArgumentException("iomem line indented wrongly: '" + line + "'");
            }
            while (path.size() > indent / 2) {
                path.pop();
            }
            Draft d = new Draft(Long.parseUnsignedLong(m.group(2), 16), Long.parseUnsignedLong(m.group(3), 16), m.group(4),
                    new ArrayList<>());
            (path.isEmpty() ? top : path.peek().children()).add(d);
            path.push(d);
        }
        return top.stream().map(Draft::build).toList();
    }

    private static Matcher matcher(Pattern p, String line, String what) {
        Matcher m = p.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a " + what + " line: '" + line + "'");
        }
        return m;
    }

    private static long[] numbers(String text) {
        return Stream.of(text.trim().split(" +")).mapToLong(Long::parseLong).toArray();
    }
}

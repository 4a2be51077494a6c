package mm.replay;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mm.api.frame.Gfp;

/**
 * Reads the text of {@code /sys/kernel/tracing/trace} line by line, and what {@code trace-cmd report}
 * prints. An event line is
 *
 * <pre>
 *  TASK-PID  [CPU] FLAGS  SECONDS.MICROS: EVENT: key=value key=value ...
 * </pre>
 *
 * where FLAGS (the latency columns {@code d..3.}) may be missing ({@code options/irq-info} off, or
 * {@code trace-cmd report} without {@code -l}) and the timestamp may have 9 decimals. Comment lines
 * ({@code #}), blank lines, trace-cmd's header ({@code version = 6}, {@code cpus=2},
 * {@code CPU 0 is empty}) are skipped; {@code CPU:N [LOST M EVENTS]} is counted as lost events. An
 * event of a name the replay knows ({@link EventType}) must carry every field of its type, readable;
 * a known event it does not re-enact is {@link EventType#OTHER}. Any other line (truncated, garbled,
 * an unknown event) is counted with its line number and the reason, and parsing carries on: no line
 * makes it throw. Not thread-safe; one parser per trace.
 */
public final class TraceParser {

    /** How many unparsed lines are kept with their numbers for the report. */
    public static final int KEPT_BAD_LINES = 10;

    private static final int SLOTS = Slot.values().length;
    private static final long BAD = Long.MIN_VALUE;

    private long lines;
    private long skipped;
    private long events;
    private long unparsed;
    private long lostNotices;
    private long lostEvents;
    private long parserErrors;
    private final long[] byType = new long[EventType.values().length];
    private final Map<String, Long> otherByName = new TreeMap<>();
    private final List<ParseStats.BadLine> firstBad = new ArrayList<>();
    private final RegionTable gfpMemo = new RegionTable(8192);
    private final RegionTable names = new RegionTable(8192);
    /** Why the last field failed, for the bad-line record. */
    private String why;

    /**
     * Reads the next line of the trace (lines are numbered from 1 in the order given).
     *
     * @return the event, or null for a skipped or unparsed line (both counted)
     */
    public TraceEvent parse(String line) {
        long no = ++lines;
        try {
            return parseLine(line, no);
        } catch (RuntimeException e) {
            // a bug of this parser must not stop a replay: the line counts as unparsed, and apart
            parserErrors++;
            return bad(no, "unreadable (" + e.getClass().getSimpleName() + ")");
        }
    }

    private TraceEvent parseLine(String line, long no) {
        int n = line.length();
        int i = skipSpaces(line, 0, n);
        if (i == n) {
            skipped++;
            return null;
        }
        char first = line.charAt(i);
        if (first == '#') {
            skipped++;
            return null;
        }
        if (isHeader(line, i)) {
            skipped++;
            return null;
        }
        if (line.startsWith("CPU:", i)) {
            long lost = lostCount(line, i + 4, n);
            if (lost >= 0) {
                lostNotices++;
                lostEvents += lost;
                return null;
            }
        }
        // [CPU]: the first '[' followed by digits and ']', preceded by a space
        int lb = i;
        int cpu = -1;
        int rb = -1;
        while ((lb = line.indexOf('[', lb)) >= 0) {
            int j = lb + 1;
            int v = 0;
            while (j < n && isDigit(line.charAt(j)) && j - lb <= 6) {
                v = v * 10 + (line.charAt(j) - '0');
                j++;
            }
            if (j > lb + 1 && j < n && line.charAt(j) == ']' && lb > i && line.charAt(lb - 1) == ' ') {
                cpu = v;
                rb = j;
                break;
            }
            lb++;
        }
        if (cpu < 0) {
            return bad(no, "no [CPU] column");
        }
        // TASK-PID before it, and with options/record-tgid a "(TGID)" column between them
        int te = lb - 1;
        while (te > i && line.charAt(te - 1) == ' ') {
            te--;
        }
        if (te > i && line.charAt(te - 1) == ')') {
            int open = line.lastIndexOf('(', te - 1);
            if (open > i) {
                te = open;
                while (te > i && line.charAt(te - 1) == ' ') {
                    te--;
                }
            }
        }
        int dash = line.lastIndexOf('-', te - 1);
        if (dash <= i || dash >= te - 1) {
            return bad(no, "no TASK-PID before [CPU]");
        }
        int pid = 0;
        for (int k = dash + 1; k < te; k++) {
            char c = line.charAt(k);
            if (!isDigit(c) || k - dash > 9) {
                return bad(no, "bad pid in TASK-PID");
            }
            pid = pid * 10 + (c - '0');
        }
        // [FLAGS] TIMESTAMP:
        int p = skipSpaces(line, rb + 1, n);
        long ts = timestamp(line, p, n);
        if (ts == BAD) {
            int e = line.indexOf(' ', p);
            if (e < 0) {
                return bad(no, "truncated before the timestamp");
            }
            p = skipSpaces(line, e, n);
            ts = timestamp(line, p, n);
            if (ts == BAD) {
                return bad(no, "no timestamp (SECONDS.MICROS:)");
            }
        }
        p = line.indexOf(':', p) + 1;
        p = skipSpaces(line, p, n);
        // EVENT:
        int ns = p;
        while (p < n && isNameChar(line.charAt(p))) {
            p++;
        }
        if (p == ns || p >= n || line.charAt(p) != ':') {
            return bad(no, "no event name");
        }
        String name = intern(line, ns, p);
        EventType type = EventType.of(name);
        if (type == null) {
            return bad(no, "unknown event '" + name + "'");
        }
        int body = skipSpaces(line, p + 1, n);
        long[] values = null;
        String text = null;
        if (type != EventType.OTHER) {
            values = new long[SLOTS];
            for (Slot s : type.slots) {
                int v = valueStart(line, body, n, s.key);
                if (v < 0) {
                    return bad(no, name + ": no field " + s.key);
                }
                int ve = line.indexOf(' ', v);
                if (ve < 0) {
                    ve = n;
                }
                if (s.kind == Slot.Kind.TEXT) {
                    if (ve == v) {
                        return bad(no, name + ": empty " + s.key);
                    }
                    text = intern(line, v, ve);
                    continue;
                }
                long x = value(s.kind, line, v, ve);
                if (x == BAD) {
                    return bad(no, name + ": bad " + s.key + " '" + clip(line, v, ve) + "'" + (why == null ? "" : " (" + why + ")"));
                }
                values[s.ordinal()] = x;
            }
            byType[type.ordinal()]++;
        } else {
            otherByName.merge(name, 1L, Long::sum);
        }
        events++;
        return new TraceEvent(no, line, i, dash, pid, cpu, ts, type, name, body, values, text);
    }

    /** What the parser has read so far. */
    public ParseStats stats() {
        Map<String, Long> by = new LinkedHashMap<>();
        for (EventType t : EventType.values()) {
            if (t != EventType.OTHER && byType[t.ordinal()] > 0) {
                by.put(t.eventName, byType[t.ordinal()]);
            }
        }
        by.putAll(otherByName);
        return new ParseStats(lines, skipped, events, by, unparsed, firstBad, lostNotices, lostEvents, parserErrors);
    }

    /** Lines read so far. */
    public long lines() {
        return lines;
    }

    // ---- pieces ----------------------------------------------------------------------------------

    private TraceEvent bad(long no, String reason) {
        unparsed++;
        if (firstBad.size() < KEPT_BAD_LINES) {
            firstBad.add(new ParseStats.BadLine(no, reason));
        }
        return null;
    }

    /** trace-cmd report's header lines. */
    private static boolean isHeader(String line, int i) {
        return line.startsWith("version = ", i) || line.startsWith("cpus=", i) || line.startsWith("trace-cmd:", i)
                || (line.startsWith("CPU ", i) && line.endsWith(" is empty"));
    }

    /** {@code N [LOST M EVENTS]} after "CPU:", or -1. */
    private static long lostCount(String line, int p, int n) {
        int open = line.indexOf("[LOST ", p);
        if (open < 0) {
            return -1;
        }
        long v = 0;
        int j = open + 6;
        int start = j;
        while (j < n && isDigit(line.charAt(j)) && j - start < 18) {
            v = v * 10 + (line.charAt(j) - '0');
            j++;
        }
        return j > start && line.startsWith(" EVENTS]", j) ? v : -1;
    }

    /** SECONDS.FRACTION: at p, in nanoseconds, or BAD. */
    private static long timestamp(String line, int p, int n) {
        long sec = 0;
        int j = p;
        while (j < n && isDigit(line.charAt(j)) && j - p < 12) {
            sec = sec * 10 + (line.charAt(j) - '0');
            j++;
        }
        if (j == p || j >= n || line.charAt(j) != '.') {
            return BAD;
        }
        int f = ++j;
        long frac = 0;
        while (j < n && isDigit(line.charAt(j)) && j - f < 9) {
            frac = frac * 10 + (line.charAt(j) - '0');
            j++;
        }
        int digits = j - f;
        if (digits == 0 || j >= n || line.charAt(j) != ':') {
            return BAD;
        }
        for (int k = digits; k < 9; k++) {
            frac *= 10;
        }
        return sec * 1_000_000_000L + frac;
    }

    /** Where the value of {@code key=} starts in the body (at a word's start), or -1. */
    private static int valueStart(String line, int body, int n, String key) {
        int k = key.length();
        int from = body;
        while (true) {
            int at = line.indexOf(key, from);
            if (at < 0) {
                return -1;
            }
            int eq = at + k;
            if (eq < n && line.charAt(eq) == '=' && (at == body || line.charAt(at - 1) == ' ')) {
                return eq + 1;
            }
            from = at + 1;
        }
    }

    private long value(Slot.Kind kind, String line, int v, int ve) {
        why = null;
        switch (kind) {
            case HEX: {
                int j = v;
                if (ve - j > 2 && line.charAt(j) == '0' && (line.charAt(j + 1) == 'x' || line.charAt(j + 1) == 'X')) {
                    j += 2;
                }
                if (line.startsWith("(null)", v) && ve - v == 6) {
                    return 0;
                }
                if (j == ve || ve - j > 16) {
                    return BAD;
                }
                long x = 0;
                for (; j < ve; j++) {
                    int d = Character.digit(line.charAt(j), 16);
                    if (d < 0) {
                        return BAD;
                    }
                    x = x << 4 | d;
                }
                return x;
            }
            case DEC: {
                int j = v;
                boolean neg = j < ve && line.charAt(j) == '-';
                if (neg) {
                    j++;
                }
                if (j == ve || ve - j > 18) {
                    return BAD;
                }
                long x = 0;
                for (; j < ve; j++) {
                    char c = line.charAt(j);
                    if (!isDigit(c)) {
                        return BAD;
                    }
                    x = x * 10 + (c - '0');
                }
                return neg ? -x : x;
            }
            case GFP: {
                int m;
                int at = gfpMemo.find(line, v, ve);
                if (at >= 0) {
                    m = gfpMemo.valueAt(at);
                } else {
                    try {
                        m = Gfp.parse(line.substring(v, ve));
                    } catch (IllegalArgumentException e) {
                        m = -1;
                    }
                    gfpMemo.put(line, v, ve, m);
                }
                if (m < 0) {
                    why = "not GFP flags by the kernel's names";
                    return BAD;
                }
                return m;
            }
            default:
                return BAD;
        }
    }

    /** One String per distinct name (event and cache names repeat on every line). */
    private String intern(String line, int from, int to) {
        int at = names.find(line, from, to);
        return at >= 0 ? names.keyAt(at) : names.put(line, from, to, 0);
    }

    private static String clip(String line, int from, int to) {
        return to - from > 40 ? line.substring(from, from + 40) + "..." : line.substring(from, to);
    }

    private static int skipSpaces(String s, int i, int n) {
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isNameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c >= 'A' && c <= 'Z';
    }
}

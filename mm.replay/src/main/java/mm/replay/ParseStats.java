package mm.replay;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parser made of its lines: how many, how many were comments or headers, how many events of
 * each name, and the lines it could not read (the count, and the first few with the reason).
 *
 * @param lines every line read
 * @param skipped comment, header and blank lines
 * @param events event lines read
 * @param eventsByName events by name, in the order the replay knows them, then others by name
 * @param unparsed lines that are neither comments nor readable events
 * @param firstUnparsed the first {@link TraceParser#KEPT_BAD_LINES} of them
 * @param lostNotices ftrace's {@code CPU:N [LOST M EVENTS]} lines
 * @param lostEvents the events they say were lost
 * @param parserErrors of the unparsed lines, those on which the parser itself threw (a bug of the parser: 0 expected)
 */
public record ParseStats(long lines, long skipped, long events, Map<String, Long> eventsByName, long unparsed,
        List<BadLine> firstUnparsed, long lostNotices, long lostEvents, long parserErrors) {

    /** A line that could not be read: its number and why. */
    public record BadLine(long lineNo, String reason) {
    }

    public ParseStats {
        eventsByName = Collections.unmodifiableMap(new LinkedHashMap<>(eventsByName));
        firstUnparsed = List.copyOf(firstUnparsed);
    }

    /** Events of one name (0 if none). */
    public long events(String name) {
        return eventsByName.getOrDefault(name, 0L);
    }
}

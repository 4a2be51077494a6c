package mm.console.trace;

import java.util.List;
import java.util.function.Predicate;
import mm.api.trace.TraceRecord;

/** The text of /sys/kernel/tracing/trace and available_events, as the kernel prints them. */
public final class TraceFormatter {

    private TraceFormatter() {
    }

    /**
     * The trace file: the nop tracer's header ({@code entries-in-buffer/entries-written} and the
     * CPU count {@code #P}), then one line per record, oldest first.
     */
    public static String trace(List<TraceRecord> records, long written, int cpus) {
        StringBuilder sb = new StringBuilder(700 + records.size() * 140);
        header(sb, records.size(), written, cpus);
        for (TraceRecord r : records) {
            r.appendTo(sb).append('\n');
        }
        return sb.toString();
    }

    /** The header lines of the trace file (print_trace_header for the nop tracer with irq-info). */
    public static StringBuilder header(StringBuilder sb, long entries, long written, int cpus) {
        sb.append("# tracer: nop\n");
        sb.append("#\n");
        sb.append("# entries-in-buffer/entries-written: ").append(entries).append('/').append(written).append("   #P:").append(cpus)
                .append('\n');
        sb.append("#\n");
        sb.append("#                                _-----=> irqs-off/BH-disabled\n");
        sb.append("#                               / _----=> need-resched\n");
        sb.append("#                              | / _---=> hardirq/softirq\n");
        sb.append("#                              || / _--=> preempt-depth\n");
        sb.append("#                              ||| / _-=> migrate-disable\n");
        sb.append("#                              |||| /     delay\n");
        sb.append("#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n");
        sb.append("#              | |         |   |||||     |         |\n");
        return sb;
    }

    /** available_events, one {@code system:event} a line, {@code *} before the enabled ones. */
    public static String events(List<String> events, Predicate<String> enabled) {
        StringBuilder sb = new StringBuilder();
        for (String e : events) {
            sb.append(enabled.test(e) ? "* " : "  ").append(e).append('\n');
        }
        return sb.toString();
    }
}

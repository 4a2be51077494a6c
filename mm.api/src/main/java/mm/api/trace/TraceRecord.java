package mm.api.trace;

/**
 * One trace record.
 *
 * @param nanos simulated time
 * @param cpu the simulated CPU
 * @param pid the task's pid (0 for the idle/kernel context)
 * @param comm the task's name
 * @param event the event's name without its system ({@code mm_page_alloc})
 * @param args the formatted arguments
 */
public record TraceRecord(long nanos, int cpu, int pid, String comm, String event, String args) {

    /**
     * The line as /sys/kernel/tracing/trace prints it with the default options:
     * {@code             java-5239    [001] .....   199.128519: mm_page_alloc: page=...}: the task's
     * name right-aligned in 16 columns ({@code %16s-%-7d}, trace_print_context), the CPU, the
     * latency flags, seconds and microseconds.
     */
    public String format() {
        return appendTo(new StringBuilder(48 + args.length())).toString();
    }

    /** Appends {@link #format()} to a builder. */
    public StringBuilder appendTo(StringBuilder sb) {
        long usecs = nanos / 1000;
        pad(sb, comm, 16, true);
        sb.append('-');
        pad(sb, Integer.toString(pid), 7, false);
        sb.append(" [");
        String c = Integer.toString(cpu);
        for (int i = c.length(); i < 3; i++) {
            sb.append('0');
        }
        sb.append(c).append("] ..... ");
        pad(sb, Long.toString(usecs / 1_000_000), 5, true);
        sb.append('.');
        String frac = Long.toString(usecs % 1_000_000);
        for (int i = frac.length(); i < 6; i++) {
            sb.append('0');
        }
        return sb.append(frac).append(": ").append(event).append(": ").append(args);
    }

    private static void pad(StringBuilder sb, String s, int width, boolean right) {
        if (!right) {
            sb.append(s);
        }
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        if (right) {
            sb.append(s);
        }
    }
}

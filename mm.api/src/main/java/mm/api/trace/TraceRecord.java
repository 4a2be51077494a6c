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
     * {@code           <...>-1234    [001] .....   199.110218: mm_page_alloc: page=...}.
     */
    public String format() {
        long usecs = nanos / 1000;
        String task = comm + "-" + pid;
        return String.format("%16s [%03d] ..... %5d.%06d: %s: %s", task, cpu, usecs / 1_000_000, usecs % 1_000_000, event, args);
    }
}

package mm.replay;

/**
 * One event line of a trace: the line number, the task and pid, the CPU, the timestamp, the event
 * and its fields. The fields the replay needs ({@link EventType#slots()}) are parsed once, by the
 * parser, and read with {@link #get(Slot)}; any field can be read as text with {@link #field}.
 */
public final class TraceEvent {

    private final long lineNo;
    private final String line;
    private final int taskStart;
    private final int taskEnd;
    private final int pid;
    private final int cpu;
    private final long timestampNs;
    private final EventType type;
    private final String name;
    private final int bodyStart;
    private final long[] values;
    private final String text;

    TraceEvent(long lineNo, String line, int taskStart, int taskEnd, int pid, int cpu, long timestampNs, EventType type,
            String name, int bodyStart, long[] values, String text) {
        this.lineNo = lineNo;
        this.line = line;
        this.taskStart = taskStart;
        this.taskEnd = taskEnd;
        this.pid = pid;
        this.cpu = cpu;
        this.timestampNs = timestampNs;
        this.type = type;
        this.name = name;
        this.bodyStart = bodyStart;
        this.values = values;
        this.text = text;
    }

    /** The line number in the trace, from 1. */
    public long lineNo() {
        return lineNo;
    }

    /** The task's command name ({@code java}, {@code <idle>}). */
    public String task() {
        return line.substring(taskStart, taskEnd);
    }

    /** The task's pid. */
    public int pid() {
        return pid;
    }

    /** The CPU the event was recorded on. */
    public int cpu() {
        return cpu;
    }

    /** The timestamp in nanoseconds (the trace prints seconds with 6 or 9 decimals). */
    public long timestampNs() {
        return timestampNs;
    }

    /** The event's type; {@link EventType#OTHER} for a known event the replay does not re-enact. */
    public EventType type() {
        return type;
    }

    /** The event's name as printed ({@code mm_page_alloc}). */
    public String name() {
        return name;
    }

    /** A field the type requires, parsed: a number, a GFP mask; for {@link Slot#NAME} see {@link #text()}. */
    public long get(Slot slot) {
        return values[slot.ordinal()];
    }

    /** The {@link Slot#NAME} field (the cache of kmem_cache_alloc/free), or null. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return lineNo + ": [" + cpu + "] " + name + ": " + line.substring(bodyStart);
    }
}

package mm.hw.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import mm.api.trace.TraceRecord;
import mm.api.trace.TraceSink;
import mm.api.trace.Tracepoint;
import mm.api.trace.Tracer;

/**
 * The machine's /sys/kernel/tracing: tracepoints by {@code system:event}, each with a volatile
 * enable flag that hot paths read before formatting anything, and one ring buffer of records
 * that overwrites its oldest record when full (the kernel's default overwrite mode). The buffer
 * holds {@code buffer_size_kb} (default {@value #DEFAULT_BUFFER_SIZE_KB}, the kernel's default
 * per CPU) times the CPU count, counting each record as {@value #ENTRY_BYTES} bytes (an event
 * header and a kmem event's fields). Records are stamped with the simulated clock and CPU and
 * the task {@value #DEFAULT_COMM}-{@value #DEFAULT_PID}: the same commands give the same text.
 */
public final class TracerImpl implements Tracer {

    /** buffer_size_kb: the kernel's default per-CPU ring buffer size (1.4 MiB). */
    public static final int DEFAULT_BUFFER_SIZE_KB = 1408;
    /** Bytes a record is counted as. */
    public static final int ENTRY_BYTES = 48;
    /** The task name records carry by default. */
    public static final String DEFAULT_COMM = "mm-console";
    /** The pid records carry by default. */
    public static final int DEFAULT_PID = 0;

    /** The kmem events the simulator emits, in event_formats.txt's order. */
    public static final List<String> KMEM_EVENTS = List.of("kfree", "kmalloc", "kmem_cache_alloc", "kmem_cache_free",
            "mm_page_alloc", "mm_page_alloc_extfrag", "mm_page_alloc_zone_locked", "mm_page_free", "mm_page_free_batched",
            "mm_page_pcpu_drain");
    /** The vmscan events the simulator emits (kswapd's wake-ups, for now). */
    public static final List<String> VMSCAN_EVENTS = List.of("mm_vmscan_wakeup_kswapd");

    private final LongSupplier clock;
    private final IntSupplier cpu;
    private final int cpus;
    private final Map<String, Point> points = new TreeMap<>();
    private final CopyOnWriteArrayList<TraceSink> sinks = new CopyOnWriteArrayList<>();
    private TraceRecord[] ring;
    private int bufferSizeKb = DEFAULT_BUFFER_SIZE_KB;
    private int head;
    private int size;
    private long written;

    /**
     * @param clock the simulated clock, nanoseconds
     * @param cpu the calling thread's simulated CPU
     * @param cpus the CPU count (the buffer is per CPU in the kernel)
     */
    public TracerImpl(LongSupplier clock, IntSupplier cpu, int cpus) {
        this.clock = clock;
        this.cpu = cpu;
        this.cpus = Math.max(1, cpus);
        this.ring = new TraceRecord[capacityFor(DEFAULT_BUFFER_SIZE_KB)];
        for (String e : KMEM_EVENTS) {
            tracepoint("kmem", e);
        }
        for (String e : VMSCAN_EVENTS) {
            tracepoint("vmscan", e);
        }
    }

    private int capacityFor(int kb) {
        long n = (long) kb * 1024 / ENTRY_BYTES * cpus;
        return (int) Math.max(1, Math.min(n, 1 << 26));
    }

    /** buffer_size_kb, per CPU. */
    public synchronized int bufferSizeKb() {
        return bufferSizeKb;
    }

    /** Resizes the buffer (writing buffer_size_kb), which empties it as the kernel does. */
    public synchronized void setBufferSizeKb(int kb) {
        if (kb < 1) {
            throw new IllegalArgumentException("buffer size " + kb + " KiB: accepted is 1 or more");
        }
        ring = new TraceRecord[capacityFor(kb)];
        bufferSizeKb = kb;
        head = 0;
        size = 0;
        written = 0;
    }

    /** How many records the buffer holds at most. */
    public synchronized int capacity() {
        return ring.length;
    }

    @Override
    public synchronized Tracepoint tracepoint(String system, String event) {
        if (!isName(system) || !isName(event)) {
            throw new IllegalArgumentException("bad tracepoint name '" + system + ":" + event + "': accepted are letters, digits and _");
        }
        return points.computeIfAbsent(system + ":" + event, n -> new Point(n, event));
    }

    private static boolean isName(String s) {
        if (s == null || s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized List<String> events() {
        return List.copyOf(points.keySet());
    }

    /** {@code set_event}: each event {@link #matching} the pattern. */
    @Override
    public synchronized int setEnabled(String pattern, boolean enabled) {
        List<String> names = matching(pattern);
        for (String name : names) {
            points.get(name).enabled = enabled;
        }
        return names.size();
    }

    /**
     * {@code set_event}'s patterns: {@code system:event}, {@code system:*}, {@code *:event},
     * {@code *:*}, {@code event} (any system), {@code *}; {@code *} also matches inside a name as a glob.
     */
    @Override
    public synchronized List<String> matching(String pattern) {
        String p = pattern == null ? "" : pattern.trim();
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty event pattern: accepted are system:event, system:*, *:*, or an event name");
        }
        int colon = p.indexOf(':');
        String sys = colon >= 0 ? p.substring(0, colon) : "*";
        String ev = colon >= 0 ? p.substring(colon + 1) : p;
        if (sys.isEmpty()) {
            sys = "*";
        }
        if (ev.isEmpty()) {
            ev = "*";
        }
        List<String> out = new ArrayList<>();
        for (String k : points.keySet()) {
            int c = k.indexOf(':');
            if (glob(sys, k.substring(0, c)) && glob(ev, k.substring(c + 1))) {
                out.add(k);
            }
        }
        return out;
    }

    /** A glob with {@code *} only. */
    static boolean glob(String pattern, String s) {
        return s.matches(("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q"));
    }

    @Override
    public AutoCloseable addSink(TraceSink sink) {
        sinks.add(sink);
        return () -> sinks.remove(sink);
    }

    @Override
    public synchronized List<TraceRecord> records() {
        List<TraceRecord> out = new ArrayList<>(size);
        int start = head - size;
        if (start < 0) {
            start += ring.length;
        }
        for (int i = 0; i < size; i++) {
            out.add(ring[(start + i) % ring.length]);
        }
        return out;
    }

    @Override
    public synchronized long entriesWritten() {
        return written;
    }

    @Override
    public synchronized void clear() {
        Arrays.fill(ring, null);
        head = 0;
        size = 0;
        written = 0;
    }

    private void record(String event, String args) {
        TraceRecord r = new TraceRecord(clock.getAsLong(), cpu.getAsInt(), DEFAULT_PID, DEFAULT_COMM, event, args);
        synchronized (this) {
            ring[head] = r;
            head = head + 1 == ring.length ? 0 : head + 1;
            if (size < ring.length) {
                size++;
            }
            written++;
        }
        for (TraceSink s : sinks) {
            s.accept(r);
        }
    }

    /** One tracepoint. */
    private final class Point implements Tracepoint {
        private final String name;
        private final String event;
        volatile boolean enabled;

        Point(String name, String event) {
            this.name = name;
            this.event = event;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean enabled() {
            return enabled;
        }

        @Override
        public void emit(String args) {
            record(event, args);
        }

        @Override
        public String toString() {
            return name + (enabled ? " (enabled)" : "");
        }
    }
}

package mm.api.trace;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** The tracing facility: the simulator's /sys/kernel/tracing (kernel/trace/). */
@ProviderType
public interface Tracer {

    /** The tracepoint {@code system:event} ({@code kmem:mm_page_alloc}), created on first use. */
    Tracepoint tracepoint(String system, String event);

    /** Every known event as {@code system:event}. */
    List<String> events();

    /**
     * Enables or disables the events matching a pattern, like writing to {@code set_event}:
     * {@code kmem:mm_page_alloc}, {@code kmem:*}, {@code *:*}.
     *
     * @return how many events matched
     */
    int setEnabled(String pattern, boolean enabled);

    /**
     * The events a pattern selects, as {@link #setEnabled} reads it: {@code system:event},
     * {@code system:*}, {@code *:event}, {@code *:*}, an event name of any system; {@code *} is a
     * glob inside a name. Changes nothing.
     *
     * @return the matching events as {@code system:event}, in {@link #events()}' order; empty if none
     * @throws IllegalArgumentException for an empty pattern
     * @since 1.2
     */
    List<String> matching(String pattern);

    /** Receives every record emitted from now on, until the returned handle is closed. */
    AutoCloseable addSink(TraceSink sink);

    /**
     * The records in the ring buffer, oldest first (what {@code trace} prints below its header).
     *
     * @since 1.1
     */
    default List<TraceRecord> records() {
        return List.of();
    }

    /**
     * Records written since the last {@link #clear()}, including those the ring buffer has
     * overwritten since ({@code entries-written} of the trace file's header).
     *
     * @since 1.1
     */
    default long entriesWritten() {
        return 0;
    }

    /**
     * Empties the ring buffer ({@code echo > trace}).
     *
     * @since 1.1
     */
    default void clear() {
    }

    /**
     * A tracer whose events are never enabled, for machines without one.
     *
     * @since 1.1
     */
    static Tracer none() {
        return NoTracer.INSTANCE;
    }
}

package mm.api.trace;

import org.osgi.annotation.versioning.ProviderType;

/** One tracepoint ({@code TRACE_EVENT} in include/trace/events/). */
@ProviderType
public interface Tracepoint {

    /** {@code system:event}. */
    String name();

    /** True while the event is enabled; a plain field read, so hot paths can test it freely. */
    boolean enabled();

    /**
     * Records the event with its arguments already formatted after the kernel's print format
     * ({@code page=... pfn=0x1a2b order=0 migratetype=1 gfp_flags=GFP_KERNEL}). Call only when
     * {@link #enabled()} is true.
     */
    void emit(String args);
}

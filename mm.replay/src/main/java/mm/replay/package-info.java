/**
 * Replay of real kernel traces. {@link mm.replay.TraceParser} reads the text of
 * {@code /sys/kernel/tracing/trace} (and what {@code trace-cmd report} prints), line by line, into
 * {@link mm.replay.TraceEvent records}, counting what it cannot read; {@link mm.replay.TraceInput}
 * opens plain or xz-compressed files. {@link mm.replay.Replay} re-enacts the allocations and frees
 * of a trace on a fresh machine through implementations made by their factories and returns a
 * {@link mm.replay.ReplayReport}; formatting the report is the console's business. Where the trace
 * records the kernel's own decisions, the report says how many the simulator reproduced: kmalloc's
 * {@code bytes_alloc} against the simulator's {@code ksize}, and the fallbacks to another
 * migratetype ({@code mm_page_alloc_extfrag}, paired with the next {@code mm_page_alloc} of its
 * CPU) against the simulator's own, heard on the fresh machine's tracer.
 */
@Export
@Version("1.0.0")
package mm.replay;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

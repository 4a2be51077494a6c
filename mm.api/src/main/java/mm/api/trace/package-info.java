/**
 * Tracepoints in the kernel's ftrace text format ({@code mm_page_alloc}, {@code kmalloc},
 * {@code mm_vmscan_kswapd_wake}...). Subsystems look up their tracepoints once and test
 * {@link mm.api.trace.Tracepoint#enabled()} before formatting anything, so that tracing costs
 * nothing while it is off.
 */
@Export
@Version("1.2.0")
package mm.api.trace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

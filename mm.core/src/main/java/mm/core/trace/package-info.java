/**
 * The kmem tracepoints ({@code include/trace/events/kmem.h}) that every frame allocator and object
 * cache emits, with the kernel's print formats.
 */
@Export
@Version("1.0.0")
package mm.core.trace;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

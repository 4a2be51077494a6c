/**
 * The {@code FrameAllocator} contract: the page allocator, {@code alloc_pages} and
 * {@code __free_pages} (mm/page_alloc.c), with GFP flags (include/linux/gfp_types.h).
 */
@Export
@Version("1.3.0")
package mm.api.frame;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

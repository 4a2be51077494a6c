/**
 * The page allocator's mechanics that do not depend on how free blocks are indexed
 * (mm/page_alloc.c): {@code __alloc_pages} and its zonelist walk, {@code gfp_to_alloc_flags},
 * {@code __zone_watermark_ok}, the checks {@code free_pages_prepare} makes, and the frame table
 * scan with which an allocator adopts a machine. A frame allocator extends
 * {@link mm.core.page.PageAllocatorCore} and supplies {@code rmqueue} and {@code free_one_page}.
 */
@Export
@Version("1.1.0")
package mm.core.page;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

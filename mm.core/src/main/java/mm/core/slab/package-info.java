/**
 * What every object cache implementation shares (mm/slub.c, mm/slab_common.c): the geometry of a
 * cache ({@code calculate_sizes}, {@code calculate_order}), the kernel addresses of the direct
 * map, the slab descriptor ({@code struct slab}) with its free chain, slab debugging (red zones,
 * poisoning, owner tracking and the kernel's reports), and the hand-over of caches and live
 * objects from one implementation to the next.
 */
@Export
@Version("1.0.0")
package mm.core.slab;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The {@code ObjectCache} contract: slab object caches and kmalloc (mm/slub.c, mm/slab_common.c,
 * include/linux/slab.h). The reference implementation is SLUB ({@code mm.slub}).
 */
@Export
@Version("1.1.0")
package mm.api.slab;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

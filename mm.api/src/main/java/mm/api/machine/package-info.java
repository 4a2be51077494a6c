/**
 * The simulated machine: its configuration, physical memory map, NUMA nodes and zones, the frame
 * table ({@code mem_map}), the memblock boot allocator's view, simulated CPUs and the clock.
 *
 * <p>In the kernel these are {@code struct pglist_data} and {@code struct zone}
 * (include/linux/mmzone.h), {@code struct page} (include/linux/mm_types.h), memblock
 * (mm/memblock.c) and the architecture's setup code (arch/x86/kernel/e820.c, setup.c;
 * arch/arm64/mm/init.c). The machine owns the per-frame state, like the kernel's {@code mem_map}
 * belongs to the core and not to the page allocator: subsystems keep their own indexes and can
 * rebuild them from the frame table, which is what makes hot swap possible.
 */
@Export
@Version("1.4.0")
package mm.api.machine;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

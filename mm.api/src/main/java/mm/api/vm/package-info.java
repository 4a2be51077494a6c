/**
 * The {@code PageTable} contract: address spaces, VMAs, page tables and page faults
 * (mm/memory.c, mm/mmap.c, mm/vma.c, arch/x86/mm/fault.c, arch/arm64/mm/fault.c). The reference
 * implementation is {@code mm.vm}.
 */
@Export
@Version("1.0.0")
package mm.api.vm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

package mm.api.machine;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * What memblock, the boot-time allocator (mm/memblock.c), knew when it handed memory to the page
 * allocator: the {@code memory} and {@code reserved} region arrays, each sorted by base,
 * non-overlapping and with compatible neighbours merged. The simulator keeps them after boot
 * (like ARCH_KEEP_MEMBLOCK) so that {@code mm:memblock} can print the {@code memblock=debug} dump.
 */
@ProviderType
public interface Memblock {

    /** The {@code memblock.memory} regions. */
    List<MemblockRegion> memory();

    /** The {@code memblock.reserved} regions. */
    List<MemblockRegion> reserved();

    /** {@code memblock.memory.total_size}. */
    long memorySize();

    /** {@code memblock.reserved.total_size}. */
    long reservedSize();

    /** True if allocations went bottom-up ({@code memblock_bottom_up}). */
    boolean bottomUp();
}

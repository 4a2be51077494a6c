package mm.core.slab;

import java.util.Arrays;

/**
 * The bytes of slab memory, for slabs whose contents are kept (caches with debugging on): what
 * {@code mm:poke} writes, {@code mm:peek} reads, and {@code krealloc} copies to a new object.
 */
final class SlabBytes {

    private final SlabTable table;
    private final DirectMap dm;

    SlabBytes(SlabTable table, DirectMap dm) {
        this.table = table;
        this.dm = dm;
    }

    /** Writes bytes at a kernel address in slab memory. */
    void poke(long addr, byte[] bytes) {
        Slab slab = slabFor(addr, bytes.length);
        int off = (int) (addr - dm.virt(slab.pfn, 0));
        synchronized (slab) {
            System.arraycopy(bytes, 0, slab.mem, off, bytes.length);
        }
    }

    /** Reads bytes at a kernel address in slab memory. */
    byte[] peek(long addr, int length) {
        Slab slab = slabFor(addr, length);
        int off = (int) (addr - dm.virt(slab.pfn, 0));
        synchronized (slab) {
            return Arrays.copyOfRange(slab.mem, off, off + length);
        }
    }

    /** The bytes of an object whose slab keeps them, or null. */
    byte[] peekIfKept(long addr, int length) {
        Slab slab = table.slabOf(dm.pfn(addr));
        return slab != null && slab.mem != null ? peek(addr, length) : null;
    }

    /** Writes bytes into an object whose slab keeps them (at most its object size); nothing otherwise. */
    void pokeIfKept(long addr, byte[] bytes) {
        Slab slab = table.slabOf(dm.pfn(addr));
        if (slab != null && slab.mem != null) {
            poke(addr, Arrays.copyOf(bytes, Math.min(bytes.length, slab.cache.objectSize())));
        }
    }

    private Slab slabFor(long addr, int length) {
        long pfn = dm.pfn(addr);
        Slab slab = pfn < 0 ? null : table.slabOf(pfn);
        if (slab == null) {
            throw new IllegalArgumentException(DirectMap.format(addr) + " is not in a slab page: mm:poke and mm:peek work on slab memory");
        }
        if (slab.mem == null) {
            throw new IllegalArgumentException(DirectMap.format(addr) + " is in a slab of " + slab.cache.name()
                    + ", whose contents are not kept: create the cache with debugging (flags SLAB_RED_ZONE, SLAB_POISON...) "
                    + "or boot with slub_debug");
        }
        int off = (int) (addr - dm.virt(slab.pfn, 0));
        if (length < 0 || off + length > slab.bytes()) {
            throw new IllegalArgumentException(length + " bytes from " + DirectMap.format(addr) + " run past the end of the slab");
        }
        return slab;
    }
}

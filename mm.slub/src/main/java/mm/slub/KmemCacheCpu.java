package mm.slub;

import mm.core.slab.Slab;

/**
 * A CPU's part of a cache ({@code struct kmem_cache_cpu}): the slab it allocates from, the chain
 * of that slab's objects only this CPU may take ({@code freelist}), and its partial slabs. Only
 * calls running on the CPU, with its gate held, touch it.
 */
final class KmemCacheCpu {
    /** The CPU slab, frozen while it is here. */
    Slab slab;
    /** The first object of the CPU's private chain in {@link #slab}, or {@link Slab#END}. */
    int freelist = Slab.END;
    /** The first slab of the CPU's partial chain (linked by {@code nextSlab}), or null. */
    Slab partial;
    /** CONFIG_SLUB_STATS counters. */
    final long[] stat = new long[SlubStat.NR];
}

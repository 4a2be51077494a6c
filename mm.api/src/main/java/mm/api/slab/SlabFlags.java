package mm.api.slab;

/**
 * Cache creation flags ({@code SLAB_*}, include/linux/slab.h). The bit values are the
 * simulator's; the names and meanings are the kernel's.
 */
public final class SlabFlags {
    /** SLAB_CONSISTENCY_CHECKS: check objects on alloc and free (slub_debug F). */
    public static final long SLAB_CONSISTENCY_CHECKS = 1L << 0;
    /** SLAB_RED_ZONE: red zones around objects (slub_debug Z). */
    public static final long SLAB_RED_ZONE = 1L << 1;
    /** SLAB_POISON: poison free objects (slub_debug P). */
    public static final long SLAB_POISON = 1L << 2;
    /** SLAB_KMALLOC: a kmalloc cache. */
    public static final long SLAB_KMALLOC = 1L << 3;
    /** SLAB_HWCACHE_ALIGN: align objects on cache lines. */
    public static final long SLAB_HWCACHE_ALIGN = 1L << 4;
    /** SLAB_CACHE_DMA: slabs from ZONE_DMA. */
    public static final long SLAB_CACHE_DMA = 1L << 5;
    /** SLAB_CACHE_DMA32: slabs from ZONE_DMA32. */
    public static final long SLAB_CACHE_DMA32 = 1L << 6;
    /** SLAB_STORE_USER: record who allocated and freed each object (slub_debug U). */
    public static final long SLAB_STORE_USER = 1L << 7;
    /** SLAB_PANIC: panic if creation fails. */
    public static final long SLAB_PANIC = 1L << 8;
    /** SLAB_TYPESAFE_BY_RCU: slabs are freed after an RCU grace period. */
    public static final long SLAB_TYPESAFE_BY_RCU = 1L << 9;
    /** SLAB_TRACE: trace allocations and frees (slub_debug T). */
    public static final long SLAB_TRACE = 1L << 10;
    /** SLAB_NO_MERGE: never merge with a compatible cache. */
    public static final long SLAB_NO_MERGE = 1L << 11;
    /** SLAB_ACCOUNT: charge objects to the allocating task's memcg. */
    public static final long SLAB_ACCOUNT = 1L << 12;
    /** SLAB_RECLAIM_ACCOUNT: slabs are reclaimable (counted in SReclaimable, MIGRATE_RECLAIMABLE). */
    public static final long SLAB_RECLAIM_ACCOUNT = 1L << 13;

    /** The debug flags slub_debug=FZPU sets. */
    public static final long SLAB_DEBUG_FLAGS = SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER;

    private SlabFlags() {
    }
}

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

    /** Every flag, by bit position. */
    private static final String[] NAMES = {
        "SLAB_CONSISTENCY_CHECKS", "SLAB_RED_ZONE", "SLAB_POISON", "SLAB_KMALLOC", "SLAB_HWCACHE_ALIGN", "SLAB_CACHE_DMA",
        "SLAB_CACHE_DMA32", "SLAB_STORE_USER", "SLAB_PANIC", "SLAB_TYPESAFE_BY_RCU", "SLAB_TRACE", "SLAB_NO_MERGE",
        "SLAB_ACCOUNT", "SLAB_RECLAIM_ACCOUNT"
    };

    /** The flags a caller of {@code kmem_cache_create} may pass (SLAB_KMALLOC is the kmalloc caches' own). */
    public static final long CREATE_MASK = ((1L << NAMES.length) - 1) & ~SLAB_KMALLOC;

    private SlabFlags() {
    }

    /**
     * Parses flag names joined by {@code +}, {@code ,} or {@code |}: {@code SLAB_HWCACHE_ALIGN+SLAB_POISON}; the
     * {@code SLAB_} prefix and case are optional ({@code hwcache_align}), {@code 0} or an empty string is no flag.
     *
     * @throws IllegalArgumentException naming the bad flag and the accepted ones
     */
    public static long parse(String text) {
        long flags = 0;
        if (text == null || text.isBlank() || text.equals("0")) {
            return 0;
        }
        for (String part : text.split("[+,|]")) {
            String name = part.trim().toUpperCase(java.util.Locale.ROOT);
            if (!name.startsWith("SLAB_")) {
                name = "SLAB_" + name;
            }
            int bit = java.util.Arrays.asList(NAMES).indexOf(name);
            if (bit < 0 || ((1L << bit) & CREATE_MASK) == 0) {
                throw new IllegalArgumentException("unknown slab flag '" + part.trim() + "': accepted are " + acceptedNames()
                        + ", joined with +");
            }
            flags |= 1L << bit;
        }
        return flags;
    }

    /**
     * Parses the option letters of {@code slub_debug=}: F (consistency checks), Z (red zones), P (poisoning), U (user
     * tracking), T (trace); an empty string means FZPU as in the kernel, {@code -} none.
     *
     * @throws IllegalArgumentException for another letter
     */
    public static long parseSlubDebug(String letters) {
        if (letters.isEmpty()) {
            return SLAB_DEBUG_FLAGS;
        }
        long flags = 0;
        for (char c : letters.toCharArray()) {
            flags |= switch (Character.toUpperCase(c)) {
                case 'F' -> SLAB_CONSISTENCY_CHECKS;
                case 'Z' -> SLAB_RED_ZONE;
                case 'P' -> SLAB_POISON;
                case 'U' -> SLAB_STORE_USER;
                case 'T' -> SLAB_TRACE;
                case '-' -> 0L;
                default -> throw new IllegalArgumentException("unknown slub_debug option '" + c
                        + "': accepted are F (sanity checks), Z (red zones), P (poisoning), U (user tracking), T (trace), - (none)");
            };
        }
        return flags;
    }

    /** The flags as names joined by {@code |}, {@code 0} for none. */
    public static String format(long flags) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((flags & (1L << bit)) != 0) {
                sb.append(sb.length() > 0 ? "|" : "").append(NAMES[bit]);
            }
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }

    private static String acceptedNames() {
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if (((1L << bit) & CREATE_MASK) != 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(NAMES[bit]);
            }
        }
        return sb.toString();
    }
}

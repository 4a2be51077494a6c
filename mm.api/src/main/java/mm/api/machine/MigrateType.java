package mm.api.machine;

/**
 * Page mobility types, in the kernel's {@code enum migratetype} order (include/linux/mmzone.h)
 * for a kernel without CONFIG_CMA and with CONFIG_MEMORY_ISOLATION, as the captured 6.18 machine
 * was built. The ordinal is the value the kernel stores in the pageblock bitmap and prints in
 * tracepoints ({@code migratetype=1}).
 */
public enum MigrateType {
    /** MIGRATE_UNMOVABLE: kernel allocations that cannot move. */
    UNMOVABLE("Unmovable"),
    /** MIGRATE_MOVABLE: user pages and page cache that compaction can migrate. */
    MOVABLE("Movable"),
    /** MIGRATE_RECLAIMABLE: slab caches that can be shrunk. */
    RECLAIMABLE("Reclaimable"),
    /** MIGRATE_HIGHATOMIC: the reserve for high-order atomic allocations. */
    HIGHATOMIC("HighAtomic"),
    /** MIGRATE_ISOLATE: pageblocks taken out of use (memory offlining, contiguous allocation). */
    ISOLATE("Isolate");

    /** MIGRATE_TYPES. */
    public static final int MIGRATE_TYPES = 5;
    /** MIGRATE_PCPTYPES: the types that have per-CPU lists. */
    public static final int MIGRATE_PCPTYPES = 3;

    private static final MigrateType[] VALUES = values();

    private final String kernelName;

    MigrateType(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name /proc/pagetypeinfo prints ({@code migratetype_names[]} in mm/page_alloc.c). */
    public String kernelName() {
        return kernelName;
    }

    /** The migrate type with this value. */
    public static MigrateType of(int value) {
        return VALUES[value];
    }

    /**
     * {@code migratetype_is_mergeable}: the per-CPU types, whose free blocks merge across
     * pageblocks of different types and whose pageblocks may change type.
     *
     * @since 1.3
     */
    public static boolean isMergeable(int migratetype) {
        return migratetype < MIGRATE_PCPTYPES;
    }
}

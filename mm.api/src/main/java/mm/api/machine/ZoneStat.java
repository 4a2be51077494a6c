package mm.api.machine;

/**
 * Per-zone counters, in the kernel's {@code enum zone_stat_item} order (include/linux/mmzone.h,
 * 6.18) followed by the NUMA event counters ({@code enum numa_stat_item}). /proc/zoneinfo prints
 * them in this order under their kernel names.
 */
public enum ZoneStat {
    NR_FREE_PAGES("nr_free_pages"),
    /** Free pages in blocks of at least pageblock order (6.18). */
    NR_FREE_PAGES_BLOCKS("nr_free_pages_blocks"),
    NR_ZONE_INACTIVE_ANON("nr_zone_inactive_anon"),
    NR_ZONE_ACTIVE_ANON("nr_zone_active_anon"),
    NR_ZONE_INACTIVE_FILE("nr_zone_inactive_file"),
    NR_ZONE_ACTIVE_FILE("nr_zone_active_file"),
    NR_ZONE_UNEVICTABLE("nr_zone_unevictable"),
    NR_ZONE_WRITE_PENDING("nr_zone_write_pending"),
    NR_MLOCK("nr_mlock"),
    NR_ZSPAGES("nr_zspages"),
    NR_FREE_CMA_PAGES("nr_free_cma"),
    NUMA_HIT("numa_hit"),
    NUMA_MISS("numa_miss"),
    NUMA_FOREIGN("numa_foreign"),
    NUMA_INTERLEAVE_HIT("numa_interleave"),
    NUMA_LOCAL("numa_local"),
    NUMA_OTHER("numa_other");

    /** NR_VM_ZONE_STAT_ITEMS + NR_VM_NUMA_EVENT_ITEMS. */
    public static final int COUNT = 17;

    private final String kernelName;

    ZoneStat(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name /proc/zoneinfo and /proc/vmstat print. */
    public String kernelName() {
        return kernelName;
    }
}

package mm.api.machine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A memory zone of a node: the kernel's {@code struct zone} (include/linux/mmzone.h). The machine
 * sizes it at boot and owns its watermarks and counters; the active frame allocator keeps the free
 * counters up to date as it hands out and takes back frames, like the kernel's page allocator
 * updates {@code vm_stat}.
 */
@ProviderType
public interface Zone {

    /** The node this zone belongs to ({@code zone_to_nid}). */
    int nid();

    /** The zone type; its ordinal is the zone index ({@code zone_idx}). */
    ZoneType type();

    /**
     * The zone's position among all zones of the machine, {@code nid * MAX_NR_ZONES + zone index}
     * (the kernel's {@code page_zone_id}): a dense index for per-zone arrays.
     */
    default int id() {
        return nid() * ZoneType.MAX_NR_ZONES + type().ordinal();
    }

    /** The name /proc/zoneinfo prints ({@code DMA}, {@code DMA32}, {@code Normal}...). */
    default String name() {
        return type().kernelName();
    }

    /** The first pfn of the zone ({@code zone_start_pfn}); 0 for an empty zone. */
    long startPfn();

    /** One past the last pfn ({@code zone_end_pfn}). */
    default long endPfn() {
        return startPfn() + spannedPages();
    }

    /** True if the pfn lies in the zone's span. */
    default boolean spans(long pfn) {
        return pfn >= startPfn() && pfn < endPfn();
    }

    /** Pages between the first and last pfn, holes included ({@code spanned_pages}). */
    long spannedPages();

    /** Pages of RAM in the span ({@code present_pages}). */
    long presentPages();

    /** Pages handed to the page allocator ({@code zone_managed_pages}): present minus reserved. */
    long managedPages();

    /** True if the zone has present pages ({@code populated_zone}). */
    default boolean populated() {
        return presentPages() > 0;
    }

    /** True if the zone has managed pages ({@code managed_zone}). */
    default boolean managed() {
        return managedPages() > 0;
    }

    /**
     * A watermark in pages including the current boost ({@code min_wmark_pages} and friends:
     * {@code _watermark[w] + watermark_boost}).
     */
    long watermark(Watermark w);

    /** A watermark without the boost ({@code zone->_watermark[w]}). */
    long rawWatermark(Watermark w);

    /** The temporary boost added to every watermark ({@code zone->watermark_boost}). */
    long watermarkBoost();

    /** Sets the boost (kswapd clears it once it has reclaimed it). */
    void setWatermarkBoost(long pages);

    /**
     * Raises the boost after a fragmenting fallback ({@code boost_watermark}): by one pageblock, up
     * to {@code vm.watermark_boost_factor} of the high watermark.
     *
     * @return false if boosting is off ({@code watermark_boost_factor} 0) or the zone is too small
     */
    boolean boostWatermark();

    /**
     * Pages this zone keeps back from allocations that could have used a higher zone
     * ({@code zone->lowmem_reserve[highestZoneIdx]}): {@code protection} in /proc/zoneinfo.
     */
    long lowmemReserve(int highestZoneIdx);

    /** A zone counter ({@code zone_page_state}). */
    long state(ZoneStat item);

    /** Adds to a zone counter ({@code __mod_zone_page_state}); the frame allocator calls it. */
    void modState(ZoneStat item, long delta);

    /**
     * Counts an event on a CPU's own counter, without an atomic operation
     * ({@code __count_numa_events}: per-CPU data, folded into {@link #state} when read). Like the
     * kernel's per-CPU data, it assumes one thread at a time runs on a simulated CPU.
     *
     * @throws IllegalArgumentException for an item that is not a NUMA event ({@link ZoneStat#NUMA_HIT} and after)
     */
    void countEvent(int cpu, ZoneStat item, long delta);

    /**
     * The per-CPU page list batch ({@code zone->pageset_batch}, from {@code zone_batchsize}, at
     * least 1): how many blocks a per-CPU list takes from or gives back to the zone at once.
     */
    int pagesetBatch();

    /** The lowest per-CPU list high mark ({@code zone->pageset_high_min}, from {@code zone_highsize}). */
    int pagesetHighMin();

    /** The highest per-CPU list high mark ({@code zone->pageset_high_max}). */
    int pagesetHighMax();

    /** The per-CPU counter drift threshold ({@code stat_threshold}, {@code calculate_normal_threshold}). */
    int statThreshold();

    /** Free pages ({@code zone_page_state(zone, NR_FREE_PAGES)}). */
    default long freePages() {
        return state(ZoneStat.NR_FREE_PAGES);
    }
}

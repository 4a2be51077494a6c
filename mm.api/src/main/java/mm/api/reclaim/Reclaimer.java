package mm.api.reclaim;

import mm.api.machine.Zone;
import mm.api.subsystem.Subsystem;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Page reclaim: the LRU lists that order pages by recent use, kswapd that keeps each node above
 * its high watermarks, direct reclaim for allocations that find too little free memory, swap for
 * anonymous pages, and the OOM killer when nothing else helps.
 *
 * <p>Hand-over keys: {@code swap.*} (swap devices and their slots); LRU membership is in the
 * frame table ({@code PG_lru}, {@code PG_active}).
 */
@ProviderType
public interface Reclaimer extends Subsystem {

    /** The contract's name. */
    String CONTRACT = "Reclaimer";

    /** Adds a newly faulted or cached frame to its LRU list ({@code folio_add_lru}). */
    void lruAdd(long pfn);

    /** Takes a frame off its LRU list before it is freed ({@code lruvec_del_folio}). */
    void lruDel(long pfn);

    /** Notes an access through a file descriptor or a fault ({@code folio_mark_accessed}). */
    void markAccessed(long pfn);

    /**
     * Wakes the node's kswapd for a zone that failed its low watermark ({@code wakeup_kswapd}).
     *
     * @param highestZoneIdx the highest zone the failing allocation could use
     */
    void wakeupKswapd(Zone zone, int gfp, int order, int highestZoneIdx);

    /**
     * Reclaims in the caller's context ({@code try_to_free_pages}).
     *
     * @return pages reclaimed
     */
    long tryToFreePages(int gfp, int order, int nid);

    /**
     * Reclaims from one memory cgroup's subtree ({@code try_to_free_mem_cgroup_pages}).
     *
     * @return pages reclaimed
     */
    long tryToFreeMemCgroupPages(int memcgId, long nrPages, int gfp);

    /**
     * Picks and kills a victim ({@code out_of_memory}).
     *
     * @return true if a task was killed or one is already dying
     */
    boolean outOfMemory(OomControl oc);

    /** Adds swap space ({@code swapon}). */
    void swapon(String name, long bytes, int priority);

    /** Swap totals in pages. */
    SwapInfo swapInfo();
}

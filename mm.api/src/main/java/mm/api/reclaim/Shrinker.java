package mm.api.reclaim;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A cache that reclaim can shrink ({@code struct shrinker}, include/linux/shrinker.h). Register it
 * as a service; reclaim calls it in proportion to the LRU pages it scans ({@code shrink_slab}).
 */
@ConsumerType
public interface Shrinker {
    /** SHRINK_STOP: the shrinker can do no more now. */
    long SHRINK_STOP = -1;

    /** A name for /sys/kernel/debug/shrinker. */
    String name();

    /** How many objects could be freed ({@code count_objects}). */
    long countObjects(int nid, int memcgId);

    /** Frees up to {@code nrToScan} objects ({@code scan_objects}); how many were freed, or {@link #SHRINK_STOP}. */
    long scanObjects(int nid, int memcgId, long nrToScan);
}

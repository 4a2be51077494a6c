package mm.replay;

import java.util.List;

/**
 * What a replay did: the parser's counts, what happened to the allocations and frees, the kernel's
 * decisions reproduced, fragmentation over the run, the page balance, and how long it took.
 *
 * @param frameImpl the frame allocator's implementation name
 * @param cacheImpl the object cache's implementation name, or null if object events were not re-enacted
 * @param machine the fresh machine's shape ({@code MachineConfig.summary()})
 * @param parse the parser's counts
 * @param pages page allocator events
 * @param objects object cache events
 * @param kmalloc kmalloc decisions (bytes_alloc) reproduced
 * @param fallbacks fallback decisions (mm_page_alloc_extfrag) reproduced
 * @param fragOrder the order of the unusable free space index
 * @param sampleEvery events between two samples
 * @param zones the index over the run, per zone with managed pages
 * @param freeAtStart free pages of the fresh machine before the first event (per-CPU lists drained)
 * @param freeAtEnd free pages after the last event (per-CPU lists drained)
 * @param pagesHeld pages of blocks the replay allocated and did not free
 * @param slabPagesHeld pages the object caches took from the frame allocator during the replay, net
 * @param notReenacted events read but not re-enacted (zone_locked, pcpu_drain, others; extfrag lines are compared, see {@code fallbacks})
 * @param errors calls that threw (an implementation's bug or a refusal), counted
 * @param firstErrors the first few, with their line numbers
 * @param elapsedNanos time from the first line read to the last event done (machine boot excluded)
 * @param readError why the trace stopped before its end (a corrupt or truncated .xz), or null if it was read to the end
 */
public record ReplayReport(String frameImpl, String cacheImpl, String machine, ParseStats parse, PageEvents pages, ObjectEvents objects,
        Decisions kmalloc, Fallbacks fallbacks, int fragOrder, int sampleEvery, List<ZoneFragmentation> zones, long freeAtStart, long freeAtEnd,
        long pagesHeld, long slabPagesHeld, long notReenacted, long errors, List<String> firstErrors, long elapsedNanos, String readError) {

    public ReplayReport {
        zones = List.copyOf(zones);
        firstErrors = List.copyOf(firstErrors);
    }

    /**
     * Page events.
     *
     * @param allocs mm_page_alloc re-enacted
     * @param failures of them, allocations the simulator could not satisfy
     * @param kernelFailures mm_page_alloc of allocations the kernel failed (a null page, pfn 0): not re-enacted
     * @param frees frees that returned a block the replay allocated
     * @param unknownFrees frees of a pfn the replay never allocated (or already freed)
     * @param batchedConfirmations mm_page_free_batched lines that follow the mm_page_free of the same page (one free, two events)
     * @param orderMismatches frees whose order differs from the allocation's (the whole block is freed)
     * @param reallocated pfns allocated again by the kernel while the replay still held them (a free it did not see)
     */
    public record PageEvents(long allocs, long failures, long kernelFailures, long frees, long unknownFrees, long batchedConfirmations, long orderMismatches,
            long reallocated) {
    }

    /**
     * Object events.
     *
     * @param allocs kmalloc and kmem_cache_alloc re-enacted
     * @param failures of them, allocations that returned NULL (or a cache that could not be created)
     * @param frees kfree and kmem_cache_free of objects the replay allocated
     * @param unknownFrees frees of a pointer the replay never allocated
     * @param nullFrees kfree(NULL): nothing to do, as in the kernel
     * @param cachesCreated caches created on first sight of a kmem_cache_alloc
     * @param reallocated pointers handed out again while the replay still held them
     */
    public record ObjectEvents(long allocs, long failures, long frees, long unknownFrees, long nullFrees, long cachesCreated,
            long reallocated) {
    }

    /**
     * Decisions of the kernel recorded in the trace and whether the simulator made the same.
     *
     * @param total decisions compared
     * @param reproduced of them, the same
     * @param firstDifferences the first few that differ: line, request, kernel's and simulator's answer
     */
    public record Decisions(long total, long reproduced, List<String> firstDifferences) {
        public Decisions {
            firstDifferences = List.copyOf(firstDifferences);
        }
    }

    /**
     * The kernel's fallbacks to another migratetype's free block ({@code mm_page_alloc_extfrag},
     * printed by {@code __rmqueue_claim} and {@code __rmqueue_steal} in mm/page_alloc.c before the
     * {@code mm_page_alloc} of the same allocation on the same CPU) and whether the simulator fell
     * back for the same allocations.
     *
     * @param inTrace true if the trace has mm_page_alloc_extfrag lines; without any, the kernel's fallbacks are
     *     unknown (the event was not enabled) and the other figures compare nothing
     * @param decisions allocations the kernel fell back for; reproduced when the simulator's re-enactment fell back too,
     *     with the same alloc_migratetype and fallback_migratetype; the first differences name the trace's line
     * @param ownershipReproduced of those reproduced, the ones whose change_ownership (the pageblock claimed for the
     *     requested type) matched too
     * @param simulatorOnly re-enacted allocations for which the simulator fell back and the kernel did not
     * @param unpaired extfrag lines not followed, on their CPU, by an mm_page_alloc of their alloc_order and
     *     alloc_migratetype (an allocation the kernel did not print, or the end of the trace)
     */
    public record Fallbacks(boolean inTrace, Decisions decisions, long ownershipReproduced, long simulatorOnly, long unpaired) {
    }

    /**
     * The unusable free space index of one zone over the run, in thousandths.
     *
     * @param zone {@code Node 0, zone Normal}
     * @param managed the zone's managed pages
     * @param preferred true for the first zone of node 0's zonelist (where GFP_KERNEL and movable traffic goes first)
     * @param start at the start
     * @param worst the highest sampled
     * @param worstAtEvent after how many events it was sampled
     * @param end after the last event
     */
    public record ZoneFragmentation(String zone, long managed, boolean preferred, int start, int worst, long worstAtEvent, int end) {
    }

    /** Events re-enacted or read per second of {@link #elapsedNanos}. */
    public double eventsPerSecond() {
        return elapsedNanos == 0 ? 0 : parse.events() * 1e9 / elapsedNanos;
    }

    /** The first zone of node 0's zonelist, where the traffic goes first (the comparison table shows it). */
    public ZoneFragmentation mainZone() {
        for (ZoneFragmentation z : zones) {
            if (z.preferred()) {
                return z;
            }
        }
        return zones.isEmpty() ? null : zones.get(zones.size() - 1);
    }

    /** True if every page is accounted for: free at the end + held by the replay = free at the start. */
    public boolean balanced() {
        return freeAtEnd + pagesHeld + slabPagesHeld == freeAtStart;
    }
}

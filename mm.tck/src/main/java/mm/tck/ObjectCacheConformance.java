package mm.tck;

import java.time.Duration;
import java.util.List;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;

/**
 * The conformance suite of the {@link ObjectCache} contract: what any slab allocator must do,
 * proved through the contract alone (its calls, the frame table's PG_slab and the zones' and nodes'
 * counters), never through a particular algorithm.
 *
 * <p>Each check boots its own fresh small machine (x86_64, 256 MiB, 2 CPUs) through the
 * {@link MachineFactory}, makes a new frame allocator through the {@link FrameAllocatorFactory}
 * given (the reference one, the buddy allocator's) and has it adopt the machine, then makes a new
 * object cache on it through the implementation's {@link ObjectCacheFactory} and has it adopt the
 * machine at boot, which creates the kmalloc caches. Randomness is seeded; nothing depends on
 * timing. Every object a check is handed is verified as it returns (a kernel address of the
 * machine's RAM, aligned, inside a slab block with PG_slab, overlapping no live object, in the
 * cache the contract names; a large kmalloc a block of exactly its order taken from the page
 * allocator), and most checks end by freeing everything and shrinking every cache, after which
 * every zone's free pages must be those right after boot.
 *
 * <p>The hand-over across implementations needs a reference implementation (SLUB's factory);
 * without one that check is skipped.
 *
 * <p>This class is the suite's table of contents. The checks live by topic in
 * {@link SlabBootChecks}, {@link KmallocChecks}, {@link SlabCacheChecks}, {@link SlabObjectChecks},
 * {@link SlabDebugChecks}, {@link SlabHandoverChecks} and {@link SlabConcurrencyChecks}; they drive
 * the implementation through a {@link SlabRig}.
 */
public final class ObjectCacheConformance implements ConformanceSuite {

    private final SlabSubject subject;

    /**
     * The suite for the object cache {@code factory} makes, on frame allocators {@code frames} makes
     * (the buddy allocator's factory), without a reference implementation.
     */
    public ObjectCacheConformance(MachineFactory machines, ObjectCacheFactory factory, FrameAllocatorFactory frames) {
        this(machines, factory, frames, null);
    }

    /**
     * The suite for the object cache {@code factory} makes, on frame allocators {@code frames}
     * makes, comparing hand-overs with a reference implementation (SLUB's factory); {@code reference}
     * may be null.
     */
    public ObjectCacheConformance(MachineFactory machines, ObjectCacheFactory factory, FrameAllocatorFactory frames,
            ObjectCacheFactory reference) {
        this(machines, factory, frames, reference, DEFAULT_TIME_LIMIT);
    }

    private ObjectCacheConformance(MachineFactory machines, ObjectCacheFactory factory, FrameAllocatorFactory frames,
            ObjectCacheFactory reference, Duration timeLimit) {
        this.subject = new SlabSubject(machines, factory, frames, reference, timeLimit);
    }

    /** The same suite with another time limit per check. */
    public ObjectCacheConformance withTimeLimit(Duration limit) {
        return new ObjectCacheConformance(subject.machines(), subject.factory(), subject.frames(), subject.reference(), limit);
    }

    @Override
    public String contract() {
        return ObjectCache.CONTRACT;
    }

    @Override
    public String implementation() {
        return ConformanceSuite.nameOf(() -> subject.factory().implName());
    }

    @Override
    public Duration timeLimit() {
        return subject.timeLimit();
    }

    /** The checks, each independent of the others, in the order they are best read. */
    @Override
    public List<ConformanceCheck> checks() {
        SlabBootChecks boot = new SlabBootChecks(subject);
        KmallocChecks kmalloc = new KmallocChecks(subject);
        SlabCacheChecks caches = new SlabCacheChecks(subject);
        SlabObjectChecks objects = new SlabObjectChecks(subject);
        SlabDebugChecks debug = new SlabDebugChecks(subject);
        SlabHandoverChecks handover = new SlabHandoverChecks(subject);
        SlabConcurrencyChecks concurrency = new SlabConcurrencyChecks(subject);
        return List.of(
                check("boot-creates-kmalloc-caches",
                        "after adopt(BOOT) every kmalloc cache of the four types exists (kmalloc-8 .. kmalloc-8k, kmalloc-rcl-, "
                                + "dma-kmalloc-, kmalloc-cg-) with its size and flags, implName() is the factory's, check() is clean",
                        boot::bootCreatesKmallocCaches),
                check("kmalloc-size-classes",
                        "kmalloc of every size 1..8192, all live at once: ksize and cacheOf() are the kernel's class "
                                + "(kmalloc_index), objects aligned (power-of-two sizes to their size), in PG_slab frames, disjoint",
                        kmalloc::kmallocSizeClasses),
                check("kmalloc-gfp-types",
                        "__GFP_RECLAIMABLE -> kmalloc-rcl-*, __GFP_ACCOUNT -> kmalloc-cg-*, __GFP_DMA -> dma-kmalloc-* (slabs "
                                + "in ZONE_DMA), DMA winning over reclaimable over accounted, for every size class",
                        kmalloc::kmallocGfpTypes),
                check("kmalloc-zero-size",
                        "kmalloc(0) returns ZERO_SIZE_PTR; kfree(NULL) and kfree(ZERO_SIZE_PTR) do nothing; "
                                + "ksize(ZERO_SIZE_PTR) is 0",
                        kmalloc::kmallocZeroSize),
                check("kmalloc-large-from-page-allocator",
                        "kmalloc of 8193 bytes to 4 MiB takes 2^get_order(size) pages from the page allocator (not a slab), "
                                + "ksize is the block's size, and kfree gives exactly those pages back",
                        kmalloc::kmallocLargeFromPageAllocator),
                check("kmalloc-too-large-rejected",
                        "kmalloc above KMALLOC_MAX_SIZE (4 MiB) or of a negative size: IllegalArgumentException, nothing changes",
                        kmalloc::kmallocTooLargeRejected),
                check("krealloc-keeps-moves-frees",
                        "krealloc within ksize keeps the address, beyond it moves and frees the old object (slab and large), "
                                + "from NULL or ZERO_SIZE_PTR acts as kmalloc, to 0 frees and returns ZERO_SIZE_PTR",
                        kmalloc::kreallocKeepsMovesFrees),
                check("cache-create-bad-arguments-rejected",
                        "kmemCacheCreate with a duplicate or empty name, size < 1, an alignment that is not a power of two or "
                                + "an unknown flag: IllegalArgumentException, caches() unchanged; caches() lists creation order",
                        caches::cacheCreateBadArgumentsRejected),
                check("ctor-runs-on-each-object-of-new-slab",
                        "the constructor runs once on each object of every new slab (objectsPerSlab per slab), never again "
                                + "when an object is freed and allocated",
                        caches::ctorRunsOnEachObjectOfNewSlab),
                check("destroy-with-live-objects-refused",
                        "kmemCacheDestroy with an object allocated: IllegalStateException \"Objects remaining in NAME on "
                                + "__kmem_cache_shutdown()\", the cache kept and usable; once empty it is destroyed and its name free",
                        caches::destroyWithLiveObjectsRefused),
                check("slabinfo-consistent",
                        "slabinfo: active_objs is the objects allocated, num_objs = num_slabs x objperslab, objsize = size(), "
                                + "pagesperslab = 2^order, exact active_objs after kmemCacheShrink; empty after free and shrink",
                        caches::slabinfoConsistent),
                check("slab-pages-counted-in-node-stats",
                        "NR_SLAB_RECLAIMABLE / NR_SLAB_UNRECLAIMABLE equal the pages of the slabs of SLAB_RECLAIM_ACCOUNT / "
                                + "other caches (large kmallocs unreclaimable) and the frame table's PG_slab frames, through "
                                + "allocations, frees and shrinks",
                        caches::slabPagesCountedInNodeStats),
                check("objects-aligned-disjoint-in-slab-frames",
                        "a seeded mix over caches of every size and alignment (align, SLAB_HWCACHE_ALIGN, SLAB_CACHE_DMA) and "
                                + "kmalloc: objects aligned, inside PG_slab frames, never overlapping a live object",
                        objects::objectsAlignedDisjointInSlabFrames),
                check("bad-frees-rejected",
                        "kfree / kmemCacheFree of a double free, a free slot, the inside of an object, a free or reserved "
                                + "frame, a large kmalloc's second page, a large kmalloc already freed, a non-RAM address, the "
                                + "wrong cache: refused, nothing changes",
                        objects::badFreesRejected),
                check("everything-freed-returns-every-frame",
                        "after a seeded mix on two CPUs, freeing everything, destroying the caches and kmemCacheShrink of "
                                + "every cache (which returns the pages it gave back), every zone's free pages are back to those "
                                + "right after adopt(BOOT), check() clean",
                        objects::everythingFreedReturnsEveryFrame),
                check("debug-double-free-reported",
                        "with SLAB_DEBUG_FLAGS a double free throws SlabCorruptionException \"BUG NAME (Not tainted): ...\", "
                                + "the object is not handed out twice and validate() stays clean",
                        debug::debugDoubleFreeReported),
                check("debug-redzone-overwrite-reported",
                        "slub_kunit test_clobber_zone and test_clobber_redzone_free: a byte written past a live or a freed "
                                + "object is found by validate() (\"Redzone\"), and by the free with SLAB_CONSISTENCY_CHECKS",
                        debug::debugRedzoneOverwriteReported),
                check("debug-poison-overwrite-reported",
                        "slub_kunit test_first_word and test_clobber_50th_byte: a byte written into a freed object of a "
                                + "SLAB_POISON cache is found by validate() (\"Poison\")",
                        debug::debugPoisonOverwriteReported),
                check("debug-poison-and-redzone-patterns",
                        "peek shows POISON_FREE 0x6b .. POISON_END 0xa5 in allocated and freed objects of a SLAB_POISON cache, "
                                + "red zones 0xcc (live) / 0xbb (free), zeroes with __GFP_ZERO",
                        debug::debugPoisonAndRedzonePatterns),
                check("handover-same-implementation",
                        "quiesce(); a second instance adopts the Handover: every cache, object (cacheOf, ksize), constructor "
                                + "and debugging content kept; new objects avoid old ones; late calls to the first are forwarded",
                        handover::handoverSameImplementation),
                check("handover-and-back",
                        "an instance adopts its own Handover again (rollback), then hands over to a second instance and takes "
                                + "the machine back from it, every object kept and freed through it",
                        handover::handoverAndBack),
                check("handover-across-implementations",
                        "the same hand-over from the reference implementation to this one and from this one to the reference "
                                + "(skipped without a reference)",
                        handover::handoverAcrossImplementations),
                check("handover-forwards-cache-calls",
                        "after quiesce() and forwardTo(successor), kmemCacheCreate, kmemCacheShrink and kmemCacheDestroy "
                                + "called on the old instance act on the successor: the cache appears there, its empty slabs "
                                + "go back from there, it is destroyed there; check() clean on both",
                        handover::handoverForwardsCacheCalls),
                check("concurrent-cpus-no-object-twice",
                        "two threads on CPUs 0 and 1 kmalloc / kmem_cache_alloc and free 100000 times at once, each freeing "
                                + "objects of the other: no object handed out twice, counts balance, check() clean",
                        concurrency::concurrentCpusNoObjectTwice),
                check("check-detects-corruption",
                        "check() is clean on a consistent state and reports a problem when a slab's frames lose PG_slab "
                                + "behind the allocator's back; check() changes nothing",
                        boot::checkDetectsCorruption));
    }

    private static ConformanceCheck check(String name, String description, ConformanceCheck.Body body) {
        return new ConformanceCheck(name, description, body);
    }
}

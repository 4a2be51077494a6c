package mm.tck;

import java.time.Duration;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;

/**
 * The conformance suite of the {@link FrameAllocator} contract: what any page allocator must do,
 * proved through the contract alone (its calls, the frame table's conventions and the zones'
 * counters), never through a particular algorithm: a buddy allocator with per-CPU lists and a
 * bitmap first-fit allocator without them pass it alike.
 *
 * <p>Each check boots its own fresh machine(s) through the {@link MachineFactory} (mostly a small
 * one: x86_64, 256 MiB, 2 CPUs; where it matters the default 4 GiB, arm64, a ZONE_MOVABLE and
 * two nodes), makes a new instance through the implementation's {@link FrameAllocatorFactory},
 * has it {@link FrameAllocator#adopt adopt} the machine at boot, and exercises it. Randomness is
 * seeded; nothing depends on timing. Every allocation a check makes is verified as it returns (a
 * valid frame, aligned to its order, in one zone the GFP flags allow, recorded in the frame table
 * with one reference and its order, overlapping no block still handed out, taken exactly from its
 * zone's free pages), and every free is verified to give exactly its pages back.
 *
 * <p>The hand-over across implementations needs a reference implementation (the buddy
 * allocator's factory); without one that check is skipped.
 *
 * <p>This class is the suite's table of contents: each check's name, description and place in the
 * order. The checks themselves live by topic in {@link AdoptionChecks}, {@link AllocationChecks},
 * {@link FreeChecks}, {@link ExhaustionChecks}, {@link HandoverChecks}, {@link ConcurrencyChecks}
 * and {@link CorruptionChecks}; they drive the implementation through an {@link AllocatorRig}
 * with the {@link Workload}s, on the {@link Machines} shapes.
 */
public final class FrameAllocatorConformance implements ConformanceSuite {

    private final Subject subject;

    /** The suite for the implementation {@code factory} makes, without a reference implementation. */
    public FrameAllocatorConformance(MachineFactory machines, FrameAllocatorFactory factory) {
        this(machines, factory, null);
    }

    /**
     * The suite for the implementation {@code factory} makes, comparing hand-overs with a
     * reference implementation (the buddy allocator's factory); {@code reference} may be null.
     */
    public FrameAllocatorConformance(MachineFactory machines, FrameAllocatorFactory factory, FrameAllocatorFactory reference) {
        this(machines, factory, reference, DEFAULT_TIME_LIMIT);
    }

    private FrameAllocatorConformance(MachineFactory machines, FrameAllocatorFactory factory, FrameAllocatorFactory reference,
            Duration timeLimit) {
        this.subject = new Subject(machines, factory, reference, timeLimit);
    }

    /** The same suite with another time limit per check. */
    public FrameAllocatorConformance withTimeLimit(Duration limit) {
        return new FrameAllocatorConformance(subject.machines(), subject.factory(), subject.reference(), limit);
    }

    /** The contract graded. */
    @Override
    public String contract() {
        return FrameAllocator.CONTRACT;
    }

    /** The name of the implementation graded, as its factory gives it. */
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
        AdoptionChecks adoption = new AdoptionChecks(subject);
        AllocationChecks allocation = new AllocationChecks(subject);
        FreeChecks frees = new FreeChecks(subject);
        ExhaustionChecks exhaustion = new ExhaustionChecks(subject);
        HandoverChecks handover = new HandoverChecks(subject);
        ConcurrencyChecks concurrency = new ConcurrencyChecks(subject);
        CorruptionChecks corruption = new CorruptionChecks(subject);
        CompactionChecks compaction = new CompactionChecks(subject);
        return List.of(
                new ConformanceCheck("adoption-accounts-all-free-memory",
                        "after adopt(BOOT), each zone's NR_FREE_PAGES plus per-CPU pages equals its free frames in the frame table, "
                                + "and check() finds nothing (x86_64 256 MiB and 4 GiB, with ZONE_MOVABLE, arm64 with 2 nodes)",
                        adoption::adoptionAccountsAllFreeMemory),
                new ConformanceCheck("impl-name-matches-factory",
                        "implName() is a non-empty word, the same for the allocator and its factory (the mm.impl property)",
                        adoption::implNameMatchesFactory),
                new ConformanceCheck("blocks-aligned-recorded-disjoint",
                        "blocks of every order 0..10 are aligned, inside one zone, recorded in the frame table (head count 1, "
                                + "order) and never overlap a block still handed out, through a seeded mix of allocations and frees",
                        allocation::blocksAlignedRecordedDisjoint),
                new ConformanceCheck("gfp-zone-modifiers-respected",
                        "GFP_DMA gets only DMA, GFP_DMA32 at most DMA32, GFP_KERNEL/GFP_HIGHUSER at most Normal (never Movable), "
                                + "GFP_HIGHUSER_MOVABLE any zone, for every order (x86_64 with ZONE_MOVABLE, and arm64)",
                        allocation::gfpZoneModifiersRespected),
                new ConformanceCheck("zonelist-order-respected",
                        "a fresh machine serves each request from the first zone of the zonelist it allows; a lower zone is used "
                                + "only once the ones before it are down to their low watermark plus lowmem reserve",
                        allocation::zonelistOrderRespected),
                new ConformanceCheck("frees-return-every-page",
                        "each free gives exactly its pages back to its zone; after a seeded mix freed on two CPUs and "
                                + "drainAllPages(), every zone's NR_FREE_PAGES is back to its figure after adoption, check() clean",
                        frees::freesReturnEveryPage),
                new ConformanceCheck("nr-free-adds-up-to-free-pages",
                        "after drainAllPages(), sum of nrFree(zone, order) x 2^order equals NR_FREE_PAGES, and the "
                                + "per-migratetype counts add up to nrFree(zone, order), after adoption and after allocations",
                        frees::nrFreeAddsUp),
                new ConformanceCheck("bad-arguments-rejected",
                        "order -1 or 11, undefined GFP bits, two zone modifiers, movable with reclaimable, an unknown node: "
                                + "IllegalArgumentException, and nothing changes",
                        frees::badArgumentsRejected),
                new ConformanceCheck("bad-frees-rejected",
                        "freeing a frame never allocated, twice, with the wrong order, a tail frame, a reserved frame, a "
                                + "misaligned pfn, a pfn out of range or an order out of range: IllegalArgumentException, nothing changes",
                        frees::badFreesRejected),
                new ConformanceCheck("watermarks-stop-allocations",
                        "GFP_KERNEL order-0 allocations succeed until no zone stays above min watermark + lowmem reserve, then "
                                + "return NO_PAGE; GFP_ATOMIC goes further (3/8 of min); after freeing, allocations succeed again",
                        exhaustion::watermarksStopAllocations),
                new ConformanceCheck("memalloc-exhaustion-and-recovery",
                        "order-0 __GFP_MEMALLOC allocations (no watermarks) until NO_PAGE hand out every free frame exactly "
                                + "once; freed, all of them come back, twice over",
                        exhaustion::memallocExhaustionAndRecovery),
                new ConformanceCheck("high-order-finds-every-free-block",
                        "allocating each order from 10 down to 0 without watermarks until NO_PAGE leaves no free aligned run "
                                + "of that order behind: a request fails only if no free block of its order exists",
                        exhaustion::highOrderFindsEveryFreeBlock),
                new ConformanceCheck("gfp-zero-clears-content",
                        "__GFP_ZERO clears the content token of every frame of the block, on frames that held tokens before, "
                                + "for every order",
                        allocation::gfpZeroClearsContent),
                new ConformanceCheck("thisnode-respected",
                        "allocPagesNode and allocPages prefer the node asked for (or the CPU's); __GFP_THISNODE never leaves it "
                                + "and returns NO_PAGE once it is exhausted, when a request without it falls back to the other node",
                        allocation::thisNodeRespected),
                new ConformanceCheck("refcount-needs-every-reference",
                        "a block whose head reference count was raised to 2 survives the first free and goes back at the "
                                + "second; a third free is refused",
                        frees::refcountNeedsEveryReference),
                new ConformanceCheck("compaction-keeps-every-page",
                        "a machine filled with movable blocks (some of order 2, then order 0), every other order-0 page freed, "
                                + "compacted zone by zone (compactZone(zone, -1)): blocks move with owner, count, order and every frame's "
                                + "content token, the owner is told; free pages stay as many; check() clean; freed, the zones are back "
                                + "(skipped if the first compactZone says the implementation does not compact)",
                        compaction::compactionKeepsEveryPage),
                new ConformanceCheck("handover-same-implementation",
                        "quiesce() drains into the frame table; a second instance adopts its Handover, the first forwards to "
                                + "it, and every block handed out before is kept and freed through either",
                        handover::handoverSameImplementation),
                new ConformanceCheck("handover-rollback",
                        "an instance that quiesced can adopt its own Handover again and go on with every block kept",
                        handover::handoverRollback),
                new ConformanceCheck("handover-across-implementations",
                        "the same hand-over from the reference implementation to this one and back (skipped without a "
                                + "reference)",
                        handover::handoverAcrossImplementations),
                new ConformanceCheck("concurrent-cpus-no-frame-twice",
                        "two threads on CPUs 0 and 1 allocate and free a seeded mix (and each other's blocks) at once: no frame "
                                + "is handed out twice, none is lost",
                        concurrency::concurrentCpusNoFrameTwice),
                new ConformanceCheck("check-detects-corruption",
                        "check() is clean on a consistent state and reports a problem when the frame table or NR_FREE_PAGES is "
                                + "changed behind the allocator's back; check() changes nothing",
                        corruption::checkDetectsCorruption));
    }
}

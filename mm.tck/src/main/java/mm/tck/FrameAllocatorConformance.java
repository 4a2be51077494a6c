package mm.tck;

import static mm.tck.Expect.hex;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MachineFactory;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.subsystem.Handover;

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
 */
public final class FrameAllocatorConformance {

    /** The time a check may run before it fails as hung. */
    public static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(20);

    /** The small machine most checks use: x86_64, 256 MiB, 2 CPUs, one node (zones DMA and DMA32). */
    static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);
    /** x86_64, 4 GiB, 2 CPUs, 256 MiB of ZONE_MOVABLE: all four zone kinds. */
    static final MachineConfig MOVABLE = new MachineConfig(Arch.X86_64, 4L << 30, 2, 1, 256L << 20);
    /** arm64, 1 GiB, 2 CPUs: one DMA zone, an empty DMA32, frames not starting at 0. */
    static final MachineConfig ARM64 = new MachineConfig(Arch.ARM64, 1L << 30, 2, 1, 0);
    /** arm64, 1 GiB, 2 CPUs, 2 nodes. */
    static final MachineConfig ARM64_TWO_NODES = new MachineConfig(Arch.ARM64, 1L << 30, 2, 2, 0);
    /** x86_64, 512 MiB, 2 CPUs, 2 nodes: CPU 0 on node 0 (DMA, DMA32), CPU 1 on node 1 (DMA32). */
    static final MachineConfig TWO_NODES = new MachineConfig(Arch.X86_64, 512L << 20, 2, 2, 0);

    private static final long SEED = 0x6d6d2d74636bL;
    private static final int NO_WATERMARKS = Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC;
    private static final int[] MIX_GFP = {
        Gfp.GFP_KERNEL, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL, Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT, Gfp.GFP_DMA32,
        Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE, Gfp.GFP_DMA,
        Gfp.GFP_KERNEL | Gfp.__GFP_COMP, Gfp.GFP_USER | Gfp.__GFP_ZERO,
    };

    private final MachineFactory machines;
    private final FrameAllocatorFactory factory;
    private final FrameAllocatorFactory reference;
    private final Duration timeLimit;

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
        this.machines = Objects.requireNonNull(machines, "a MachineFactory boots the machines the checks run on");
        this.factory = Objects.requireNonNull(factory, "the factory of the implementation to grade");
        this.reference = reference;
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit " + timeLimit + " is not positive");
        }
        this.timeLimit = timeLimit;
    }

    /** The same suite with another time limit per check. */
    public FrameAllocatorConformance withTimeLimit(Duration limit) {
        return new FrameAllocatorConformance(machines, factory, reference, limit);
    }

    /** The contract graded. */
    public String contract() {
        return FrameAllocator.CONTRACT;
    }

    /** The name of the implementation graded, as its factory gives it. */
    public String implementation() {
        try {
            String n = factory.implName();
            return n == null || n.isBlank() ? "(unnamed)" : n;
        } catch (RuntimeException e) {
            return "(implName() threw " + e.getClass().getSimpleName() + ")";
        }
    }

    /** Runs one check with the suite's time limit. */
    public CheckResult runCheck(ConformanceCheck check) {
        return check.run(timeLimit);
    }

    /** Runs every check, in order. */
    public ConformanceReport run() {
        return run(r -> { });
    }

    /** Runs every check, in order, telling {@code progress} each result as it comes (the shell prints them). */
    public ConformanceReport run(Consumer<CheckResult> progress) {
        List<CheckResult> results = new ArrayList<>();
        for (ConformanceCheck c : checks()) {
            CheckResult r = runCheck(c);
            results.add(r);
            progress.accept(r);
        }
        return new ConformanceReport(contract(), implementation(), results);
    }

    /** The checks, each independent of the others, in the order they are best read. */
    public List<ConformanceCheck> checks() {
        return List.of(
                check("adoption-accounts-all-free-memory",
                        "after adopt(BOOT), each zone's NR_FREE_PAGES plus per-CPU pages equals its free frames in the frame table, "
                                + "and check() finds nothing (x86_64 256 MiB and 4 GiB, with ZONE_MOVABLE, arm64 with 2 nodes)",
                        this::adoptionAccountsAllFreeMemory),
                check("impl-name-matches-factory",
                        "implName() is a non-empty word, the same for the allocator and its factory (the mm.impl property)",
                        this::implNameMatchesFactory),
                check("blocks-aligned-recorded-disjoint",
                        "blocks of every order 0..10 are aligned, inside one zone, recorded in the frame table (head count 1, "
                                + "order) and never overlap a block still handed out, through a seeded mix of allocations and frees",
                        this::blocksAlignedRecordedDisjoint),
                check("gfp-zone-modifiers-respected",
                        "GFP_DMA gets only DMA, GFP_DMA32 at most DMA32, GFP_KERNEL/GFP_HIGHUSER at most Normal (never Movable), "
                                + "GFP_HIGHUSER_MOVABLE any zone, for every order (x86_64 with ZONE_MOVABLE, and arm64)",
                        this::gfpZoneModifiersRespected),
                check("zonelist-order-respected",
                        "a fresh machine serves each request from the first zone of the zonelist it allows; a lower zone is used "
                                + "only once the ones before it are down to their low watermark plus lowmem reserve",
                        this::zonelistOrderRespected),
                check("frees-return-every-page",
                        "each free gives exactly its pages back to its zone; after a seeded mix freed on two CPUs and "
                                + "drainAllPages(), every zone's NR_FREE_PAGES is back to its figure after adoption, check() clean",
                        this::freesReturnEveryPage),
                check("nr-free-adds-up-to-free-pages",
                        "after drainAllPages(), sum of nrFree(zone, order) x 2^order equals NR_FREE_PAGES, and the "
                                + "per-migratetype counts add up to nrFree(zone, order), after adoption and after allocations",
                        this::nrFreeAddsUp),
                check("bad-arguments-rejected",
                        "order -1 or 11, undefined GFP bits, two zone modifiers, movable with reclaimable, an unknown node: "
                                + "IllegalArgumentException, and nothing changes",
                        this::badArgumentsRejected),
                check("bad-frees-rejected",
                        "freeing a frame never allocated, twice, with the wrong order, a tail frame, a reserved frame, a "
                                + "misaligned pfn, a pfn out of range or an order out of range: IllegalArgumentException, nothing changes",
                        this::badFreesRejected),
                check("watermarks-stop-allocations",
                        "GFP_KERNEL order-0 allocations succeed until no zone stays above min watermark + lowmem reserve, then "
                                + "return NO_PAGE; GFP_ATOMIC goes further (3/8 of min); after freeing, allocations succeed again",
                        this::watermarksStopAllocations),
                check("memalloc-exhaustion-and-recovery",
                        "order-0 __GFP_MEMALLOC allocations (no watermarks) until NO_PAGE hand out every free frame exactly "
                                + "once; freed, all of them come back, twice over",
                        this::memallocExhaustionAndRecovery),
                check("high-order-finds-every-free-block",
                        "allocating each order from 10 down to 0 without watermarks until NO_PAGE leaves no free aligned run "
                                + "of that order behind: a request fails only if no free block of its order exists",
                        this::highOrderFindsEveryFreeBlock),
                check("gfp-zero-clears-content",
                        "__GFP_ZERO clears the content token of every frame of the block, on frames that held tokens before, "
                                + "for every order",
                        this::gfpZeroClearsContent),
                check("thisnode-respected",
                        "allocPagesNode and allocPages prefer the node asked for (or the CPU's); __GFP_THISNODE never leaves it "
                                + "and returns NO_PAGE once it is exhausted, when a request without it falls back to the other node",
                        this::thisNodeRespected),
                check("refcount-needs-every-reference",
                        "a block whose head reference count was raised to 2 survives the first free and goes back at the "
                                + "second; a third free is refused",
                        this::refcountNeedsEveryReference),
                check("handover-same-implementation",
                        "quiesce() drains into the frame table; a second instance adopts its Handover, the first forwards to "
                                + "it, and every block handed out before is kept and freed through either",
                        this::handoverSameImplementation),
                check("handover-rollback",
                        "an instance that quiesced can adopt its own Handover again and go on with every block kept",
                        this::handoverRollback),
                check("handover-across-implementations",
                        "the same hand-over from the reference implementation to this one and back (skipped without a "
                                + "reference)",
                        this::handoverAcrossImplementations),
                check("concurrent-cpus-no-frame-twice",
                        "two threads on CPUs 0 and 1 allocate and free a seeded mix (and each other's blocks) at once: no frame "
                                + "is handed out twice, none is lost",
                        this::concurrentCpusNoFrameTwice),
                check("check-detects-corruption",
                        "check() is clean on a consistent state and reports a problem when the frame table or NR_FREE_PAGES is "
                                + "changed behind the allocator's back; check() changes nothing",
                        this::checkDetectsCorruption));
    }

    private static ConformanceCheck check(String name, String description, ConformanceCheck.Body body) {
        return new ConformanceCheck(name, description, body);
    }

    // ---- adoption and names --------------------------------------------------------------------

    private void adoptionAccountsAllFreeMemory() {
        for (MachineConfig c : List.of(SMALL, MachineConfig.DEFAULT, MOVABLE, ARM64_TWO_NODES)) {
            Machine m = AllocatorRig.boot(machines, c);
            long[] before = FrameCensus.freeFrames(m);
            FrameAllocator a = AllocatorRig.create(factory, m);
            a.adopt(Handover.BOOT);
            String on = "on " + c.summary();
            long[] after = FrameCensus.freeFrames(m);
            for (Zone z : FrameCensus.zones(m)) {
                Expect.that(after[z.id()] == before[z.id()], "adopt(BOOT) %s changed the frame table: %s had %d free frames before "
                        + "and %d after", on, FrameCensus.name(z), before[z.id()], after[z.id()]);
            }
            AllocatorRig.of(m, a).expectAccounted(a, "after adopt(BOOT) " + on);
            Expect.noProblems(a.check(), "after adopt(BOOT) " + on);
        }
    }

    private void implNameMatchesFactory() {
        String expected = factory.implName();
        Expect.that(expected != null && !expected.isBlank(), "the factory's implName() is empty");
        Machine m = AllocatorRig.boot(machines, SMALL);
        FrameAllocator a = AllocatorRig.create(factory, m);
        a.adopt(Handover.BOOT);
        String name = a.implName();
        Expect.that(name != null && !name.isBlank(), "implName() of the allocator is empty");
        Expect.that(name.equals(expected), "implName() of the allocator is '%s' but its factory's is '%s': both are its mm.impl "
                + "property", name, expected);
        Expect.that(!name.matches(".*\\s.*"), "implName() '%s' contains blanks: the shell names implementations by it", name);
    }

    // ---- allocation --------------------------------------------------------------------------

    private void blocksAlignedRecordedDisjoint() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        Random rnd = new Random(SEED + 3);
        for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
            for (int i = 0; i < 3; i++) {
                long pfn = rig.alloc(Gfp.GFP_KERNEL, order);
                Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, %d) returned NO_PAGE on a fresh %s", order,
                        SMALL.summary());
            }
        }
        rig.expectAccounted(rig.allocator, "after blocks of every order");
        mix(rig, rnd, 3000, 60, 16_384);
        rig.expectLiveIntact("after a mix of allocations and frees");
        rig.expectAccounted(rig.allocator, "after a mix of allocations and frees");
        rig.freeAll(rig.allocator, rnd);
        rig.expectBackToAdoption(rig.allocator, "freeing every block");
    }

    private void gfpZoneModifiersRespected() {
        int[] gfps = {Gfp.GFP_DMA, Gfp.GFP_DMA32, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL | Gfp.__GFP_MOVABLE, Gfp.GFP_HIGHUSER,
            Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT | Gfp.__GFP_DMA32};
        for (MachineConfig c : List.of(MOVABLE, ARM64)) {
            AllocatorRig rig = AllocatorRig.adopt(machines, c, factory);
            for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
                for (int gfp : gfps) {
                    long pfn = rig.alloc(gfp, order);
                    Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(%s, %d) returned NO_PAGE on a fresh %s", Gfp.format(gfp),
                            order, c.summary());
                }
            }
            rig.freeAll(rig.allocator, new Random(SEED + 4));
            rig.expectBackToAdoption(rig.allocator, "freeing every block on " + c.summary());
        }
    }

    private void zonelistOrderRespected() {
        AllocatorRig rig = AllocatorRig.adopt(machines, MOVABLE, factory);
        Machine m = rig.machine;
        List<Zone> zonelist = m.zonelist(m.cpuToNode(m.currentCpu()));
        for (int gfp : new int[] {Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL, Gfp.GFP_DMA32, Gfp.GFP_DMA}) {
            Zone first = zonelist.stream().filter(z -> z.managed() && z.type().ordinal() <= Gfp.gfpZone(gfp).ordinal())
                    .findFirst().orElseThrow();
            for (int order : new int[] {0, FrameAllocator.MAX_PAGE_ORDER}) {
                long pfn = rig.alloc(gfp, order);
                Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(%s, %d) returned NO_PAGE on a fresh %s", Gfp.format(gfp), order,
                        MOVABLE.summary());
                Zone got = FrameCensus.zoneOf(m, pfn);
                Expect.that(got == first, "on a fresh machine allocPages(%s, %d) returned %s in %s: the first zone of the zonelist "
                        + "these flags allow is %s, with %d free pages", Gfp.format(gfp), order, hex(pfn), FrameCensus.name(got),
                        FrameCensus.name(first), first.freePages());
            }
        }
        rig.freeAll(rig.allocator, new Random(SEED + 5));
        rig.expectBackToAdoption(rig.allocator, "freeing every block");

        // a lower zone only once the higher ones fail the fast path's low watermark
        AllocatorRig small = AllocatorRig.adopt(machines, SMALL, factory);
        int hz = Gfp.gfpZone(Gfp.GFP_KERNEL).ordinal();
        List<Zone> allowed = allowedZones(small.machine, 0, Gfp.GFP_KERNEL);
        long bound = total(FrameCensus.freeFrames(small.machine)) + 1;
        for (long n = 0;; n++) {
            Expect.that(n <= bound, "allocPages(GFP_KERNEL, 0) handed out more pages than were free");
            long[] free = new long[allowed.size()];
            long[] low = new long[allowed.size()];
            for (int i = 0; i < allowed.size(); i++) {
                free[i] = allowed.get(i).freePages();
                low[i] = allowed.get(i).watermark(Watermark.LOW) + allowed.get(i).lowmemReserve(hz);
            }
            long pfn = small.alloc(Gfp.GFP_KERNEL, 0);
            if (pfn == FrameAllocator.NO_PAGE) {
                break;
            }
            int at = allowed.indexOf(FrameCensus.zoneOf(small.machine, pfn));
            for (int i = 0; i < at; i++) {
                Expect.that(free[i] <= low[i], "allocPages(GFP_KERNEL, 0) returned %s in %s while %s, before it in the zonelist, "
                        + "had %d free pages, above its low watermark + lowmem reserve (%d)", hex(pfn),
                        FrameCensus.name(allowed.get(at)), FrameCensus.name(allowed.get(i)), free[i], low[i]);
            }
        }
        small.freeAll(small.allocator, new Random(SEED + 6));
        small.expectBackToAdoption(small.allocator, "freeing every block");
    }

    private void freesReturnEveryPage() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        Random rnd = new Random(SEED + 7);
        Machine m = rig.machine;
        for (int round = 0; round < 4; round++) {
            int cpu = round % 2;
            m.runOn(cpu, () -> {
                mix(rig, rnd, 800, 70, 16_384);
                return null;
            });
        }
        // free half of what is left on the other CPU than most of it came from, the rest on CPU 0
        List<Long> pfns = new ArrayList<>(rig.live.keySet());
        Collections.shuffle(pfns, rnd);
        m.runOn(1, () -> {
            for (long pfn : pfns.subList(0, pfns.size() / 2)) {
                rig.free(pfn);
            }
            return null;
        });
        for (long pfn : pfns.subList(pfns.size() / 2, pfns.size())) {
            rig.free(pfn);
        }
        rig.expectBackToAdoption(rig.allocator, "freeing every block");
    }

    private void nrFreeAddsUp() {
        for (MachineConfig c : List.of(SMALL, MachineConfig.DEFAULT)) {
            AllocatorRig rig = AllocatorRig.adopt(machines, c, factory);
            FrameAllocator a = rig.allocator;
            a.drainAllPages();
            expectNrFreeAddsUp(rig, "after adoption on " + c.summary());
            if (c != SMALL) {
                continue;
            }
            Random rnd = new Random(SEED + 8);
            mix(rig, rnd, 2000, 65, 16_384);
            a.drainAllPages();
            expectNrFreeAddsUp(rig, "after a mix of allocations and frees");
            List<Long> pfns = new ArrayList<>(rig.live.keySet());
            Collections.shuffle(pfns, rnd);
            for (long pfn : pfns.subList(0, pfns.size() / 2)) {
                rig.free(pfn);
            }
            a.drainAllPages();
            expectNrFreeAddsUp(rig, "after freeing half the blocks");
            rig.freeAll(a, rnd);
            rig.expectBackToAdoption(a, "freeing every block");
            expectNrFreeAddsUp(rig, "after freeing every block");
        }
    }

    private static void expectNrFreeAddsUp(AllocatorRig rig, String when) {
        FrameAllocator a = rig.active;
        for (Zone z : rig.zones) {
            if (!z.populated()) {
                continue;
            }
            long pages = 0;
            for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
                long n = a.nrFree(z, order);
                Expect.that(n >= 0, "%s, nrFree(%s, %d) is %d", when, FrameCensus.name(z), order, n);
                long byType = 0;
                for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                    long t = a.nrFree(z, order, mt);
                    Expect.that(t >= 0, "%s, nrFree(%s, %d, %s) is %d", when, FrameCensus.name(z), order,
                            MigrateType.of(mt).kernelName(), t);
                    byType += t;
                }
                Expect.that(byType == n, "%s, nrFree(%s, %d) is %d but the per-migratetype counts nrFree(zone, %d, type) add up "
                        + "to %d", when, FrameCensus.name(z), order, n, order, byType);
                pages += n << order;
            }
            Expect.that(pages == z.freePages(), "%s, the free blocks nrFree(%s, order) x 2^order add up to %d pages but "
                    + "NR_FREE_PAGES is %d", when, FrameCensus.name(z), pages, z.freePages());
        }
    }

    // ---- bad arguments -----------------------------------------------------------------------

    private void badArgumentsRejected() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        for (int order : new int[] {0, 2, 5}) {
            Expect.that(rig.alloc(Gfp.GFP_KERNEL, order) != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, %d) failed on a fresh "
                    + "machine", order);
        }
        int nodes = rig.machine.nodes().size();
        for (int order : new int[] {-1, FrameAllocator.MAX_PAGE_ORDER + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            rejected(rig, "allocPages(GFP_KERNEL, " + order + ")", () -> a.allocPages(Gfp.GFP_KERNEL, order));
            rejected(rig, "allocPagesNode(0, GFP_KERNEL, " + order + ")", () -> a.allocPagesNode(0, Gfp.GFP_KERNEL, order));
        }
        int[] badGfp = {Gfp.GFP_KERNEL | 1 << 9, Gfp.GFP_KERNEL | 1 << 25, Gfp.GFP_KERNEL | 1 << 31, Gfp.__GFP_DMA | Gfp.__GFP_DMA32,
            Gfp.GFP_KERNEL | Gfp.__GFP_DMA32 | Gfp.__GFP_HIGHMEM, Gfp.GFP_KERNEL | Gfp.__GFP_DMA | Gfp.__GFP_HIGHMEM,
            Gfp.GFP_KERNEL | Gfp.__GFP_MOVABLE | Gfp.__GFP_RECLAIMABLE};
        for (int gfp : badGfp) {
            String g = String.format("%#x", gfp);
            rejected(rig, "allocPages(" + g + ", 0)", () -> a.allocPages(gfp, 0));
            rejected(rig, "allocPagesNode(0, " + g + ", 0)", () -> a.allocPagesNode(0, gfp, 0));
        }
        for (int nid : new int[] {nodes, MachineConfig.MAX_NUMNODES, -2, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            rejected(rig, "allocPagesNode(" + nid + ", GFP_KERNEL, 0) on a machine with " + nodes + " node" + (nodes == 1 ? "" : "s"),
                    () -> a.allocPagesNode(nid, Gfp.GFP_KERNEL, 0));
        }
        rig.freeAll(a, new Random(SEED + 9));
        rig.expectBackToAdoption(a, "the bad calls and freeing every block");
    }

    private void badFreesRejected() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        long single = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        long four = mustAlloc(rig, Gfp.GFP_KERNEL, 2);
        long eight = mustAlloc(rig, Gfp.GFP_KERNEL, 3);
        long odd = FrameAllocator.NO_PAGE;
        for (int i = 0; i < 64 && odd == FrameAllocator.NO_PAGE; i++) {
            long p = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
            if ((p & 1) != 0) {
                odd = p;
            }
        }
        // never allocated: a free frame of the largest zone
        Zone largest = rig.zones.stream().max((x, y) -> Long.compare(x.managedPages(), y.managedPages())).orElseThrow();
        long[] freeFrame = {-1};
        FrameCensus.scan(rig.machine, largest, p -> freeFrame[0] = p);
        rejectedFree(rig, freeFrame[0], 0, "a free frame, never allocated");
        // twice
        long once = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        rig.free(once);
        rejectedFree(rig, once, 0, "already freed");
        long sixteen = mustAlloc(rig, Gfp.GFP_KERNEL, 4);
        rig.free(sixteen);
        rejectedFree(rig, sixteen, 4, "already freed");
        // the wrong order
        rejectedFree(rig, four, 0, "allocated with order 2");
        rejectedFree(rig, four, 1, "allocated with order 2");
        rejectedFree(rig, four, 3, "allocated with order 2");
        rejectedFree(rig, eight, 2, "allocated with order 3");
        rejectedFree(rig, single, 1, "allocated with order 0");
        // tail frames
        rejectedFree(rig, eight + 1, 0, "a tail frame of an order-3 block");
        rejectedFree(rig, eight + 4, 2, "a tail frame of an order-3 block");
        rejectedFree(rig, four + 2, 1, "a tail frame of an order-2 block");
        // misaligned
        if (odd != FrameAllocator.NO_PAGE) {
            rejectedFree(rig, odd, 1, "an order-0 block at an odd pfn, freed as order 1: misaligned");
        }
        rejectedFree(rig, eight + 4, 3, "misaligned for order 3");
        // reserved: the first reserved frame, and the first inside a zone's span
        long reserved = -1;
        long reservedInZone = -1;
        for (long p = ft.startPfn(); p < ft.endPfn() && reservedInZone < 0; p++) {
            if (ft.pfnValid(p) && ft.test(p, PageFlags.PG_reserved)) {
                reserved = reserved < 0 ? p : reserved;
                Zone z = FrameCensus.zoneOf(rig.machine, p);
                if (z != null && z.spans(p)) {
                    reservedInZone = p;
                }
            }
        }
        Expect.that(reserved >= 0, "the machine has no reserved frame to try");
        rejectedFree(rig, reserved, 0, "a reserved frame");
        if (reservedInZone >= 0 && reservedInZone != reserved) {
            rejectedFree(rig, reservedInZone, 0, "a reserved frame inside " + FrameCensus.name(FrameCensus.zoneOf(rig.machine,
                    reservedInZone)));
        }
        // out of range
        for (long p : new long[] {ft.endPfn(), ft.endPfn() + 12345, FrameAllocator.NO_PAGE, -4096, Long.MAX_VALUE, Long.MIN_VALUE}) {
            rejectedFree(rig, p, 0, "not a frame of this machine");
        }
        for (long p = ft.startPfn(); p < ft.endPfn(); p++) {
            if (!ft.pfnValid(p)) {
                rejectedFree(rig, p, 0, "a pfn without a frame (a hole between memory sections)");
                break;
            }
        }
        // orders out of range
        for (int order : new int[] {-1, FrameAllocator.MAX_PAGE_ORDER + 1, 64, Integer.MIN_VALUE}) {
            rejectedFree(rig, single, order, "an order out of range");
        }
        rig.freeAll(a, new Random(SEED + 10));
        rig.expectBackToAdoption(a, "the bad frees and freeing every block");
    }

    /** A call that must throw IllegalArgumentException and leave every count, frame and block as it was. */
    private static void rejected(AllocatorRig rig, String call, Expect.Call body) {
        long[] figures = rig.figures();
        long[] census = FrameCensus.freeFrames(rig.machine);
        Expect.illegalArgument(call, body);
        long[] after = rig.figures();
        long[] censusAfter = FrameCensus.freeFrames(rig.machine);
        for (Zone z : rig.zones) {
            Expect.that(after[z.id()] == figures[z.id()], "%s was refused but changed the free pages of %s from %d to %d", call,
                    FrameCensus.name(z), figures[z.id()], after[z.id()]);
            Expect.that(censusAfter[z.id()] == census[z.id()], "%s was refused but changed the free frames of %s in the frame table "
                    + "from %d to %d", call, FrameCensus.name(z), census[z.id()], censusAfter[z.id()]);
        }
        rig.expectLiveIntact("after " + call + " was refused");
        Expect.noProblems(rig.active.check(), "after " + call + " was refused");
    }

    private static void rejectedFree(AllocatorRig rig, long pfn, int order, String what) {
        FrameAllocator a = rig.active;
        rejected(rig, "freePages(" + hex(pfn) + ", " + order + ") (" + what + ")", () -> a.freePages(pfn, order));
    }

    private static long mustAlloc(AllocatorRig rig, int gfp, int order) {
        long pfn = rig.alloc(gfp, order);
        Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(%s, %d) returned NO_PAGE on a machine with plenty of free memory",
                Gfp.format(gfp), order);
        return pfn;
    }

    // ---- watermarks and exhaustion -----------------------------------------------------------

    private void watermarksStopAllocations() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        int hz = Gfp.gfpZone(Gfp.GFP_KERNEL).ordinal();
        List<Zone> allowed = allowedZones(m, 0, Gfp.GFP_KERNEL);
        long bound = total(FrameCensus.freeFrames(m)) + 1;

        long kernel = 0;
        while (true) {
            Expect.that(kernel <= bound, "allocPages(GFP_KERNEL, 0) handed out more pages than were free");
            long[] free = freePages(allowed);
            long pfn = rig.alloc(Gfp.GFP_KERNEL, 0);
            if (pfn == FrameAllocator.NO_PAGE) {
                break;
            }
            kernel++;
            Zone z = FrameCensus.zoneOf(m, pfn);
            long floor = z.rawWatermark(Watermark.MIN) + z.lowmemReserve(hz);
            long before = free[allowed.indexOf(z)];
            Expect.that(before > floor, "allocPages(GFP_KERNEL, 0) took %s from %s, which had %d free pages: not above its min "
                    + "watermark + lowmem reserve (%d)", hex(pfn), FrameCensus.name(z), before, floor);
        }
        Expect.that(kernel > 0, "allocPages(GFP_KERNEL, 0) failed on a fresh machine");
        for (Zone z : allowed) {
            long floor = z.watermark(Watermark.MIN) + z.lowmemReserve(hz);
            Expect.that(z.freePages() <= floor, "allocPages(GFP_KERNEL, 0) returned NO_PAGE while %s had %d free pages, above its "
                    + "min watermark + lowmem reserve (%d)", FrameCensus.name(z), z.freePages(), floor);
        }

        long atomic = 0;
        while (true) {
            Expect.that(kernel + atomic <= bound, "allocPages(GFP_ATOMIC, 0) handed out more pages than were free");
            long[] free = freePages(allowed);
            long pfn = rig.alloc(Gfp.GFP_ATOMIC, 0);
            if (pfn == FrameAllocator.NO_PAGE) {
                break;
            }
            atomic++;
            Zone z = FrameCensus.zoneOf(m, pfn);
            long floor = atomicMin(z.rawWatermark(Watermark.MIN)) + z.lowmemReserve(hz);
            long before = free[allowed.indexOf(z)];
            Expect.that(before > floor, "allocPages(GFP_ATOMIC, 0) took %s from %s, which had %d free pages: not above 3/8 of its "
                    + "min watermark + lowmem reserve (%d)", hex(pfn), FrameCensus.name(z), before, floor);
        }
        Expect.that(atomic > 0, "allocPages(GFP_ATOMIC, 0) got nothing once GFP_KERNEL had failed: __GFP_HIGH without direct "
                + "reclaim may use the reserve down to 3/8 of the min watermark");
        for (Zone z : allowed) {
            long floor = atomicMin(z.rawWatermark(Watermark.MIN)) + z.lowmemReserve(hz);
            Expect.that(z.freePages() <= floor, "allocPages(GFP_ATOMIC, 0) returned NO_PAGE while %s had %d free pages, above 3/8 of "
                    + "its min watermark + lowmem reserve (%d)", FrameCensus.name(z), z.freePages(), floor);
        }
        Expect.that(rig.alloc(Gfp.GFP_KERNEL, 0) == FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, 0) succeeded below the min "
                + "watermark after GFP_ATOMIC had used the reserve");
        Expect.noProblems(a.check(), "at the watermarks");

        rig.freeAll(a, new Random(SEED + 11));
        rig.expectBackToAdoption(a, "freeing every page");
        long again = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        long big = mustAlloc(rig, Gfp.GFP_KERNEL, FrameAllocator.MAX_PAGE_ORDER);
        rig.free(again);
        rig.free(big);
        rig.expectBackToAdoption(a, "freeing every page again");
    }

    /** The min watermark as GFP_ATOMIC sees it: ALLOC_MIN_RESERVE halves it, ALLOC_NON_BLOCK takes a quarter more. */
    private static long atomicMin(long min) {
        long m = min - min / 2;
        return m - m / 4;
    }

    private void memallocExhaustionAndRecovery() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        BitSet adopted = FrameCensus.freeSet(rig.machine);
        for (int round = 1; round <= 2; round++) {
            String what = "allocPages(GFP_KERNEL|__GFP_MEMALLOC, 0)" + (round == 2 ? " after every page came back" : "");
            List<Long> got = exhaust(rig, -1, NO_WATERMARKS, 0, adopted.cardinality(), what);
            BitSet handed = new BitSet();
            long base = rig.ft.startPfn();
            for (long p : got) {
                handed.set((int) (p - base));
            }
            BitSet missing = (BitSet) adopted.clone();
            missing.andNot(handed);
            if (!missing.isEmpty()) {
                long p = base + missing.nextSetBit(0);
                throw Expect.fail("%s returned NO_PAGE with %d frames free after adoption never handed out, e.g. %s in %s "
                        + "(__GFP_MEMALLOC ignores the watermarks)", what, missing.cardinality(), hex(p),
                        FrameCensus.name(FrameCensus.zoneOf(rig.machine, p)));
            }
            for (Zone z : rig.zones) {
                Expect.that(z.freePages() == 0 && rig.pcp(a, z) == 0, "with every free frame handed out, %s still counts %d free "
                        + "pages (NR_FREE_PAGES) and %d on per-CPU lists", FrameCensus.name(z), z.freePages(), rig.pcp(a, z));
            }
            Expect.noProblems(a.check(), "with every free frame handed out");
            rig.freeAll(a, new Random(SEED + 12 + round));
            rig.expectBackToAdoption(a, "freeing every page (round " + round + ")");
        }
    }

    private void highOrderFindsEveryFreeBlock() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        long bound = total(FrameCensus.freeFrames(rig.machine));
        long base = rig.ft.startPfn();
        for (int order = FrameAllocator.MAX_PAGE_ORDER; order >= 0; order--) {
            String what = "allocPages(GFP_KERNEL|__GFP_MEMALLOC, " + order + ")";
            exhaust(rig, -1, NO_WATERMARKS, order, bound, what);
            BitSet free = FrameCensus.freeSet(rig.machine);
            long n = 1L << order;
            for (Zone z : rig.zones) {
                long start = (z.startPfn() + n - 1) & ~(n - 1);
                for (long s = start; s + n <= z.endPfn(); s += n) {
                    int i = (int) (s - base);
                    if (free.get(i) && free.nextClearBit(i) >= i + n && allIn(rig.machine, z, s, n)) {
                        throw Expect.fail("%s returned NO_PAGE although the %d frames at %s in %s are free: an aligned block of "
                                + "that order", what, n, hex(s), FrameCensus.name(z));
                    }
                }
            }
        }
        for (Zone z : rig.zones) {
            Expect.that(z.freePages() == 0, "after allocating every order down to 0 without watermarks, %s still counts %d free pages",
                    FrameCensus.name(z), z.freePages());
        }
        rig.freeAll(a, new Random(SEED + 15));
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static boolean allIn(Machine m, Zone z, long start, long n) {
        return FrameCensus.zoneOf(m, start) == z && FrameCensus.zoneOf(m, start + n - 1) == z;
    }

    /**
     * Allocates until NO_PAGE, and once more after {@code drainAllPages()} (pages on another CPU's
     * per-CPU lists are out of reach until drained), until that fails too.
     *
     * @param nid the node for allocPagesNode, or -1 for allocPages
     */
    private static List<Long> exhaust(AllocatorRig rig, int nid, int gfp, int order, long bound, String what) {
        return exhaust(rig, nid, gfp, order, bound, what, pfn -> { });
    }

    /** {@link #exhaust}, showing each block to {@code each} as it comes. */
    private static List<Long> exhaust(AllocatorRig rig, int nid, int gfp, int order, long bound, String what, LongConsumer each) {
        List<Long> got = new ArrayList<>();
        long pages = 0;
        while (true) {
            long pfn = nid < 0 ? rig.alloc(gfp, order) : rig.allocNode(nid, gfp, order);
            if (pfn == FrameAllocator.NO_PAGE) {
                rig.active.drainAllPages();
                pfn = nid < 0 ? rig.alloc(gfp, order) : rig.allocNode(nid, gfp, order);
                if (pfn == FrameAllocator.NO_PAGE) {
                    return got;
                }
            }
            each.accept(pfn);
            got.add(pfn);
            pages += 1L << order;
            Expect.that(pages <= bound, "%s handed out more than the %d pages that were free", what, bound);
        }
    }

    // ---- flags -------------------------------------------------------------------------------

    private void gfpZeroClearsContent() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        // write a token into every free frame, through allocations
        List<Long> all = exhaust(rig, -1, NO_WATERMARKS, 0, total(FrameCensus.freeFrames(rig.machine)), "allocPages(GFP_KERNEL|"
                + "__GFP_MEMALLOC, 0)");
        for (long p : all) {
            ft.setContentToken(p, token(p));
        }
        rig.freeAll(a, new Random(SEED + 16));
        rig.expectBackToAdoption(a, "writing a content token into every frame and freeing them");
        int[] gfps = {Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, Gfp.GFP_ATOMIC | Gfp.__GFP_ZERO, Gfp.GFP_DMA | Gfp.__GFP_ZERO,
            Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO | Gfp.__GFP_COMP};
        for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
            for (int gfp : gfps) {
                long pfn = mustAlloc(rig, gfp, order);
                for (long p = pfn; p < pfn + (1L << order); p++) {
                    long t = ft.contentToken(p);
                    Expect.that(t == 0, "allocPages(%s, %d) returned %s, but its frame %s still holds content token %#x: "
                            + "__GFP_ZERO clears every frame of the block", Gfp.format(gfp), order, hex(pfn), hex(p), t);
                }
            }
        }
        rig.freeAll(a, new Random(SEED + 17));
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static long token(long pfn) {
        return 0x7e57_0000_0000_0000L | pfn;
    }

    private void thisNodeRespected() {
        AllocatorRig rig = AllocatorRig.adopt(machines, TWO_NODES, factory);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        int thisNode = Gfp.GFP_KERNEL | Gfp.__GFP_THISNODE;
        for (int nid = 0; nid < 2; nid++) {
            for (int order : new int[] {0, 4, FrameAllocator.MAX_PAGE_ORDER}) {
                long pfn = mustAllocNode(rig, nid, thisNode, order);
                expectNode(m, pfn, nid, "allocPagesNode(" + nid + ", GFP_KERNEL|__GFP_THISNODE, " + order + ")");
                pfn = mustAllocNode(rig, nid, Gfp.GFP_KERNEL, order);
                expectNode(m, pfn, nid, "on a fresh machine allocPagesNode(" + nid + ", GFP_KERNEL, " + order + ")");
            }
        }
        for (int cpu = 0; cpu < m.cpuCount(); cpu++) {
            int node = m.cpuToNode(cpu);
            long pfn = m.runOn(cpu, () -> rig.alloc(Gfp.GFP_KERNEL, 0));
            Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, 0) on cpu %d failed on a fresh machine", cpu);
            expectNode(m, pfn, node, "on a fresh machine allocPages(GFP_KERNEL, 0) on cpu " + cpu);
        }
        // exhaust node 1: never a page of node 0
        long[] before = rig.figures();
        long[] free = FrameCensus.freeFrames(m);
        long node1Free = rig.zones.stream().filter(z -> z.nid() == 1).mapToLong(z -> free[z.id()]).sum();
        String what = "allocPagesNode(1, GFP_KERNEL|__GFP_THISNODE|__GFP_MEMALLOC, 0)";
        exhaust(rig, 1, thisNode | Gfp.__GFP_MEMALLOC, 0, node1Free, what, pfn -> expectNode(m, pfn, 1, what));
        long[] census = FrameCensus.freeFrames(m);
        long[] after = rig.figures();
        for (Zone z : rig.zones) {
            if (z.nid() == 1) {
                Expect.that(census[z.id()] == 0, "%s returned NO_PAGE while %s still had %d free frames", what, FrameCensus.name(z),
                        census[z.id()]);
            } else {
                Expect.that(after[z.id()] == before[z.id()], "%s took pages from %s: __GFP_THISNODE never leaves node 1", what,
                        FrameCensus.name(z));
            }
        }
        for (int order : new int[] {0, 3}) {
            Expect.that(rig.allocNode(1, thisNode, order) == FrameAllocator.NO_PAGE, "allocPagesNode(1, GFP_KERNEL|__GFP_THISNODE, "
                    + "%d) succeeded with node 1 exhausted", order);
        }
        long fallback = rig.allocNode(1, Gfp.GFP_KERNEL, 0);
        Expect.that(fallback != FrameAllocator.NO_PAGE, "allocPagesNode(1, GFP_KERNEL, 0) returned NO_PAGE with node 1 exhausted: "
                + "without __GFP_THISNODE it falls back to node 0");
        expectNode(m, fallback, 0, "allocPagesNode(1, GFP_KERNEL, 0) with node 1 exhausted");
        rig.freeAll(a, new Random(SEED + 18));
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static long mustAllocNode(AllocatorRig rig, int nid, int gfp, int order) {
        long pfn = rig.allocNode(nid, gfp, order);
        Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPagesNode(%d, %s, %d) returned NO_PAGE on a fresh machine", nid,
                Gfp.format(gfp), order);
        return pfn;
    }

    private static void expectNode(Machine m, long pfn, int nid, String call) {
        int got = FrameCensus.zoneOf(m, pfn).nid();
        Expect.that(got == nid, "%s returned %s, a frame of node %d, not node %d", call, hex(pfn), got, nid);
    }

    private void refcountNeedsEveryReference() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        for (int order : new int[] {0, 3, FrameAllocator.MAX_PAGE_ORDER}) {
            long pfn = mustAlloc(rig, Gfp.GFP_KERNEL, order);
            ft.setRefcount(pfn, 2);
            long[] before = rig.figures();
            long[] census = FrameCensus.freeFrames(rig.machine);
            a.freePages(pfn, order);
            Expect.that(ft.refcount(pfn) == 1 && FrameCensus.allocatedHead(ft, pfn) && ft.order(pfn) == order, "freePages(%s, %d) "
                    + "with the head's reference count at 2 left count %d, order %d, flags %s: it drops one reference and keeps "
                    + "the block", hex(pfn), order, ft.refcount(pfn), ft.order(pfn), FrameCensus.flags(ft, pfn));
            long[] after = rig.figures();
            long[] censusAfter = FrameCensus.freeFrames(rig.machine);
            for (Zone z : rig.zones) {
                Expect.that(after[z.id()] == before[z.id()] && censusAfter[z.id()] == census[z.id()], "freePages(%s, %d) with a "
                        + "second reference changed the free pages of %s from %d to %d", hex(pfn), order, FrameCensus.name(z),
                        before[z.id()], after[z.id()]);
            }
            rig.free(pfn);
            rejectedFree(rig, pfn, order, "its last reference already dropped");
        }
        rig.expectBackToAdoption(a, "dropping every reference");
    }

    // ---- hand-over ---------------------------------------------------------------------------

    private void handoverSameImplementation() throws InterruptedException {
        handover(factory, factory, "a second instance of '" + factory.implName() + "'");
    }

    private void handoverAcrossImplementations() throws InterruptedException {
        if (reference == null) {
            ConformanceCheck.skip("no reference implementation was supplied to hand over to and from");
        }
        handover(reference, factory, "'" + factory.implName() + "' from the reference '" + reference.implName() + "'");
        handover(factory, reference, "the reference '" + reference.implName() + "' from '" + factory.implName() + "'");
    }

    /**
     * {@code from} adopts at boot and hands out a mix of blocks on both CPUs; it quiesces, a new
     * instance of {@code to} adopts its Handover and {@code from} forwards to it. A call made to
     * {@code from} during the hand-over completes on the successor; every block is kept, and is
     * freed through either instance; new blocks never overlap old ones.
     */
    private void handover(FrameAllocatorFactory fromFactory, FrameAllocatorFactory toFactory, String label)
            throws InterruptedException {
        Machine m = AllocatorRig.boot(machines, SMALL);
        FrameAllocator from = AllocatorRig.create(fromFactory, m);
        from.adopt(Handover.BOOT);
        AllocatorRig rig = AllocatorRig.of(m, from);
        Random rnd = new Random(SEED + 19);
        for (int cpu = 0; cpu < 2; cpu++) {
            m.runOn(cpu, () -> {
                mix(rig, rnd, 600, 70, 8192);
                return null;
            });
        }
        Handover h = from.quiesce();
        Expect.that(h != null, "quiesce() returned null: it returns the Handover for the successor");
        Expect.that(FrameAllocator.CONTRACT.equals(h.contract()) && from.implName().equals(h.fromImpl()), "quiesce() returned a "
                + "Handover of contract '%s' from '%s', not of '%s' from '%s'", h.contract(), h.fromImpl(), FrameAllocator.CONTRACT,
                from.implName());
        long[] census = FrameCensus.freeFrames(m);
        for (Zone z : rig.zones) {
            Expect.that(z.freePages() == census[z.id()], "after quiesce(), NR_FREE_PAGES of %s is %d but the frame table has %d free "
                    + "frames: quiesce drains the per-CPU lists so that the frame table says everything", FrameCensus.name(z),
                    z.freePages(), census[z.id()]);
        }
        rig.expectLiveIntact("after quiesce()");

        // a call that reaches the old instance during the hand-over waits, then completes on the successor
        AtomicReference<Object> late = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                late.set(from.allocPages(Gfp.GFP_KERNEL, 1));
            } catch (Throwable e) {
                late.set(e);
            }
        }, "mm.tck late caller");
        caller.setDaemon(true);
        caller.start();

        FrameAllocator to = AllocatorRig.create(toFactory, m);
        Expect.that(to != from, "the factory returned the same instance twice: create(machine) makes a new allocator");
        to.adopt(h);
        from.forwardTo(to);
        rig.active = to;
        caller.join(Math.max(1, timeLimit.toMillis() / 2));
        if (caller.isAlive()) {
            StackTraceElement[] stack = caller.getStackTrace();
            throw Expect.fail("allocPages(GFP_KERNEL, 1), called on the old instance during the hand-over to %s, did not return "
                    + "after forwardTo: it waits for the hand-over's end, then goes on to the successor%s", label,
                    stack.length == 0 ? "" : " (it is in " + stack[0] + ")");
        }
        Object result = late.get();
        if (result instanceof Throwable) {
            throw Expect.fail("allocPages(GFP_KERNEL, 1) called on the old instance during the hand-over to %s threw %s", label,
                    ConformanceCheck.reason((Throwable) result));
        }
        long latePfn = (Long) result;
        Expect.that(latePfn != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, 1) called on the old instance during the hand-over to "
                + "%s returned NO_PAGE", label);
        rig.track(latePfn, Gfp.GFP_KERNEL, 1, "allocPages(GFP_KERNEL, 1) during the hand-over");

        Expect.noProblems(to.check(), "of " + label + " after it adopted the Handover");
        rig.expectAccounted(to, "after " + label + " adopted the Handover");
        rig.expectLiveIntact("after " + label + " adopted the Handover");

        List<Long> old = new ArrayList<>(rig.live.keySet());
        Collections.shuffle(old, rnd);
        for (long pfn : old.subList(0, old.size() / 2)) {
            rig.free(from, pfn);
        }
        for (int i = 0; i < 100; i++) {
            rig.alloc(i % 2 == 0 ? from : to, MIX_GFP[rnd.nextInt(MIX_GFP.length)], pickOrder(rnd));
        }
        rig.expectAccounted(to, "after freeing and allocating through both instances (" + label + ")");
        List<Long> rest = new ArrayList<>(rig.live.keySet());
        Collections.shuffle(rest, rnd);
        for (int i = 0; i < rest.size(); i++) {
            rig.free(i % 3 == 0 ? from : to, rest.get(i));
        }
        rig.expectBackToAdoption(to, "the hand-over to " + label + " and freeing every block through both instances");
    }

    private void handoverRollback() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        Random rnd = new Random(SEED + 20);
        for (int cpu = 0; cpu < 2; cpu++) {
            rig.machine.runOn(cpu, () -> {
                mix(rig, rnd, 600, 70, 8192);
                return null;
            });
        }
        Handover h = a.quiesce();
        Expect.that(h != null, "quiesce() returned null: it returns the Handover for the successor");
        rig.expectLiveIntact("after quiesce()");
        a.adopt(h);
        Expect.noProblems(a.check(), "after adopting its own Handover again");
        rig.expectAccounted(a, "after adopting its own Handover again");
        mix(rig, rnd, 600, 60, 8192);
        rig.freeAll(a, rnd);
        rig.expectBackToAdoption(a, "taking the machine back and freeing every block");
    }

    // ---- concurrency -------------------------------------------------------------------------

    private void concurrentCpusNoFrameTwice() throws InterruptedException {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        ConcurrentHashMap<Long, Integer> owner = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<long[]> shared = new ConcurrentLinkedQueue<>();
        AtomicReference<String> problem = new AtomicReference<>();
        Thread[] workers = new Thread[2];
        for (int c = 0; c < workers.length; c++) {
            int cpu = c;
            workers[c] = new Thread(() -> {
                try {
                    m.runOn(cpu, () -> {
                        churn(m, a, cpu, owner, shared, problem);
                        return null;
                    });
                } catch (Throwable e) {
                    problem.compareAndSet(null, "on cpu " + cpu + ": " + ConformanceCheck.reason(e));
                }
            }, "mm.tck cpu " + cpu);
            workers[c].setDaemon(true);
        }
        for (Thread w : workers) {
            w.start();
        }
        long deadline = System.nanoTime() + timeLimit.toNanos() * 3 / 4;
        for (int c = 0; c < workers.length; c++) {
            workers[c].join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (workers[c].isAlive()) {
                StackTraceElement[] stack = workers[c].getStackTrace();
                problem.compareAndSet(null, "the thread on cpu " + c + " did not finish" + (stack.length == 0 ? "" : ": it is in "
                        + stack[0]));
                for (Thread w : workers) {
                    w.interrupt();
                }
            }
        }
        if (problem.get() != null) {
            throw Expect.fail("two CPUs at once: %s", problem.get());
        }
        for (long[] b = shared.poll(); b != null; b = shared.poll()) {
            release(owner, b, problem);
            a.freePages(b[0], (int) b[1]);
        }
        Expect.that(problem.get() == null, "two CPUs at once: %s", problem.get());
        Expect.that(owner.isEmpty(), "the kit lost track of %d frames", owner.size());
        rig.expectBackToAdoption(a, "two CPUs allocating and freeing at once");
    }

    /** One CPU's share: a seeded mix of allocations and frees, some blocks passed to the other CPU to free. */
    private static void churn(Machine m, FrameAllocator a, int cpu, ConcurrentHashMap<Long, Integer> owner,
            ConcurrentLinkedQueue<long[]> shared, AtomicReference<String> problem) {
        Random rnd = new Random(SEED * 31 + cpu);
        List<long[]> mine = new ArrayList<>();
        long pages = 0;
        try {
            for (int i = 0; i < 20_000 && problem.get() == null; i++) {
                int r = rnd.nextInt(100);
                if (r < 50 && pages < 4096) {
                    int order = pickOrder(rnd);
                    int gfp = MIX_GFP[rnd.nextInt(MIX_GFP.length)];
                    long pfn = a.allocPages(gfp, order);
                    if (pfn == FrameAllocator.NO_PAGE) {
                        continue;
                    }
                    String bad = badBlock(m, pfn, gfp, order);
                    if (bad != null) {
                        problem.compareAndSet(null, "allocPages(" + Gfp.format(gfp) + ", " + order + ") on cpu " + cpu + " " + bad);
                        return;
                    }
                    for (long p = pfn; p < pfn + (1L << order); p++) {
                        Integer prev = owner.putIfAbsent(p, cpu);
                        if (prev != null) {
                            problem.compareAndSet(null, "allocPages(" + Gfp.format(gfp) + ", " + order + ") on cpu " + cpu
                                    + " returned " + hex(pfn) + ", whose frame " + hex(p) + " cpu " + prev + " still holds");
                            return;
                        }
                    }
                    long[] block = {pfn, order};
                    if (rnd.nextInt(4) == 0) {
                        shared.add(block);
                    } else {
                        mine.add(block);
                        pages += 1L << order;
                    }
                } else if (r < 85 && !mine.isEmpty()) {
                    long[] b = mine.remove(rnd.nextInt(mine.size()));
                    pages -= 1L << b[1];
                    release(owner, b, problem);
                    a.freePages(b[0], (int) b[1]);
                } else {
                    long[] b = shared.poll();
                    if (b != null) {
                        release(owner, b, problem);
                        a.freePages(b[0], (int) b[1]);
                    }
                }
            }
        } finally {
            for (long[] b : mine) {
                release(owner, b, problem);
                a.freePages(b[0], (int) b[1]);
            }
        }
    }

    /** Forgets who holds a block's frames, before it is freed (after, another CPU may get them at once). */
    private static void release(ConcurrentHashMap<Long, Integer> owner, long[] block, AtomicReference<String> problem) {
        for (long p = block[0]; p < block[0] + (1L << block[1]); p++) {
            if (owner.remove(p) == null) {
                problem.compareAndSet(null, "the kit frees frame " + hex(p) + ", which it did not record");
            }
        }
    }

    /** What is wrong with a block just handed out, judged by its head alone (other CPUs change the rest); null if nothing. */
    private static String badBlock(Machine m, long pfn, int gfp, int order) {
        Zone z = pfn < 0 ? null : FrameCensus.zoneOf(m, pfn);
        if (z == null) {
            return "returned " + pfn + ", not a frame of this machine";
        }
        if ((pfn & ((1L << order) - 1)) != 0) {
            return "returned " + hex(pfn) + ", not aligned to its order";
        }
        if (z.type().ordinal() > Gfp.gfpZone(gfp).ordinal()) {
            return "returned " + hex(pfn) + " in " + FrameCensus.name(z) + ", a zone these flags do not allow";
        }
        FrameTable ft = m.frames();
        if (!FrameCensus.allocatedHead(ft, pfn) || ft.refcount(pfn) != 1 || ft.order(pfn) != order) {
            return "returned " + hex(pfn) + " with count " + ft.refcount(pfn) + ", order " + ft.order(pfn) + ", flags "
                    + FrameCensus.flags(ft, pfn) + " in the frame table";
        }
        return null;
    }

    // ---- check() -----------------------------------------------------------------------------

    private void checkDetectsCorruption() {
        AllocatorRig rig = AllocatorRig.adopt(machines, SMALL, factory);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        Random rnd = new Random(SEED + 21);
        mix(rig, rnd, 400, 70, 8192);
        long single = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        long four = mustAlloc(rig, Gfp.GFP_KERNEL, 2);
        Expect.noProblems(a.check(), "on a state nothing corrupted");
        long[] figures = rig.figures();
        long[] census = FrameCensus.freeFrames(rig.machine);

        corrupt(a, "the allocated block at " + hex(single) + " was made to look free (head reference count set to 0)",
                () -> ft.setRefcount(single, 0), () -> ft.setRefcount(single, 1));
        corrupt(a, "the allocated order-2 block at " + hex(four) + " was given order 3 in the frame table",
                () -> ft.setOrder(four, 3), () -> ft.setOrder(four, 2));
        Zone zone = FrameCensus.zoneOf(rig.machine, single);
        corrupt(a, "NR_FREE_PAGES of " + FrameCensus.name(zone) + " was raised by one",
                () -> zone.modState(ZoneStat.NR_FREE_PAGES, 1), () -> zone.modState(ZoneStat.NR_FREE_PAGES, -1));
        // a free frame that holds no list links and is on no per-CPU list, made to look allocated
        long plain = FrameCensus.lastPlainFreeFrame(rig.machine, zone);
        if (plain >= 0) {
            corrupt(a, "the free frame " + hex(plain) + " was made to look allocated (reference count set to 1)",
                    () -> ft.setRefcount(plain, 1), () -> ft.setRefcount(plain, 0));
        }
        long[] figuresAfter = rig.figures();
        long[] censusAfter = FrameCensus.freeFrames(rig.machine);
        for (Zone z : rig.zones) {
            Expect.that(figuresAfter[z.id()] == figures[z.id()] && censusAfter[z.id()] == census[z.id()], "check() changed the "
                    + "free pages of %s", FrameCensus.name(z));
        }
        rig.expectLiveIntact("after the check() calls");
        rig.freeAll(a, rnd);
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static void corrupt(FrameAllocator a, String what, Runnable damage, Runnable repair) {
        List<String> problems;
        damage.run();
        try {
            problems = a.check();
        } finally {
            repair.run();
        }
        Expect.that(problems != null && !problems.isEmpty(), "check() found nothing wrong after %s", what);
        Expect.noProblems(a.check(), "after repairing what was corrupted (" + what + ")");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /**
     * A seeded mix of {@code ops} operations through the rig: allocations ({@code allocPercent} of
     * them while fewer than {@code maxPages} pages are held) of varied orders and flags, which may
     * fail, and frees of random live blocks.
     */
    private static void mix(AllocatorRig rig, Random rnd, int ops, int allocPercent, long maxPages) {
        List<Long> held = new ArrayList<>(rig.live.keySet());
        long pages = rig.live.values().stream().mapToLong(o -> 1L << o).sum();
        for (int i = 0; i < ops; i++) {
            if (held.isEmpty() || rnd.nextInt(100) < allocPercent && pages < maxPages) {
                int order = pickOrder(rnd);
                long pfn = rig.alloc(MIX_GFP[rnd.nextInt(MIX_GFP.length)], order);
                if (pfn != FrameAllocator.NO_PAGE) {
                    held.add(pfn);
                    pages += 1L << order;
                }
            } else {
                int i2 = rnd.nextInt(held.size());
                long pfn = held.get(i2);
                held.set(i2, held.get(held.size() - 1));
                held.remove(held.size() - 1);
                pages -= 1L << rig.live.get(pfn);
                rig.free(pfn);
            }
        }
    }

    /** Orders 0 to 10, small ones most often. */
    private static int pickOrder(Random rnd) {
        int r = rnd.nextInt(100);
        if (r < 50) {
            return 0;
        }
        if (r < 80) {
            return 1 + rnd.nextInt(3);
        }
        if (r < 95) {
            return 4 + rnd.nextInt(5);
        }
        return 9 + rnd.nextInt(2);
    }

    /** The zones of a node's zonelist that these flags allow, in zonelist order. */
    private static List<Zone> allowedZones(Machine m, int nid, int gfp) {
        List<Zone> out = new ArrayList<>();
        for (Zone z : m.zonelist(nid)) {
            if (z.type().ordinal() <= Gfp.gfpZone(gfp).ordinal()) {
                out.add(z);
            }
        }
        return out;
    }

    private static long[] freePages(List<Zone> zones) {
        long[] out = new long[zones.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = zones.get(i).freePages();
        }
        return out;
    }

    private static long total(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}

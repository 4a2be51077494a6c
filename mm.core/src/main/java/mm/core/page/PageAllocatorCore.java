package mm.core.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.api.subsystem.ContractViolation;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.api.trace.Tracepoint;
import mm.api.trace.Tracer;
import mm.core.trace.KmemTrace;

/**
 * The zoned page allocator's mechanics (mm/page_alloc.c) around an index of free blocks that a
 * subclass provides.
 *
 * <p>Allocation ({@code __alloc_pages}): {@code prepare_alloc_pages} picks the zonelist, highest
 * zone and migratetype from the GFP flags; {@code get_page_from_freelist} walks the zonelist,
 * checks each zone's watermark ({@link WatermarkCheck}) and asks the subclass's
 * {@link #rmqueue} for a block; if every zone fails the low watermark,
 * {@code __alloc_pages_slowpath} wakes kswapd and retries at the min watermark with the reserve
 * rights {@link AllocFlags#gfpToAllocFlags} grants. {@code prep_new_page} then records the
 * allocation in the frame table.
 *
 * <p>Freeing ({@code __free_pages}): {@link FrameState#badFree} rejects bad frees with one line;
 * {@code free_pages_prepare} resets the frames; the subclass's {@link #freeFrozenPages} takes the
 * block back.
 *
 * <p>Adoption: the frame table is scanned zone by zone and every run of free frames is handed to
 * {@link #adoptFreeBlock} as the largest aligned blocks, lowest pfn first: the same free lists
 * {@code memblock_free_all} builds at boot.
 *
 * <p>Hand-over: every call runs with its CPU's gate held ({@link CpuGates}), so that
 * {@link #quiesce} can stop them all, drain the per-CPU lists and mark the allocator inactive.
 * A call that then reaches it waits until the hand-over ends and goes on to the successor
 * ({@link #forwardTo}), or proceeds here if the old allocator took the machine back.
 */
public abstract class PageAllocatorCore implements FrameAllocator, WatermarkCheck.FreeBlocks {

    private static final Watermark[] WATERMARKS = Watermark.values();

    /** The machine, once bound. */
    protected Machine machine;
    /** Its frame table. */
    protected FrameTable frames;
    private int nodes;
    private ZoneFlags zoneFlags;
    /** Zones by {@link #zoneId}. */
    private Zone[] zoneById;
    /** Per node: the zonelist, and the zones of the node alone (__GFP_THISNODE). */
    private Zone[][] zonelists;
    private Zone[][] thisNodeZonelists;
    private CpuGates gates;
    private final HandoverLatch<FrameAllocator> latch = new HandoverLatch<>(CONTRACT);
    private volatile long kswapdWakeups;
    private volatile long allocFailures;
    /** The kmem tracepoints of the machine's tracer. */
    protected KmemTrace trace = new KmemTrace(Tracer.none());
    private Tracepoint tpPageAlloc = trace.mmPageAlloc;
    private Tracepoint tpPageFree = trace.mmPageFree;
    private Compaction compaction;

    /** Binds to a machine; {@link #adopt} must follow before the allocator answers calls. */
    protected void bind(Machine m) {
        this.machine = m;
        this.frames = m.frames();
        this.trace = KmemTrace.of(m);
        this.tpPageAlloc = trace.mmPageAlloc;
        this.tpPageFree = trace.mmPageFree;
        this.nodes = m.nodes().size();
        this.zoneFlags = new ZoneFlags(nodes);
        this.gates = new CpuGates(m.cpuCount());
        this.compaction = new Compaction(this, m, nodes * ZoneType.MAX_NR_ZONES);
        this.zoneById = new Zone[nodes * ZoneType.MAX_NR_ZONES];
        for (Zone z : m.zones()) {
            zoneById[zoneId(z)] = z;
        }
        this.zonelists = new Zone[nodes][];
        this.thisNodeZonelists = new Zone[nodes][];
        for (int nid = 0; nid < nodes; nid++) {
            List<Zone> list = m.zonelist(nid);
            zonelists[nid] = list.toArray(new Zone[0]);
            final int n = nid;
            thisNodeZonelists[nid] = list.stream().filter(z -> z.nid() == n).toArray(Zone[]::new);
        }
    }

    /** The zone a frame belongs to ({@code page_zone}), from the node and zone fields of its flags. */
    protected Zone zoneOf(long pfn) {
        return zoneById[frames.nid(pfn) * ZoneType.MAX_NR_ZONES + frames.zoneIndex(pfn)];
    }

    /** The zones' allocator flags ({@code zone->flags}). */
    protected ZoneFlags zoneFlags() {
        return zoneFlags;
    }

    /** A dense index for a zone: node * MAX_NR_ZONES + zone index. */
    protected static int zoneId(Zone z) {
        return z.id();
    }

    // ---- what a subclass provides -------------------------------------------------------------

    /**
     * {@code rmqueue}: takes a block of {@code order} from the zone (its per-CPU lists or its free
     * lists) for the migratetype, falling back to other types as the implementation sees fit, and
     * keeps the zone's free counters ({@code NR_FREE_PAGES}...) right.
     *
     * @param preferred the first zone of the zonelist the request may use
     * @param cpu the simulated CPU the caller runs on ({@code smp_processor_id})
     * @return the block's first pfn, or {@link #NO_PAGE}
     */
    protected abstract long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu);

    /**
     * {@code __free_frozen_pages}: takes back a block already reset by {@code free_pages_prepare}
     * (onto a per-CPU list, or the zone's free lists), keeping the free counters right.
     */
    protected abstract void freeFrozenPages(Zone zone, long pfn, int order, int cpu);

    /** Forgets every free list, before an adoption. */
    protected abstract void resetFreeLists();

    /**
     * Takes a free block found by the adoption scan: aligned to its order, every frame free and
     * with PG_buddy clear. Blocks arrive by increasing pfn; the implementation adds them to the tail
     * of its lists and counts them in the zone's free counters.
     */
    protected abstract void adoptFreeBlock(Zone zone, long pfn, int order);

    /** Adds the implementation's own broken invariants, one line each. */
    protected abstract void checkFreeLists(List<String> problems);

    @Override
    public long nrFreeHighatomic(Zone zone) {
        return 0;
    }

    /**
     * {@code reserve_highatomic_pageblock}: a high-order atomic allocation (ALLOC_HIGHATOMIC) just
     * took the block at {@code pfn} from the zone; an implementation with migratetypes may turn its
     * pageblock into a MIGRATE_HIGHATOMIC reserve. The default has no reserve.
     */
    protected void reserveHighatomicPageblock(long pfn, int order, Zone zone) {
    }

    /**
     * {@code unreserve_highatomic_pageblock} for one zone of the zonelist: gives one reserved
     * pageblock back to {@code migratetype}, keeping at least one pageblock reserved unless
     * {@code force}. The default has no reserve.
     *
     * @return true if free pages moved out of the reserve
     */
    protected boolean unreserveHighatomicPageblock(Zone zone, int migratetype, boolean force) {
        return false;
    }

    /**
     * True if the implementation can take a given free block off its lists
     * ({@link #isolateFreePage}), which compaction needs. The default cannot.
     */
    protected boolean canIsolateFreePages() {
        return false;
    }

    /** What {@link #isolateFreePage} returns when {@code pfn} heads no free block it can take. */
    protected static final int ISOLATE_NOT_FREE = -1;
    /** What {@link #isolateFreePage} returns when taking the block would leave the zone below min. */
    protected static final int ISOLATE_BELOW_MIN = -2;

    /**
     * {@code __isolate_free_page}: if {@code pfn} heads a free block on the implementation's lists,
     * takes it off them (and out of the zone's free counters) for compaction to migrate into, and
     * returns its order. Under the implementation's lock, it first asks
     * {@link #isolateWatermarkOk} (else {@link #ISOLATE_BELOW_MIN}) and afterwards calls
     * {@link #isolatedFreePage}. The frames stay as a free block's frames are (count 0, no
     * PG_buddy).
     *
     * @return the block's order, {@link #ISOLATE_NOT_FREE} or {@link #ISOLATE_BELOW_MIN}
     */
    protected int isolateFreePage(Zone zone, long pfn) {
        return ISOLATE_NOT_FREE;
    }

    /**
     * The watermark test of {@code __isolate_free_page}: the zone keeps at least its min watermark
     * plus the block in free pages. Call it under the lock that guards the zone's free lists.
     */
    protected final boolean isolateWatermarkOk(Zone zone, int order) {
        long mark = zone.rawWatermark(Watermark.MIN) + (1L << order);
        return WatermarkCheck.zoneWatermarkOk(zone, 0, mark, 0, AllocFlags.ALLOC_CMA, zone.state(ZoneStat.NR_FREE_PAGES), this);
    }

    /**
     * The end of {@code __isolate_free_page}: a block of at least half a pageblock makes its
     * pageblocks MOVABLE (those of a mergeable type). Call it under the same lock.
     */
    protected final void isolatedFreePage(long pfn, int order) {
        if (order < Machine.PAGEBLOCK_ORDER - 1) {
            return;
        }
        long end = pfn + (1L << order);
        for (long p = pfn & -(long) Machine.PAGEBLOCK_NR_PAGES; p < end; p += Machine.PAGEBLOCK_NR_PAGES) {
            if (MigrateType.isMergeable(frames.pageblockMigratetype(p))) {
                frames.setPageblockMigratetype(p, MigrateType.MOVABLE.ordinal());
            }
        }
    }

    /**
     * Gives back a block compaction took ({@code release_free_list}) or freed after migrating
     * its contents away: straight to the free lists, where it merges. The default frees it as any
     * block ({@link #freeFrozenPages}).
     */
    protected void releaseFreePage(Zone zone, long pfn, int order, int cpu) {
        freeFrozenPages(zone, pfn, order, cpu);
    }

    // ---- allocation --------------------------------------------------------------------------

    /** The allocation context ({@code struct alloc_context}). */
    private record AllocContext(Zone[] zonelist, Zone preferred, int highestZoneIdx, int migratetype, int cpu, int localNid) {
    }

    @Override
    public long allocPages(int gfp, int order) {
        int cpu = machine.currentCpu();
        return allocPagesNode(machine.cpuToNode(cpu), gfp, order, cpu);
    }

    @Override
    public long allocPagesNode(int nid, int gfp, int order) {
        int cpu = machine.currentCpu();
        return allocPagesNode(nid, gfp, order, cpu);
    }

    private long allocPagesNode(int nid, int gfp, int order, int cpu) {
        checkOrder(order);
        Gfp.validate(gfp);
        if (nid < 0 || nid >= nodes) {
            throw new IllegalArgumentException("node " + nid + " does not exist: accepted are 0 to " + (nodes - 1));
        }
        long pfn;
        gates.lock(cpu);
        try {
            pfn = latch.isActive() ? allocPagesLocked(nid, gfp, order, cpu) : REDIRECT;
        } finally {
            gates.unlock(cpu);
        }
        return pfn != REDIRECT ? pfn : successorOrWait().allocPagesNode(nid, gfp, order);
    }

    /** A pfn that says: this allocator is not active, ask its successor. */
    private static final long REDIRECT = -2;

    /** {@code __alloc_pages}, with the CPU's gate held. */
    private long allocPagesLocked(int nid, int gfp, int order, int cpu) {
        AllocContext ac = prepareAllocPages(nid, gfp, cpu);
        if (ac.preferred == null) {
            allocFailures++;
            return NO_PAGE;
        }
        int allocFlags = AllocFlags.ALLOC_WMARK_LOW | allocFlagsNofragment(ac.preferred, gfp);
        long pfn = getPageFromFreelist(gfp, order, allocFlags, ac);
        if (pfn == NO_PAGE) {
            pfn = allocPagesSlowpath(gfp, order, ac);
        }
        if (pfn == NO_PAGE) {
            allocFailures++;
        } else {
            prepNewPage(pfn, order, gfp);
        }
        if (tpPageAlloc.enabled()) {
            traceAlloc(pfn, order, ac.migratetype, gfp);
        }
        return pfn;
    }

    /** trace_mm_page_alloc, out of the hot method so that it stays small for the JIT. */
    private void traceAlloc(long pfn, int order, int migratetype, int gfp) {
        tpPageAlloc.emit(KmemTrace.mmPageAllocArgs(pfn, order, migratetype, gfp));
    }

    /** trace_mm_page_free. */
    private void traceFree(long pfn, int order) {
        tpPageFree.emit(KmemTrace.mmPageFreeArgs(pfn, order));
    }

    private static void checkOrder(int order) {
        if (order < 0 || order > MAX_PAGE_ORDER) {
            throw new IllegalArgumentException("order " + order + " is out of range: accepted are 0 to " + MAX_PAGE_ORDER
                    + " (blocks of 1 to " + (1 << MAX_PAGE_ORDER) + " pages)");
        }
    }

    /**
     * The argument checks of {@link #nrFree(Zone, int, int)} (and, with any valid migratetype, of
     * {@link #nrFree(Zone, int)}).
     *
     * @throws IllegalArgumentException for an order or migratetype out of range
     */
    protected static void checkNrFreeArgs(int order, int migratetype) {
        checkOrder(order);
        if (migratetype < 0 || migratetype >= MigrateType.MIGRATE_TYPES) {
            throw new IllegalArgumentException("migratetype " + migratetype + " is out of range: accepted are 0 to "
                    + (MigrateType.MIGRATE_TYPES - 1));
        }
    }

    /** {@code prepare_alloc_pages}: the zonelist of the node (only its own zones for __GFP_THISNODE). */
    private AllocContext prepareAllocPages(int nid, int gfp, int cpu) {
        int highest = Gfp.gfpZone(gfp).ordinal();
        Zone[] zonelist = (gfp & Gfp.__GFP_THISNODE) != 0 ? thisNodeZonelists[nid] : zonelists[nid];
        Zone preferred = null;
        for (Zone z : zonelist) {
            if (z.type().ordinal() <= highest) {
                preferred = z;
                break;
            }
        }
        return new AllocContext(zonelist, preferred, highest, Gfp.gfpMigratetype(gfp).ordinal(), cpu,
                machine.cpuToNode(cpu));
    }

    /**
     * {@code alloc_flags_nofragment}: ALLOC_KSWAPD from the GFP flags, and ALLOC_NOFRAGMENT when the
     * preferred zone is ZONE_NORMAL (with DMA32 below it to fall back on): fragmenting fallbacks are
     * first avoided by trying the other zones.
     */
    private int allocFlagsNofragment(Zone preferred, int gfp) {
        int allocFlags = gfp & Gfp.__GFP_KSWAPD_RECLAIM;
        if (preferred.type() != ZoneType.NORMAL) {
            return allocFlags;
        }
        if (nodes > 1 && !machine.zone(preferred.nid(), ZoneType.DMA32).populated()) {
            return allocFlags;
        }
        return allocFlags | AllocFlags.ALLOC_NOFRAGMENT;
    }

    /**
     * {@code get_page_from_freelist}: the first zone of the zonelist that passes its watermark and
     * has a block. A zone above its high watermark is taken at once; one below it is marked
     * ZONE_BELOW_HIGH (its per-CPU lists then shrink) and checked against the request's mark. With
     * ALLOC_NOFRAGMENT, a pass that finds nothing (or reaches another node) is retried without it.
     */
    private long getPageFromFreelist(int gfp, int order, int allocFlagsIn, AllocContext ac) {
        int allocFlags = allocFlagsIn;
        retry:
        while (true) {
            boolean noFallback = (allocFlags & AllocFlags.ALLOC_NOFRAGMENT) != 0;
            for (Zone zone : ac.zonelist) {
                if (zone.type().ordinal() > ac.highestZoneIdx) {
                    continue;
                }
                if (noFallback && nodes > 1 && zone != ac.preferred && zone.nid() != ac.preferred.nid()) {
                    allocFlags &= ~AllocFlags.ALLOC_NOFRAGMENT;
                    continue retry;
                }
                if (!passesWatermarks(zone, order, allocFlags, ac)) {
                    continue;
                }
                long pfn = rmqueue(ac.preferred, zone, order, ac.migratetype, allocFlags, ac.cpu);
                if (pfn != NO_PAGE) {
                    zoneStatistics(ac.preferred, zone, ac.localNid, ac.cpu);
                    // a high-order atomic allocation: should its pageblock be reserved for the next ones?
                    if ((allocFlags & AllocFlags.ALLOC_HIGHATOMIC) != 0) {
                        reserveHighatomicPageblock(pfn, order, zone);
                    }
                    if ((allocFlags & AllocFlags.ALLOC_KSWAPD) != 0 && zoneFlags.test(zone, ZoneFlags.ZONE_BOOSTED_WATERMARK)) {
                        zoneFlags.clear(zone, ZoneFlags.ZONE_BOOSTED_WATERMARK);
                        wakeupKswapd(zone, 0, 0, zone.type().ordinal());
                    }
                    return pfn;
                }
            }
            if (noFallback) {
                allocFlags &= ~AllocFlags.ALLOC_NOFRAGMENT;
                continue;
            }
            return NO_PAGE;
        }
    }

    /** The watermark part of {@code get_page_from_freelist}. */
    private boolean passesWatermarks(Zone zone, int order, int allocFlags, AllocContext ac) {
        if (!zoneFlags.test(zone, ZoneFlags.ZONE_BELOW_HIGH)) {
            if (WatermarkCheck.zoneWatermarkFast(zone, order, zone.watermark(Watermark.HIGH), ac.highestZoneIdx, allocFlags, this)) {
                return true;
            }
            zoneFlags.set(zone, ZoneFlags.ZONE_BELOW_HIGH);
        }
        long mark = zone.watermark(WATERMARKS[allocFlags & AllocFlags.ALLOC_WMARK_MASK]);
        if (WatermarkCheck.zoneWatermarkFast(zone, order, mark, ac.highestZoneIdx, allocFlags, this)) {
            return true;
        }
        return (allocFlags & AllocFlags.ALLOC_NO_WATERMARKS) != 0;
    }

    /** {@code zone_statistics}: NUMA hit/miss/foreign and local/other, one per allocation. */
    private static void zoneStatistics(Zone preferred, Zone z, int localNid, int cpu) {
        if (z.nid() == preferred.nid()) {
            z.countEvent(cpu, ZoneStat.NUMA_HIT, 1);
        } else {
            z.countEvent(cpu, ZoneStat.NUMA_MISS, 1);
            preferred.countEvent(cpu, ZoneStat.NUMA_FOREIGN, 1);
        }
        z.countEvent(cpu, z.nid() == localNid ? ZoneStat.NUMA_LOCAL : ZoneStat.NUMA_OTHER, 1);
    }

    /**
     * {@code __alloc_pages_slowpath}, up to the point the simulator models so far: wake kswapd,
     * retry at the min watermark with reserve rights, retry ignoring watermarks for
     * __GFP_MEMALLOC, and for __GFP_NOFAIL a last try with ALLOC_MIN_RESERVE if the caller may
     * enter direct reclaim (without it the kernel fails the request). Direct reclaim,
     * compaction and the OOM killer slot in between once they exist.
     */
    private long allocPagesSlowpath(int gfp, int order, AllocContext ac) {
        int allocFlags = AllocFlags.gfpToAllocFlags(gfp, order);
        if ((allocFlags & AllocFlags.ALLOC_KSWAPD) != 0) {
            wakeAllKswapds(order, gfp, ac);
        }
        long pfn = getPageFromFreelist(gfp, order, allocFlags & ~AllocFlags.ALLOC_NO_WATERMARKS, ac);
        if (pfn != NO_PAGE) {
            return pfn;
        }
        // costly orders and non-movable high orders try async compaction before reclaim
        boolean canDirectReclaim = Gfp.allowsBlocking(gfp);
        boolean costly = order > PAGE_ALLOC_COSTLY_ORDER;
        if (canDirectReclaim && (costly || (order > 0 && ac.migratetype != MigrateType.MOVABLE.ordinal()))
                && AllocFlags.gfpPfmemallocFlags(gfp) == 0) {
            DirectCompaction dc = allocPagesDirectCompact(gfp, order, allocFlags & ~AllocFlags.ALLOC_NO_WATERMARKS, ac,
                    Compaction.Mode.ASYNC);
            if (dc.pfn() != NO_PAGE) {
                return dc.pfn();
            }
            // a costly __GFP_NORETRY request gives up if compaction was skipped or deferred
            if (costly && (gfp & Gfp.__GFP_NORETRY) != 0
                    && (dc.rc() == CompactResult.Status.SKIPPED || dc.rc() == CompactResult.Status.DEFERRED)) {
                return nopage(gfp, order, ac);
            }
        }
        int reserveFlags = AllocFlags.gfpPfmemallocFlags(gfp);
        if (reserveFlags != 0) {
            pfn = getPageFromFreelist(gfp, order, reserveFlags | (allocFlags & AllocFlags.ALLOC_KSWAPD), ac);
            if (pfn != NO_PAGE) {
                return pfn;
            }
        }
        // a caller that may reclaim: __alloc_pages_direct_reclaim (nothing to reclaim yet) gives back
        // high-atomic reserve pageblocks but the last one, then should_reclaim_retry, once its retries
        // run out, the last one too (not for costly orders without __GFP_RETRY_MAYFAIL, nor __GFP_NORETRY)
        if (Gfp.allowsBlocking(gfp)) {
            boolean mayForce = (gfp & Gfp.__GFP_NORETRY) == 0
                    && (order <= PAGE_ALLOC_COSTLY_ORDER || (gfp & Gfp.__GFP_RETRY_MAYFAIL) != 0);
            boolean force = false;
            while (true) {
                if (!unreserveHighatomic(ac, force)) {
                    if (force || !mayForce) {
                        break;
                    }
                    force = true;
                    continue;
                }
                pfn = getPageFromFreelist(gfp, order, allocFlags & ~AllocFlags.ALLOC_NO_WATERMARKS, ac);
                if (pfn != NO_PAGE) {
                    return pfn;
                }
            }
        }
        // direct compaction again: sync light (the kernel raises the priority up to 16 times in
        // should_compact_retry), async for __GFP_NORETRY, which then gives up
        if (canDirectReclaim) {
            Compaction.Mode mode = (gfp & Gfp.__GFP_NORETRY) != 0 ? Compaction.Mode.ASYNC : Compaction.Mode.SYNC_LIGHT;
            pfn = allocPagesDirectCompact(gfp, order, allocFlags & ~AllocFlags.ALLOC_NO_WATERMARKS, ac, mode).pfn();
            if (pfn != NO_PAGE) {
                return pfn;
            }
        }
        return nopage(gfp, order, ac);
    }

    /** {@code nopage}: a __GFP_NOFAIL request that may reclaim gets a last try; others fail. */
    private long nopage(int gfp, int order, AllocContext ac) {
        // a __GFP_NOFAIL request that cannot reclaim is refused ("unreasonable nofail requests")
        if ((gfp & Gfp.__GFP_NOFAIL) != 0 && Gfp.allowsBlocking(gfp)) {
            return getPageFromFreelist(gfp, order, AllocFlags.ALLOC_MIN_RESERVE, ac);
        }
        return NO_PAGE;
    }

    /**
     * {@code unreserve_highatomic_pageblock}: the zones of the zonelist the request may use, in
     * order, until one gives a reserved pageblock back to the request's migratetype.
     */
    private boolean unreserveHighatomic(AllocContext ac, boolean force) {
        for (Zone zone : ac.zonelist) {
            if (zone.type().ordinal() > ac.highestZoneIdx) {
                continue;
            }
            if (unreserveHighatomicPageblock(zone, ac.migratetype, force)) {
                return true;
            }
        }
        return false;
    }

    // ---- compaction ----------------------------------------------------------------------------

    @Override
    public CompactResult compactZone(Zone zone, int order) {
        if (order < -1 || order > MAX_PAGE_ORDER) {
            throw new IllegalArgumentException("order " + order + " is out of range: accepted are -1 (the whole zone) and 0 to "
                    + MAX_PAGE_ORDER);
        }
        if (zone == null || zone.nid() >= nodes || zoneById[zoneId(zone)] != zone) {
            throw new IllegalArgumentException("zone " + zone + " is not a zone of this machine");
        }
        int cpu = machine.currentCpu();
        CompactResult result;
        gates.lock(cpu);
        try {
            result = latch.isActive() ? compactZoneLocked(zone, order, cpu) : null;
        } finally {
            gates.unlock(cpu);
        }
        return result != null ? result : successorOrWait().compactZone(zone, order);
    }

    /**
     * {@code compact_node}'s run over one zone ({@code compact_memory}: MIGRATE_SYNC_FULL, the whole
     * zone), or, for an order, a run as kcompactd's (MIGRATE_SYNC_LIGHT against the min watermark)
     * without its deferral: a run asked for is always done.
     */
    private CompactResult compactZoneLocked(Zone zone, int order, int cpu) {
        if (!canIsolateFreePages()) {
            throw new IllegalStateException(implName() + " does not compact memory: it cannot isolate a given free block");
        }
        Compaction.Mode mode = order < 0 ? Compaction.Mode.SYNC_FULL : Compaction.Mode.SYNC_LIGHT;
        CompactResult r = compaction.compactZone(zone, order, mode, false, MigrateType.MOVABLE.ordinal(), zone.type().ordinal(),
                AllocFlags.ALLOC_WMARK_MIN, cpu);
        compactionEvents.add(r);
        return r;
    }

    /** What compaction counted, as /proc/vmstat's {@code compact_*} and {@code pgmigrate_*} lines. */
    public CompactionEvents compactionEvents() {
        return compactionEvents;
    }

    private final CompactionEvents compactionEvents = new CompactionEvents();

    /** What {@link #allocPagesDirectCompact} got, and how compaction went ({@code compact_result}). */
    private record DirectCompaction(long pfn, CompactResult.Status rc) {
    }

    /**
     * {@code __alloc_pages_direct_compact}: compacts the zones of the zonelist that are worth it
     * ({@code try_to_compact_pages}: deferred zones skipped, the best result kept, deferral after a
     * sync run that ended without success), then, unless every zone was skipped, counts a stall,
     * tries the freelists again and counts a success or a failure. Order 0 never compacts, nor a
     * request without __GFP_IO ({@code gfp_compaction_allowed}).
     */
    private DirectCompaction allocPagesDirectCompact(int gfp, int order, int allocFlags, AllocContext ac, Compaction.Mode mode) {
        if (order == 0 || (gfp & Gfp.__GFP_IO) == 0 || !canIsolateFreePages()) {
            return new DirectCompaction(NO_PAGE, CompactResult.Status.SKIPPED);
        }
        CompactResult.Status rc = CompactResult.Status.SKIPPED;
        for (Zone zone : ac.zonelist) {
            if (zone.type().ordinal() > ac.highestZoneIdx) {
                continue;
            }
            if (mode != Compaction.Mode.SYNC_FULL && compaction.compactionDeferred(zone, order)) {
                rc = max(rc, CompactResult.Status.DEFERRED);
                continue;
            }
            CompactResult r = compaction.compactZone(zone, order, mode, true, ac.migratetype, ac.highestZoneIdx, allocFlags, ac.cpu);
            compactionEvents.add(r);
            rc = max(rc, r.status());
            if (r.status() == CompactResult.Status.SUCCESS) {
                compaction.compactionDeferReset(zone, order, false);
                break;
            }
            if (mode != Compaction.Mode.ASYNC && (r.status() == CompactResult.Status.COMPLETE
                    || r.status() == CompactResult.Status.PARTIAL_SKIPPED)) {
                compaction.deferCompaction(zone, order);
            }
        }
        if (rc.compareTo(CompactResult.Status.SKIPPED) <= 0) {
            return new DirectCompaction(NO_PAGE, rc);
        }
        compactionEvents.countStall();
        long pfn = getPageFromFreelist(gfp, order, allocFlags, ac);
        if (pfn != NO_PAGE) {
            compaction.compactionDeferReset(zoneOf(pfn), order, true);
            compactionEvents.countSuccess();
        } else {
            compactionEvents.countFail();
        }
        return new DirectCompaction(pfn, rc);
    }

    private static CompactResult.Status max(CompactResult.Status a, CompactResult.Status b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** {@code zone->compact_defer_shift}, for tests. */
    public int compactDeferShift(Zone zone) {
        return compaction.deferShift(zone);
    }

    /** {@code wake_all_kswapds}: wakes kswapd of each node of the zonelist, once per node. */
    private void wakeAllKswapds(int order, int gfp, AllocContext ac) {
        int lastNid = -1;
        for (Zone zone : ac.zonelist) {
            if (zone.type().ordinal() > ac.highestZoneIdx || zone.nid() == lastNid) {
                continue;
            }
            lastNid = zone.nid();
            wakeupKswapd(zone, gfp, order, ac.highestZoneIdx);
        }
    }

    /**
     * {@code wakeup_kswapd}: tells the node's kswapd that a zone failed its low watermark (or that a
     * fallback boosted its watermarks). Counted, and traced as {@code vmscan:mm_vmscan_wakeup_kswapd};
     * reclaim takes it from here once it exists.
     */
    protected void wakeupKswapd(Zone zone, int gfp, int order, int highestZoneIdx) {
        kswapdWakeups++;
        Tracepoint tp = trace.mmVmscanWakeupKswapd;
        if (tp.enabled()) {
            tp.emit(KmemTrace.mmVmscanWakeupKswapdArgs(zone.nid(), order, gfp));
        }
    }

    /** How often the slow path woke kswapd. */
    public long kswapdWakeups() {
        return kswapdWakeups;
    }

    /** How many allocations failed. */
    public long allocFailures() {
        return allocFailures;
    }

    /**
     * {@code prep_new_page}/{@code post_alloc_hook}: one reference, the order in the head's flags,
     * PG_head for a compound (__GFP_COMP) block; __GFP_ZERO clears the contents. The caller records
     * itself as the owner if it wants to be known ({@link FrameTable#setOwner}).
     */
    private void prepNewPage(long pfn, int order, int gfp) {
        FrameTable ft = frames;
        checkNewPage(ft, pfn, order);
        ft.setRefcount(pfn, 1);
        ft.setOrder(pfn, order);
        if (order > 0 && (gfp & Gfp.__GFP_COMP) != 0) {
            ft.set(pfn, PageFlags.PG_head);
        }
        if ((gfp & Gfp.__GFP_ZERO) != 0) {
            long end = pfn + (1L << order);
            for (long p = pfn; p < end; p++) {
                ft.setContentToken(p, 0);
            }
        }
    }

    /**
     * {@code check_new_page}: the block {@link #rmqueue} returned must be free, aligned and of
     * this machine; anything else is a broken allocator ({@code bad_page}: "Bad page state").
     */
    private void checkNewPage(FrameTable ft, long pfn, int order) {
        if (pfn >= 0 && (pfn & ((1L << order) - 1)) == 0 && ft.pfnValid(pfn) && ft.refcount(pfn) == 0
                && !ft.test(pfn, PageFlags.PG_reserved)) {
            return;
        }
        String what = pfn < 0 || !ft.pfnValid(pfn) ? "is not a page frame of this machine"
                : (pfn & ((1L << order) - 1)) != 0 ? "is not aligned to order " + order
                : ft.test(pfn, PageFlags.PG_reserved) ? "is reserved"
                : "is already allocated (page count " + ft.refcount(pfn) + ")";
        throw new ContractViolation(String.format("BUG: Bad page state: %s handed out pfn 0x%x at order %d, which %s",
                implName(), pfn, order, what));
    }

    // ---- freeing -----------------------------------------------------------------------------

    @Override
    public void freePages(long pfn, int order) {
        checkOrder(order);
        int cpu = machine.currentCpu();
        gates.lock(cpu);
        try {
            if (latch.isActive()) {
                freePagesLocked(pfn, order, cpu);
                return;
            }
        } finally {
            gates.unlock(cpu);
        }
        successorOrWait().freePages(pfn, order);
    }

    /** {@code __free_pages}, with the CPU's gate held. */
    private void freePagesLocked(long pfn, int order, int cpu) {
        FrameTable ft = frames;
        String bad = FrameState.badFree(ft, pfn, order);
        if (bad != null) {
            throw new IllegalArgumentException(bad);
        }
        int count = ft.refcount(pfn);
        if (count > 1) {
            ft.setRefcount(pfn, count - 1);
            return;
        }
        if (tpPageFree.enabled()) {
            traceFree(pfn, order);
        }
        freePagesPrepare(pfn);
        freeFrozenPages(zoneOf(pfn), pfn, order, cpu);
    }

    @Override
    public void freePagesBatched(long[] pfns) {
        FrameAllocator.checkBatch(pfns);
        int cpu = machine.currentCpu();
        gates.lock(cpu);
        try {
            if (latch.isActive()) {
                freePagesBatchedLocked(pfns, cpu);
                return;
            }
        } finally {
            gates.unlock(cpu);
        }
        successorOrWait().freePagesBatched(pfns);
    }

    /**
     * {@code folios_put_refs} and {@code free_unref_folios}, with the CPU's gate held: every page
     * checked first; then, a batch of {@link #PAGEVEC_SIZE} at a time, each page dropped or
     * prepared, then each prepared one freed.
     */
    private void freePagesBatchedLocked(long[] pfns, int cpu) {
        FrameTable ft = frames;
        for (long pfn : pfns) {
            String bad = FrameState.badFree(ft, pfn, 0);
            if (bad != null) {
                throw new IllegalArgumentException(bad + " (in a batch of " + pfns.length + "; nothing was freed)");
            }
        }
        long[] batch = new long[PAGEVEC_SIZE];
        Tracepoint batched = trace.mmPageFreeBatched;
        for (int start = 0; start < pfns.length; start += PAGEVEC_SIZE) {
            int n = 0;
            for (int i = start; i < Math.min(start + PAGEVEC_SIZE, pfns.length); i++) {
                long pfn = pfns[i];
                int count = ft.refcount(pfn);
                if (count > 1) {
                    ft.setRefcount(pfn, count - 1);
                    continue;
                }
                if (tpPageFree.enabled()) {
                    traceFree(pfn, 0);
                }
                freePagesPrepare(pfn);
                batch[n++] = pfn;
            }
            for (int i = 0; i < n; i++) {
                if (batched.enabled()) {
                    batched.emit(KmemTrace.mmPageFreeBatchedArgs(batch[i]));
                }
                freeFrozenPages(zoneOf(batch[i]), batch[i], 0, cpu);
            }
        }
    }

    /** Where a call goes when this allocator is not active ({@link HandoverLatch#successorOrWait}). */
    private FrameAllocator successorOrWait() {
        return latch.successorOrWait(this);
    }

    /** {@code free_pages_prepare}: the head loses its flags, order, owner, charge and reference. */
    private void freePagesPrepare(long pfn) {
        frames.clearFrame(pfn);
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    @Override
    public synchronized void adopt(Handover from) {
        gates.lockAll();
        try {
            resetFreeLists();
            zoneFlags.reset();
            for (Zone zone : machine.zones()) {
                zone.modState(ZoneStat.NR_FREE_PAGES, -zone.state(ZoneStat.NR_FREE_PAGES));
                zone.modState(ZoneStat.NR_FREE_PAGES_BLOCKS, -zone.state(ZoneStat.NR_FREE_PAGES_BLOCKS));
                if (zone.spannedPages() > 0) {
                    adoptZone(zone);
                }
            }
            latch.activate();
        } finally {
            gates.unlockAll();
        }
    }

    /** Scans a zone: skips reserved frames and allocated blocks, hands each run of free frames over. */
    private void adoptZone(Zone zone) {
        FrameTable ft = frames;
        long start = zone.startPfn();
        long end = zone.endPfn();
        long runStart = -1;
        long pfn = start;
        while (pfn < end) {
            // pfn_valid changes only at section boundaries
            if ((pfn == start || (pfn & (SECTION_PAGES - 1)) == 0) && !ft.pfnValid(pfn)) {
                runStart = closeRun(zone, runStart, pfn);
                pfn = (pfn | (SECTION_PAGES - 1)) + 1;
                continue;
            }
            int f = ft.flags(pfn);
            if ((f & RESERVED) != 0) {
                runStart = closeRun(zone, runStart, pfn);
                pfn++;
            } else if (FrameState.isAllocatedHead(f, ft.refcount(pfn))) {
                runStart = closeRun(zone, runStart, pfn);
                pfn += 1L << ft.order(pfn);
            } else {
                if (runStart < 0) {
                    runStart = pfn;
                }
                // a free frame forgets the previous allocator's marks; most have none (the check runs inside a hand-over's pause)
                if ((f & (BUDDY | PCP)) != 0 || ft.order(pfn) != 0) {
                    ft.clear(pfn, PageFlags.PG_buddy);
                    ft.clear(pfn, PageFlags.PG_pcp);
                    ft.setListLinks(pfn, 0, 0);
                    ft.setOrder(pfn, 0);
                }
                pfn++;
            }
        }
        closeRun(zone, runStart, Math.min(pfn, end));
    }

    /** Hands the open run of free frames, if any, over as blocks; returns "no run open". */
    private long closeRun(Zone zone, long runStart, long runEnd) {
        if (runStart >= 0 && runEnd > runStart) {
            adoptRun(zone, runStart, runEnd);
        }
        return -1;
    }

    /** {@code __free_pages_memory}: the largest aligned blocks of a run, lowest pfn first. */
    private void adoptRun(Zone zone, long start, long end) {
        largestAlignedBlocks(start, end, (pfn, order) -> adoptFreeBlock(zone, pfn, order));
    }

    /** Receives a block: its first pfn and order. */
    @FunctionalInterface
    protected interface BlockConsumer {
        void accept(long pfn, int order);
    }

    /**
     * Cuts the run of frames {@code [start, end)} into the largest aligned blocks (order 10 at
     * most), lowest pfn first, as {@code __free_pages_memory} frees memory at boot and as
     * /proc/buddyinfo would count a free run.
     */
    protected static void largestAlignedBlocks(long start, long end, BlockConsumer blocks) {
        long pfn = start;
        while (pfn < end) {
            int order = Math.min(MAX_PAGE_ORDER, Long.numberOfTrailingZeros(pfn));
            while (pfn + (1L << order) > end) {
                order--;
            }
            blocks.accept(pfn, order);
            pfn += 1L << order;
        }
    }

    /**
     * Stops every call (each CPU's gate), returns the per-CPU lists to the zones and marks the
     * allocator inactive: from here the frame table says everything. Calls that arrive wait
     * until {@link #forwardTo} names the successor or {@link #adopt} takes the machine back.
     */
    @Override
    public synchronized Handover quiesce() {
        gates.lockAll();
        try {
            drainPages();
            latch.quiesce();
        } finally {
            gates.unlockAll();
        }
        return new Handover(CONTRACT, implName(), Map.of());
    }

    @Override
    public void forwardTo(Subsystem next) {
        if (!(next instanceof FrameAllocator)) {
            throw new IllegalArgumentException("a FrameAllocator can only hand over to a FrameAllocator, not " + next);
        }
        latch.forwardTo((FrameAllocator) next);
    }

    /** True between {@link #adopt} and {@link #quiesce}. */
    public boolean isActive() {
        return latch.isActive();
    }

    /** Returns every frame on per-CPU lists to the zones ({@code drain_all_pages}), with every CPU stopped. */
    @Override
    public final void drainAllPages() {
        gates.lockAll();
        try {
            drainPages();
        } finally {
            gates.unlockAll();
        }
    }

    /** Empties the implementation's per-CPU caches into the zones; called with every CPU's gate held. */
    protected void drainPages() {
    }

    @Override
    public int pcpCount(Zone zone, int cpu) {
        return 0;
    }

    @Override
    public int pcpHigh(Zone zone, int cpu) {
        return 0;
    }

    /**
     * The frame-table invariants every allocator keeps, then the implementation's own: free
     * frames counted from the table (those of MIGRATE_ISOLATE pageblocks excepted) equal the zone's
     * NR_FREE_PAGES; allocated blocks are aligned, of a valid order and inside their zone.
     */
    @Override
    public List<String> check() {
        gates.lockAll();
        try {
            return checkStopped();
        } finally {
            gates.unlockAll();
        }
    }

    private static final long SECTION_PAGES = Machine.PAGES_PER_SECTION;
    private static final int RESERVED = 1 << PageFlags.PG_reserved;
    private static final int BUDDY = 1 << PageFlags.PG_buddy;
    private static final int PCP = 1 << PageFlags.PG_pcp;

    /** An allocated block's head: aligned, of a valid order, inside the zone, its other frames unreferenced; returns the pfn after it. */
    private static long checkAllocatedBlock(List<String> problems, Zone zone, FrameTable ft, long pfn, long end) {
        int order = ft.order(pfn);
        if (order > MAX_PAGE_ORDER || (pfn & ((1L << order) - 1)) != 0 || pfn + (1L << order) > end) {
            problems.add(String.format("%s: allocated block at pfn 0x%x has order %d, misaligned or beyond the zone", zone, pfn, order));
            return pfn + 1;
        }
        for (long p = pfn + 1; p < pfn + (1L << order); p++) {
            if ((ft.flags(p) & BUDDY) != 0 || ft.refcount(p) != 0) {
                problems.add(String.format("%s: pfn 0x%x inside the order-%d block at 0x%x is %s", zone, p, order, pfn,
                        ft.test(p, PageFlags.PG_buddy) ? "on a free list" : "referenced on its own"));
            }
        }
        return pfn + (1L << order);
    }

    /** A block on a per-CPU list: its other frames are neither referenced nor marked as free blocks of their own. */
    private static void checkPcpBlock(List<String> problems, Zone zone, FrameTable ft, long pfn, int order, long end) {
        for (long p = pfn + 1; p < pfn + (1L << order) && p < end; p++) {
            if ((ft.flags(p) & (BUDDY | PCP)) != 0 || ft.refcount(p) != 0) {
                problems.add(String.format("%s: pfn 0x%x inside the order-%d block at 0x%x on a per-CPU list is %s", zone, p, order,
                        pfn, ft.refcount(p) != 0 ? "referenced (page count " + ft.refcount(p) + ")" : "marked as a free block of its own"));
            }
        }
    }

    private List<String> checkStopped() {
        List<String> problems = new ArrayList<>();
        FrameTable ft = frames;
        for (Zone zone : machine.zones()) {
            if (zone.spannedPages() == 0) {
                continue;
            }
            long free = 0;
            long onPcp = 0;
            long start = zone.startPfn();
            long end = zone.endPfn();
            int isolate = MigrateType.ISOLATE.ordinal();
            long pfn = start;
            // pageblock by pageblock, so that the frames of one are an int-counted loop the JIT optimises;
            // pfn_valid and the pageblock's type change only at section and pageblock boundaries
            while (pfn < end) {
                if (!ft.pfnValid(pfn)) {
                    pfn = (pfn | (SECTION_PAGES - 1)) + 1;
                    continue;
                }
                long block = pfn & -Machine.PAGEBLOCK_NR_PAGES;
                boolean isolated = ft.pageblockMigratetype(pfn) == isolate;
                int n = (int) (Math.min(block + Machine.PAGEBLOCK_NR_PAGES, end) - block);
                int i = (int) (pfn - block);
                while (i < n) {
                    long p = block + i;
                    int f = ft.flags(p);
                    if ((f & RESERVED) != 0) {
                        i++;
                    } else if (FrameState.isAllocatedHead(f, ft.refcount(p))) {
                        i = (int) (checkAllocatedBlock(problems, zone, ft, p, end) - block);
                    } else if ((f & PCP) != 0) {
                        int order = ft.order(p);
                        checkPcpBlock(problems, zone, ft, p, order, end);
                        onPcp += 1L << order;
                        free += 1L << order;
                        i += 1 << order;
                    } else {
                        // account_freepages: free pages of MIGRATE_ISOLATE pageblocks are not in NR_FREE_PAGES
                        if (!isolated) {
                            free++;
                        }
                        i++;
                    }
                }
                pfn = block + i;
            }
            long counted = zone.state(ZoneStat.NR_FREE_PAGES);
            if (free - onPcp != counted) {
                problems.add(String.format("%s: %d frames are free in the frame table%s but NR_FREE_PAGES is %d", zone, free,
                        onPcp == 0 ? "" : " (" + onPcp + " of them on per-CPU lists)", counted));
            }
            long pcpCounts = 0;
            for (int cpu = 0; cpu < machine.cpuCount(); cpu++) {
                pcpCounts += pcpCount(zone, cpu);
            }
            if (pcpCounts != onPcp) {
                problems.add(String.format("%s: %d frames are marked as on per-CPU lists but the lists count %d", zone, onPcp,
                        pcpCounts));
            }
        }
        checkFreeLists(problems);
        return problems;
    }
}

package mm.core.page;

import java.util.Arrays;
import mm.api.frame.CompactResult;
import mm.api.frame.CompactResult.Status;
import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.MovableOps;
import mm.api.machine.PageFlags;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.trace.Tracepoint;
import mm.core.trace.KmemTrace;

/**
 * Memory compaction (mm/compaction.c) for any {@link PageAllocatorCore}: {@code compact_zone}
 * with its two scanners, {@code compaction_alloc}, the migration of each isolated block, and the
 * per-zone deferral of direct compaction after failures.
 *
 * <p>The migrate scanner ({@code isolate_migratepages}) walks the zone pageblock by pageblock from
 * its start, isolating up to {@link #COMPACT_CLUSTER_MAX} pages of movable allocated blocks — blocks
 * whose owner registered {@link MovableOps} and agrees to the move. The free scanner
 * ({@code isolate_freepages}) walks pageblocks down from the zone's end and takes free blocks off
 * the allocator's lists ({@code __isolate_free_page}, through
 * {@link PageAllocatorCore#isolateFreePage}) in MOVABLE pageblocks that do not start with a free
 * block of the order sought (this machine has no CMA), never below the min watermark. Each isolated
 * block moves into a free block of its order ({@code compaction_alloc} splits larger ones): its
 * frames are copied — flags, counts, owner, charge, content token —, the owner is told, and the
 * old block is freed, where it merges with its neighbours. Compaction ends when the scanners meet
 * ({@code complete}), when no free block is left for a block to move into ({@code contended}), or,
 * for an order, as soon as a block of that order is free where the request may take it
 * ({@code success}).
 *
 * <p>Not modelled: the pageblock skip bits and cached scanner positions (every run starts at the
 * zone's ends), {@code fast_isolate_freepages}/{@code fast_find_migrateblock}, kcompactd and
 * proactive compaction, the compaction tracepoints (the kmem ones are: each block compaction
 * frees prints {@code mm_page_free}, as in the kernel).
 */
final class Compaction {

    /** {@code COMPACT_CLUSTER_MAX} (= SWAP_CLUSTER_MAX): pages isolated for migration per pass. */
    static final int COMPACT_CLUSTER_MAX = 32;
    /** {@code COMPACT_MAX_DEFER_SHIFT}: after failures, up to 2^6 attempts are skipped. */
    static final int COMPACT_MAX_DEFER_SHIFT = 6;
    private static final Watermark[] WATERMARKS = Watermark.values();
    private static final int PAGEBLOCK = Machine.PAGEBLOCK_NR_PAGES;
    private static final int PAGEBLOCK_ORDER = Machine.PAGEBLOCK_ORDER;
    private static final int NOT_MOVABLE = (1 << PageFlags.PG_reserved) | (1 << PageFlags.PG_buddy) | (1 << PageFlags.PG_pcp)
            | (1 << PageFlags.PG_slab) | (1 << PageFlags.PG_table);

    /** The modes of {@code enum migrate_mode} compaction uses. */
    enum Mode {
        /** MIGRATE_ASYNC: direct compaction's first try; from pageblocks of the request's type only. */
        ASYNC,
        /** MIGRATE_SYNC_LIGHT. */
        SYNC_LIGHT,
        /** MIGRATE_SYNC_FULL: compact_memory. */
        SYNC_FULL
    }

    private final PageAllocatorCore allocator;
    private final FrameTable ft;
    private final Machine machine;
    // zone->compact_considered, compact_defer_shift, compact_order_failed, by zone id
    private final int[] considered;
    private final int[] deferShift;
    private final int[] orderFailed;

    Compaction(PageAllocatorCore allocator, Machine machine, int zoneIds) {
        this.allocator = allocator;
        this.machine = machine;
        this.ft = machine.frames();
        this.considered = new int[zoneIds];
        this.deferShift = new int[zoneIds];
        this.orderFailed = new int[zoneIds];
    }

    /** {@code struct compact_control}: one run over one zone. */
    private static final class CompactControl {
        final Zone zone;
        final int order;
        final Mode mode;
        final boolean direct;
        final int migratetype;
        final int cpu;
        long migratePfn;
        long freePfn;
        /** Isolated blocks to migrate: pfn << 4 | order. */
        final LongList migratePages = new LongList();
        int nrMigratePages;
        /** Isolated free blocks by order ({@code cc->freepages[order]}). */
        final LongList[] freePages = new LongList[FrameAllocator.NR_PAGE_ORDERS];
        long nrFreePages;
        long migrateScanned;
        long freeScanned;
        long isolated;
        long migrated;
        long failed;

        CompactControl(Zone zone, int order, Mode mode, boolean direct, int migratetype, int cpu) {
            this.zone = zone;
            this.order = order;
            this.mode = mode;
            this.direct = direct;
            this.migratetype = migratetype;
            this.cpu = cpu;
            for (int o = 0; o < freePages.length; o++) {
                freePages[o] = new LongList();
            }
        }

        CompactResult result(Status status) {
            return new CompactResult(zone, status, migrateScanned, freeScanned, isolated, migrated, failed);
        }
    }

    /**
     * {@code compact_zone}: for order -1 the whole zone ({@code compact_memory}); for an order, first
     * {@code compaction_suit_allocation_order} (already enough? worth it?), then until a block of
     * that order is free.
     */
    CompactResult compactZone(Zone zone, int order, Mode mode, boolean direct, int migratetype, int highestZoneIdx,
            int allocFlags, int cpu) {
        if (zone.presentPages() == 0 || zone.managedPages() == 0) {
            return CompactResult.of(zone, Status.NOT_SUITABLE_ZONE);
        }
        if (order >= 0) {
            long mark = zone.watermark(WATERMARKS[allocFlags & AllocFlags.ALLOC_WMARK_MASK]);
            if (WatermarkCheck.zoneWatermarkOk(zone, order, mark, highestZoneIdx, allocFlags, zone.state(ZoneStat.NR_FREE_PAGES),
                    allocator)) {
                return CompactResult.of(zone, Status.SUCCESS);
            }
            if (!compactionSuitable(zone, order, highestZoneIdx)) {
                return CompactResult.of(zone, Status.SKIPPED);
            }
        }
        CompactControl cc = new CompactControl(zone, order, mode, direct, migratetype, cpu);
        cc.migratePfn = zone.startPfn();
        cc.freePfn = pageblockStart(zone.endPfn() - 1);
        Status status;
        try {
            while ((status = compactFinished(cc)) == null) {
                isolateMigratepages(cc);
                if (cc.nrMigratePages > 0 && !migratePages(cc)) {
                    // compaction_alloc found no free block (-ENOMEM): contended, unless the scanners met
                    status = scannersMet(cc) ? Status.COMPLETE : Status.CONTENDED;
                    break;
                }
            }
        } finally {
            putbackMovablePages(cc);
            releaseFreepages(cc);
        }
        return cc.result(status);
    }

    /**
     * {@code compaction_suitable}: enough free order-0 pages to migrate into (the low watermark for
     * costly orders, else min, plus {@code compact_gap} = 2 &lt;&lt; order), and for costly orders a
     * fragmentation index above {@code vm.extfrag_threshold} (below it, the request fails for lack
     * of memory, which compaction cannot fix).
     */
    boolean compactionSuitable(Zone zone, int order, int highestZoneIdx) {
        long mark = (order > FrameAllocator.PAGE_ALLOC_COSTLY_ORDER ? zone.watermark(Watermark.LOW) : zone.watermark(Watermark.MIN))
                + (2L << order);
        if (!WatermarkCheck.zoneWatermarkOk(zone, 0, mark, highestZoneIdx, AllocFlags.ALLOC_CMA, zone.state(ZoneStat.NR_FREE_PAGES),
                allocator)) {
            return false;
        }
        if (order > FrameAllocator.PAGE_ALLOC_COSTLY_ORDER) {
            int fragindex = FragmentationIndex.fragmentationIndex(allocator, zone, order);
            return !(fragindex >= 0 && fragindex <= machine.extfragThreshold());
        }
        return true;
    }

    /**
     * {@code compact_finished}: null to go on; {@code complete} when the scanners met; for an order,
     * {@code success} once a free block of it sits where the request can take it
     * ({@code __compact_finished}).
     */
    private Status compactFinished(CompactControl cc) {
        if (scannersMet(cc)) {
            return Status.COMPLETE;
        }
        if (cc.order < 0) {
            return null;
        }
        for (int o = cc.order; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            if (allocator.nrFree(cc.zone, o, cc.migratetype) > 0) {
                return Status.SUCCESS;
            }
            if (suitableFallback(cc.zone, o, cc.migratetype)) {
                // movable pages are fine in any pageblock; others finish the pageblock they are in first
                return cc.migratetype == MigrateType.MOVABLE.ordinal() || (cc.migratePfn & (PAGEBLOCK - 1)) == 0
                        ? Status.SUCCESS : null;
            }
        }
        return null;
    }

    /** {@code compact_scanners_met}: the free scanner's pageblock is at or below the migrate scanner's. */
    private static boolean scannersMet(CompactControl cc) {
        return (cc.freePfn >> PAGEBLOCK_ORDER) <= (cc.migratePfn >> PAGEBLOCK_ORDER);
    }

    /**
     * {@code find_suitable_fallback(area, order, migratetype, true) >= 0}: the request may claim a
     * block of another per-CPU type ({@code should_try_claim_block}: a block of at least half a
     * pageblock, or an unmovable or reclaimable request) and one is free. Every per-CPU type falls
     * back on the two others (the 6.x fallback table).
     */
    private boolean suitableFallback(Zone zone, int order, int migratetype) {
        boolean claimable = order >= PAGEBLOCK_ORDER / 2 || migratetype != MigrateType.MOVABLE.ordinal();
        if (!claimable || migratetype >= MigrateType.MIGRATE_PCPTYPES) {
            return false;
        }
        for (int mt = 0; mt < MigrateType.MIGRATE_PCPTYPES; mt++) {
            if (mt != migratetype && allocator.nrFree(zone, order, mt) > 0) {
                return true;
            }
        }
        return false;
    }

    // ---- the migrate scanner -------------------------------------------------------------------

    /**
     * {@code isolate_migratepages}: from the migrate scanner's position, the next pageblock below the
     * free scanner that may be a source; {@code isolate_migratepages_block} isolates up to
     * {@link #COMPACT_CLUSTER_MAX} pages from it, and the scanner stays where it stopped.
     */
    private void isolateMigratepages(CompactControl cc) {
        long end = cc.zone.endPfn();
        while (cc.nrMigratePages == 0 && (cc.migratePfn >> PAGEBLOCK_ORDER) < (cc.freePfn >> PAGEBLOCK_ORDER)) {
            long blockEnd = Math.min(pageblockStart(cc.migratePfn) + PAGEBLOCK, end);
            if (!ft.pfnValid(cc.migratePfn) || !suitableMigrationSource(cc, cc.migratePfn)) {
                cc.migratePfn = blockEnd;
                continue;
            }
            cc.migratePfn = isolateMigratepagesBlock(cc, cc.migratePfn, blockEnd);
            return;
        }
    }

    /**
     * {@code suitable_migration_source}: async direct compaction only takes pages from pageblocks of
     * the request's own kind (movable ones for a movable request); other modes from any pageblock.
     */
    private boolean suitableMigrationSource(CompactControl cc, long pfn) {
        if (cc.mode != Mode.ASYNC || !cc.direct) {
            return true;
        }
        // the request's own kind (MOVABLE would also take CMA, which this machine does not have)
        return ft.pageblockMigratetype(pfn) == cc.migratetype;
    }

    /**
     * {@code isolate_migratepages_block}: skips free blocks, reserved, slab and page-table frames,
     * blocks too large to move ({@code skip_isolation_on_order}) and blocks whose owner cannot
     * move them; isolates the rest until {@link #COMPACT_CLUSTER_MAX} pages are isolated.
     *
     * @return the pfn to go on from
     */
    private long isolateMigratepagesBlock(CompactControl cc, long lowPfn, long endPfn) {
        long pfn = lowPfn;
        long scanned = 0;
        while (pfn < endPfn) {
            int f = ft.flags(pfn);
            if ((f & (1 << PageFlags.PG_buddy)) != 0) {
                int order = ft.order(pfn);
                scanned += 1L << order;
                pfn += 1L << order;
                continue;
            }
            scanned++;
            if ((f & NOT_MOVABLE) != 0 || ft.refcount(pfn) == 0) {
                pfn++;
                continue;
            }
            int order = ft.order(pfn);
            if (skipIsolationOnOrder(order, cc.order)) {
                scanned += (1L << order) - 1;
                pfn += 1L << order;
                continue;
            }
            MovableOps ops = machine.movableOps(ft.owner(pfn));
            if (ops != null && ops.isolatePage(pfn, order)) {
                cc.migratePages.add(pfn << 4 | order);
                cc.nrMigratePages += 1 << order;
                cc.isolated += 1L << order;
            }
            scanned += (1L << order) - 1;
            pfn += 1L << order;
            if (cc.nrMigratePages >= COMPACT_CLUSTER_MAX) {
                break;
            }
        }
        cc.migrateScanned += scanned;
        return Math.min(pfn, endPfn);
    }

    /**
     * {@code skip_isolation_on_order}: a block as large as a pageblock never moves, nor, for a
     * request of an order, one at least that large.
     */
    static boolean skipIsolationOnOrder(int order, int targetOrder) {
        if (targetOrder >= 0 && order >= targetOrder) {
            return true;
        }
        return order >= PAGEBLOCK_ORDER;
    }

    // ---- the free scanner ----------------------------------------------------------------------

    /**
     * {@code isolate_freepages}: pageblocks down from the free scanner's position to the one above
     * the migrate scanner; in each suitable one, free blocks are taken until there are as many free
     * pages as pages to migrate. The scanner stays where it stopped.
     */
    private void isolateFreepages(CompactControl cc) {
        long lowPfn = pageblockStart(cc.migratePfn) + PAGEBLOCK;
        long blockStart = pageblockStart(cc.freePfn);
        long isolateStart = cc.freePfn;
        long zoneEnd = cc.zone.endPfn();
        for (; blockStart >= lowPfn; blockStart -= PAGEBLOCK, isolateStart = blockStart) {
            long blockEnd = Math.min(blockStart + PAGEBLOCK, zoneEnd);
            if (!ft.pfnValid(blockStart) || !suitableMigrationTarget(cc, blockStart)) {
                continue;
            }
            isolateStart = isolateFreepagesBlock(cc, Math.max(isolateStart, blockStart), blockEnd);
            if (cc.nrFreePages >= cc.nrMigratePages) {
                // enough: go on in this block next time, or in the one below if this one is done
                if (isolateStart >= blockEnd) {
                    isolateStart = blockStart - PAGEBLOCK;
                }
                break;
            } else if (isolateStart < blockEnd) {
                // isolation failed early (the zone is at its min watermark): do not go on needlessly
                break;
            }
        }
        cc.freePfn = isolateStart;
    }

    /**
     * {@code suitable_migration_target}: not a pageblock that starts with a free block of the
     * order asked for (pageblock order for the whole zone) — compaction would fill what it is
     * making —, and a MOVABLE one; free pages of other pageblocks stay there.
     */
    private boolean suitableMigrationTarget(CompactControl cc, long pfn) {
        if (ft.test(pfn, PageFlags.PG_buddy) && ft.order(pfn) >= (cc.order > 0 ? cc.order : PAGEBLOCK_ORDER)) {
            return false;
        }
        return ft.pageblockMigratetype(pfn) == MigrateType.MOVABLE.ordinal();
    }

    /**
     * {@code isolate_freepages_block}: takes the free blocks of {@code [start, end)} off the
     * allocator's lists ({@link PageAllocatorCore#isolateFreePage}) until enough are isolated or
     * the zone would drop below its min watermark.
     *
     * @return where it stopped
     */
    private long isolateFreepagesBlock(CompactControl cc, long start, long end) {
        long pfn = start;
        long scanned = 0;
        while (pfn < end) {
            scanned++;
            int f = ft.flags(pfn);
            if (FrameState.isAllocatedHead(f, ft.refcount(pfn))) {
                pfn += 1L << ft.order(pfn);
                continue;
            }
            if ((f & ((1 << PageFlags.PG_reserved) | (1 << PageFlags.PG_pcp))) != 0) {
                pfn++;
                continue;
            }
            int order = allocator.isolateFreePage(cc.zone, pfn);
            if (order == PageAllocatorCore.ISOLATE_BELOW_MIN) {
                break;
            }
            if (order < 0) {
                pfn++;
                continue;
            }
            cc.freePages[order].add(pfn);
            cc.nrFreePages += 1L << order;
            cc.isolated += 1L << order;
            pfn += 1L << order;
            if (cc.nrFreePages >= cc.nrMigratePages) {
                break;
            }
        }
        cc.freeScanned += scanned;
        return pfn;
    }

    /**
     * {@code compaction_alloc}: the smallest isolated free block of at least {@code order}, after
     * running the free scanner if there is none; the rest of a larger block goes back to the
     * isolated lists, halved as {@code expand} does.
     *
     * @return the block's pfn, or -1
     */
    private long compactionAlloc(CompactControl cc, int order) {
        int o = smallestIsolated(cc, order);
        if (o < 0) {
            isolateFreepages(cc);
            o = smallestIsolated(cc, order);
            if (o < 0) {
                return -1;
            }
        }
        long pfn = cc.freePages[o].removeLast();
        cc.nrFreePages -= 1L << o;
        while (o > order) {
            o--;
            cc.freePages[o].add(pfn + (1L << o));
            cc.nrFreePages += 1L << o;
        }
        return pfn;
    }

    private static int smallestIsolated(CompactControl cc, int order) {
        for (int o = order; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            if (cc.freePages[o].size() > 0) {
                return o;
            }
        }
        return -1;
    }

    // ---- migration -----------------------------------------------------------------------------

    /**
     * {@code migrate_pages}: each isolated block moves into a block {@link #compactionAlloc} gives.
     *
     * @return false if free blocks ran out (the rest went back to their owners)
     */
    private boolean migratePages(CompactControl cc) {
        LongList list = cc.migratePages;
        boolean enough = true;
        for (int i = 0; i < list.size(); i++) {
            long entry = list.get(i);
            long src = entry >>> 4;
            int order = (int) (entry & 0xf);
            MovableOps ops = machine.movableOps(ft.owner(src));
            long dst = enough ? compactionAlloc(cc, order) : -1;
            if (dst < 0) {
                enough = false;
                cc.failed += 1L << order;
                if (ops != null) {
                    ops.putbackPage(src, order);
                }
                continue;
            }
            moveFrames(src, dst, order);
            if (ops != null) {
                ops.migratePage(src, dst, order);
            }
            freePages(cc, src, order);
            cc.migrated += 1L << order;
        }
        list.clear();
        cc.nrMigratePages = 0;
        return enough;
    }

    /**
     * {@code folio_migrate_flags} and {@code folio_migrate_mapping}: every frame of the block takes
     * its state to the new place — flags, order, counts, private word, owner, charge and content
     * token —, and the old frames are left as {@code free_pages_prepare} leaves them.
     */
    private void moveFrames(long src, long dst, int order) {
        long n = 1L << order;
        for (long i = 0; i < n; i++) {
            long s = src + i;
            long d = dst + i;
            ft.setPageFlags(d, ft.pageFlags(s));
            ft.setOrder(d, ft.order(s));
            ft.setRefcount(d, ft.refcount(s));
            ft.setMapcount(d, ft.mapcount(s));
            ft.setPrivate(d, ft.privateWord(s));
            ft.setOwner(d, ft.owner(s));
            ft.setMemcg(d, ft.memcg(s));
            ft.setContentToken(d, ft.contentToken(s));
            ft.clearFrame(s);
        }
    }

    /**
     * Frees a block compaction is done with — the old place of a migrated block ({@code folio_put})
     * or an isolated free block not used ({@code release_free_list}) — through
     * {@code free_pages_prepare}, which traces {@code mm_page_free} as the kernel's does; no
     * {@code mm_page_alloc} ever matches these.
     */
    private void freePages(CompactControl cc, long pfn, int order) {
        Tracepoint tp = allocator.trace.mmPageFree;
        if (tp.enabled()) {
            tp.emit(KmemTrace.mmPageFreeArgs(pfn, order));
        }
        allocator.releaseFreePage(cc.zone, pfn, order, cc.cpu);
    }

    /** {@code putback_movable_pages}: blocks isolated but not migrated go back to their owners. */
    private void putbackMovablePages(CompactControl cc) {
        for (int i = 0; i < cc.migratePages.size(); i++) {
            long entry = cc.migratePages.get(i);
            long pfn = entry >>> 4;
            int order = (int) (entry & 0xf);
            MovableOps ops = machine.movableOps(ft.owner(pfn));
            if (ops != null) {
                ops.putbackPage(pfn, order);
            }
        }
        cc.migratePages.clear();
        cc.nrMigratePages = 0;
    }

    /** {@code release_free_list}: isolated free blocks not used go back to the free lists. */
    private void releaseFreepages(CompactControl cc) {
        for (int o = 0; o < cc.freePages.length; o++) {
            LongList l = cc.freePages[o];
            for (int i = 0; i < l.size(); i++) {
                freePages(cc, l.get(i), o);
            }
            l.clear();
        }
        cc.nrFreePages = 0;
    }

    // ---- deferral ------------------------------------------------------------------------------

    /**
     * {@code compaction_deferred}: after failures at this order or above, skip attempts until
     * 2^{@code compact_defer_shift} have been considered.
     */
    synchronized boolean compactionDeferred(Zone zone, int order) {
        int id = zone.id();
        if (order < orderFailed[id]) {
            return false;
        }
        long limit = 1L << deferShift[id];
        if (++considered[id] >= limit) {
            considered[id] = (int) limit;
            return false;
        }
        return true;
    }

    /** {@code defer_compaction}: a failure at this order makes the next attempts wait longer. */
    synchronized void deferCompaction(Zone zone, int order) {
        int id = zone.id();
        considered[id] = 0;
        deferShift[id] = Math.min(deferShift[id] + 1, COMPACT_MAX_DEFER_SHIFT);
        if (order < orderFailed[id]) {
            orderFailed[id] = order;
        }
    }

    /** {@code compaction_defer_reset}: compaction for this order works again. */
    synchronized void compactionDeferReset(Zone zone, int order, boolean allocSuccess) {
        int id = zone.id();
        if (allocSuccess) {
            considered[id] = 0;
            deferShift[id] = 0;
        }
        if (order >= orderFailed[id]) {
            orderFailed[id] = order + 1;
        }
    }

    /** {@code zone->compact_defer_shift}, for tests. */
    synchronized int deferShift(Zone zone) {
        return deferShift[zone.id()];
    }

    private static long pageblockStart(long pfn) {
        return pfn & -(long) PAGEBLOCK;
    }

    /** A growable list of longs. */
    private static final class LongList {
        private long[] a = new long[16];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        long get(int i) {
            return a[i];
        }

        long removeLast() {
            return a[--n];
        }

        int size() {
            return n;
        }

        void clear() {
            n = 0;
        }
    }
}

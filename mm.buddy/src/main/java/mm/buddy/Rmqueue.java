package mm.buddy;

import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.core.page.AllocFlags;
import mm.core.page.ZoneFlags;
import mm.core.trace.KmemTrace;

/**
 * Taking blocks off a zone's free lists (mm/page_alloc.c, 6.15+): {@code rmqueue_buddy},
 * {@code __rmqueue}, {@code __rmqueue_smallest}, {@code expand}, and the fallback to other
 * migratetypes: {@code __rmqueue_claim} (claim a whole pageblock for the requested type) and
 * {@code __rmqueue_steal} (take a single block, leaving its pageblock as it was). Called with the
 * zone's lock (the {@link FreeArea}'s monitor) held.
 */
final class Rmqueue {

    private static final int NO = FreeArea.NO;
    private static final int MAX_PAGE_ORDER = FrameAllocator.MAX_PAGE_ORDER;
    private static final int PAGEBLOCK_ORDER = Machine.PAGEBLOCK_ORDER;
    private static final int PAGEBLOCK_NR_PAGES = Machine.PAGEBLOCK_NR_PAGES;
    private static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();
    private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
    private static final int RECLAIMABLE = MigrateType.RECLAIMABLE.ordinal();
    private static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();

    /** {@code fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1]}: where each type looks when its own lists are empty. */
    static final int[][] FALLBACKS = {
        {RECLAIMABLE, MOVABLE},   // UNMOVABLE
        {RECLAIMABLE, UNMOVABLE}, // MOVABLE
        {UNMOVABLE, MOVABLE},     // RECLAIMABLE
    };

    /** {@code enum rmqueue_mode}: where the last __rmqueue of a batch found its block (claims are never remembered). */
    static final int RMQUEUE_NORMAL = 0;
    static final int RMQUEUE_STEAL = 3;

    private final FrameTable ft;
    private final boolean mobilityDisabled;
    private final ZoneFlags zoneFlags;
    private final KmemTrace trace;

    /**
     * @param mobilityDisabled {@code page_group_by_mobility_disabled}: too little memory to group pages by mobility
     * @param zoneFlags where a fragmenting fallback records ZONE_BOOSTED_WATERMARK
     */
    Rmqueue(FrameTable ft, boolean mobilityDisabled, ZoneFlags zoneFlags) {
        this(ft, mobilityDisabled, zoneFlags, new KmemTrace(mm.api.trace.Tracer.none()));
    }

    /** With the machine's kmem tracepoints (mm_page_alloc_zone_locked, mm_page_alloc_extfrag). */
    Rmqueue(FrameTable ft, boolean mobilityDisabled, ZoneFlags zoneFlags, KmemTrace trace) {
        this.trace = trace;
        this.ft = ft;
        this.mobilityDisabled = mobilityDisabled;
        this.zoneFlags = zoneFlags;
    }

    /**
     * {@code rmqueue_buddy}: the high-atomic reserve first for ALLOC_HIGHATOMIC, then
     * {@code __rmqueue}; non-blocking and OOM requests may still use the high-atomic reserve.
     */
    int rmqueueBuddy(FreeArea area, int order, int migratetype, int allocFlags) {
        int page = NO;
        if ((allocFlags & AllocFlags.ALLOC_HIGHATOMIC) != 0) {
            page = rmqueueSmallest(area, order, HIGHATOMIC);
        }
        if (page == NO) {
            page = rmqueue(area, order, migratetype, allocFlags, new int[] {RMQUEUE_NORMAL});
            if (page == NO && (allocFlags & (AllocFlags.ALLOC_OOM | AllocFlags.ALLOC_NON_BLOCK)) != 0) {
                page = rmqueueSmallest(area, order, HIGHATOMIC);
            }
        }
        return page;
    }

    /**
     * {@code __rmqueue}: the requested type's lists, then claiming a foreign pageblock, then
     * (unless ALLOC_NOFRAGMENT) stealing a single foreign block. {@code mode[0]} remembers across
     * the calls of one {@code rmqueue_bulk} where the last block came from, so that the search
     * starts there: back to normal after a claim refilled the requested type's lists.
     */
    int rmqueue(FreeArea area, int order, int migratetype, int allocFlags, int[] mode) {
        int page;
        if (mode[0] == RMQUEUE_NORMAL) {
            page = rmqueueSmallest(area, order, migratetype);
            if (page != NO) {
                return page;
            }
        }
        if (mode[0] != RMQUEUE_STEAL) {
            page = rmqueueClaim(area, order, migratetype, allocFlags);
            if (page != NO) {
                mode[0] = RMQUEUE_NORMAL;
                return page;
            }
        }
        if ((allocFlags & AllocFlags.ALLOC_NOFRAGMENT) == 0) {
            page = rmqueueSteal(area, order, migratetype);
            if (page != NO) {
                mode[0] = RMQUEUE_STEAL;
                return page;
            }
        }
        return NO;
    }

    /**
     * {@code __rmqueue_smallest}: the first block of the smallest order at or above the request
     * on this type's lists, split down to size.
     */
    int rmqueueSmallest(FreeArea area, int order, int migratetype) {
        for (int current = order; current <= MAX_PAGE_ORDER; current++) {
            int page = area.first(current, migratetype);
            if (page == NO) {
                continue;
            }
            pageDelAndExpand(area, page, order, current, migratetype);
            if (trace.mmPageAllocZoneLocked.enabled()) {
                zoneLocked(page, order, migratetype);
            }
            return page;
        }
        return NO;
    }

    /**
     * {@code page_del_and_expand}: takes the block off its list, returns the unused halves to the
     * lists, and accounts the pages that left.
     */
    void pageDelAndExpand(FreeArea area, long page, int low, int high, int migratetype) {
        long nrPages = 1L << high;
        area.delPageFromFreeList(page, high, migratetype);
        nrPages -= expand(area, page, low, high, migratetype);
        area.accountFreepages(-nrPages, migratetype);
    }

    /**
     * {@code expand}: splits a block of order {@code high} down to {@code low}, putting the upper
     * half of each split on the free list of its order.
     *
     * @return the pages put back on the lists
     */
    long expand(FreeArea area, long page, int low, int high, int migratetype) {
        long size = 1L << high;
        long added = 0;
        while (high > low) {
            high--;
            size >>= 1;
            area.addToFreeList(page + size, high, migratetype, false);
            added += size;
        }
        return added;
    }

    /**
     * {@code should_try_claim_block}: claim the whole pageblock for large requests (order at least
     * pageblock_order / 2), for unmovable and reclaimable requests (which would otherwise pollute
     * it for good), and when mobility grouping is off; movable requests steal instead.
     */
    boolean shouldTryClaimBlock(int order, int startMt) {
        if (order >= PAGEBLOCK_ORDER) {
            return true;
        }
        if (order >= PAGEBLOCK_ORDER / 2) {
            return true;
        }
        if (startMt == RECLAIMABLE || startMt == UNMOVABLE) {
            return true;
        }
        return mobilityDisabled;
    }

    /**
     * {@code find_suitable_fallback}: the first fallback type with a free block of this order; -2
     * when claiming was asked for and this order is too small to claim; -1 when none.
     */
    int findSuitableFallback(FreeArea area, int order, int migratetype, boolean claimable) {
        if (claimable && !shouldTryClaimBlock(order, migratetype)) {
            return -2;
        }
        if (area.nrFree(order) == 0) {
            return -1;
        }
        for (int fallback : FALLBACKS[migratetype]) {
            if (area.count(order, fallback) > 0) {
                return fallback;
            }
        }
        return -1;
    }

    /**
     * {@code __rmqueue_claim}: from the largest order down, a block on a fallback list whose
     * pageblock can be claimed for the requested type. With ALLOC_NOFRAGMENT only whole pageblocks.
     */
    int rmqueueClaim(FreeArea area, int order, int startMt, int allocFlags) {
        int minOrder = order;
        if (order < PAGEBLOCK_ORDER && (allocFlags & AllocFlags.ALLOC_NOFRAGMENT) != 0) {
            minOrder = PAGEBLOCK_ORDER;
        }
        for (int current = MAX_PAGE_ORDER; current >= minOrder; current--) {
            int fallbackMt = findSuitableFallback(area, current, startMt, true);
            if (fallbackMt == -1) {
                continue;
            }
            if (fallbackMt == -2) {
                break;
            }
            int page = area.first(current, fallbackMt);
            int got = tryToClaimBlock(area, page, current, order, startMt, fallbackMt, allocFlags);
            if (got != NO) {
                if (trace.mmPageAllocExtfrag.enabled()) {
                    extfrag(got, order, current, startMt, fallbackMt);
                }
                return got;
            }
        }
        return NO;
    }

    /**
     * {@code __rmqueue_steal}: the smallest block on a fallback list, taken alone; its pageblock
     * keeps its type (a fragmenting fallback).
     */
    int rmqueueSteal(FreeArea area, int order, int startMt) {
        for (int current = order; current <= MAX_PAGE_ORDER; current++) {
            int fallbackMt = findSuitableFallback(area, current, startMt, false);
            if (fallbackMt == -1) {
                continue;
            }
            int page = area.first(current, fallbackMt);
            pageDelAndExpand(area, page, order, current, fallbackMt);
            if (trace.mmPageAllocExtfrag.enabled()) {
                extfrag(page, order, current, startMt, fallbackMt);
            }
            return page;
        }
        return NO;
    }

    /** trace_mm_page_alloc_zone_locked: percpu_refill for the orders and types the per-CPU lists take. */
    private void zoneLocked(long page, int order, int migratetype) {
        trace.mmPageAllocZoneLocked.emit(KmemTrace.mmPageAllocZoneLockedArgs(page, order, migratetype,
                FrameAllocator.pcpAllowedOrder(order) && migratetype < MigrateType.MIGRATE_PCPTYPES));
    }

    /** trace_mm_page_alloc_extfrag: change_ownership when the block's pageblock now has the requested type. */
    private void extfrag(long page, int order, int fallbackOrder, int startMt, int fallbackMt) {
        trace.mmPageAllocExtfrag.emit(KmemTrace.mmPageAllocExtfragArgs(page, order, fallbackOrder, startMt, fallbackMt,
                ft.pageblockMigratetype(page) == startMt));
    }

    /**
     * {@code try_to_claim_block}: a block of at least pageblock order changes type whole. A smaller
     * one boosts the watermarks, then claims its pageblock if at least half of it is free or holds
     * pages compatible with the request.
     */
    int tryToClaimBlock(FreeArea area, int page, int currentOrder, int order, int startType, int blockType,
            int allocFlags) {
        if (currentOrder >= PAGEBLOCK_ORDER) {
            area.delPageFromFreeList(page, currentOrder, blockType);
            area.accountFreepages(-(1L << currentOrder), blockType);
            changePageblockRange(page, currentOrder, startType);
            long added = expand(area, page, order, currentOrder, startType);
            area.accountFreepages(added, startType);
            return page;
        }
        if (area.zone.boostWatermark() && (allocFlags & AllocFlags.ALLOC_KSWAPD) != 0) {
            zoneFlags.set(area.zone, ZoneFlags.ZONE_BOOSTED_WATERMARK);
        }
        long start = page & ~((long) PAGEBLOCK_NR_PAGES - 1);
        long end = start + PAGEBLOCK_NR_PAGES;
        Zone zone = area.zone;
        if (!zone.spans(start) || !zone.spans(end - 1)) {
            return NO;
        }
        long freePages = 0;
        long movablePages = 0;
        for (long pfn = start; pfn < end;) {
            if (ft.test(pfn, PageFlags.PG_buddy)) {
                long nr = 1L << ft.order(pfn);
                freePages += nr;
                pfn += nr;
                continue;
            }
            if (ft.test(pfn, PageFlags.PG_lru)) {
                movablePages++;
            }
            pfn++;
        }
        long alike;
        if (startType == MOVABLE) {
            alike = movablePages;
        } else if (blockType == MOVABLE) {
            alike = PAGEBLOCK_NR_PAGES - (freePages + movablePages);
        } else {
            alike = 0;
        }
        if (freePages + alike >= (1 << (PAGEBLOCK_ORDER - 1)) || mobilityDisabled) {
            moveFreepagesBlock(area, start, blockType, startType);
            ft.setPageblockMigratetype(start, startType);
            return rmqueueSmallest(area, order, startType);
        }
        return NO;
    }

    /** {@code change_pageblock_range}: every pageblock of a block of at least pageblock order gets the type. */
    void changePageblockRange(long page, int order, int migratetype) {
        long nr = 1L << (order - PAGEBLOCK_ORDER);
        for (long i = 0; i < nr; i++) {
            ft.setPageblockMigratetype(page + i * PAGEBLOCK_NR_PAGES, migratetype);
        }
    }

    /**
     * {@code move_freepages_block}: the pageblock around {@code pfn} changes type with its free
     * blocks; -1 if the pageblock is not wholly in the zone ({@code prep_move_freepages_block}).
     *
     * @return the free pages moved, or -1
     */
    long moveFreepagesBlockOf(FreeArea area, long pfn, int oldMt, int newMt) {
        long start = pfn & ~((long) PAGEBLOCK_NR_PAGES - 1);
        if (!area.zone.spans(start) || !area.zone.spans(start + PAGEBLOCK_NR_PAGES - 1)) {
            return -1;
        }
        long moved = moveFreepagesBlock(area, start, oldMt, newMt);
        ft.setPageblockMigratetype(start, newMt);
        return moved;
    }

    /**
     * {@code reserve_highatomic_pageblock} (6.10+): after a high-order atomic allocation, its
     * pageblock becomes MIGRATE_HIGHATOMIC with its free blocks, so that the next such allocations
     * find a block there. At most about 1 % of the zone, rounded up to whole pageblocks; nothing in
     * a zone whose 1 % is less than a pageblock; only pageblocks of the three mergeable types.
     * Called with the zone's lock held.
     */
    void reserveHighatomicPageblock(FreeArea area, long pfn, int order) {
        long managed = area.zone.managedPages();
        if (managed / 100 < PAGEBLOCK_NR_PAGES) {
            return;
        }
        long maxManaged = highatomicLimit(managed);
        if (area.nrReservedHighatomic >= maxManaged) {
            return;
        }
        int mt = ft.pageblockMigratetype(pfn);
        if (mt >= MigrateType.MIGRATE_PCPTYPES) {
            return;
        }
        if (order < PAGEBLOCK_ORDER) {
            if (moveFreepagesBlockOf(area, pfn, mt, HIGHATOMIC) == -1) {
                return;
            }
            area.nrReservedHighatomic += PAGEBLOCK_NR_PAGES;
        } else {
            changePageblockRange(pfn, order, HIGHATOMIC);
            area.nrReservedHighatomic += 1L << order;
        }
    }

    /** The most pages a zone reserves for high-order atomic allocations: ALIGN(managed / 100, pageblock_nr_pages). */
    static long highatomicLimit(long managed) {
        long onePercent = managed / 100;
        return (onePercent + PAGEBLOCK_NR_PAGES - 1) & -(long) PAGEBLOCK_NR_PAGES;
    }

    /**
     * {@code unreserve_highatomic_pageblock} for one zone, when an allocation is about to fail:
     * the first free block on a MIGRATE_HIGHATOMIC list, smallest order first, takes its pageblock
     * (or, at pageblock order and above, its pageblocks) to the request's migratetype, without the
     * usual claiming rules. Unless {@code force}, the last reserved pageblock stays. Called with the
     * zone's lock held.
     *
     * @return true if free pages left the reserve
     */
    boolean unreserveHighatomicPageblock(FreeArea area, int migratetype, boolean force) {
        if (!force && area.nrReservedHighatomic <= PAGEBLOCK_NR_PAGES) {
            return false;
        }
        for (int order = 0; order <= MAX_PAGE_ORDER; order++) {
            int page = area.first(order, HIGHATOMIC);
            if (page == NO) {
                continue;
            }
            long size = Math.min(Math.max(PAGEBLOCK_NR_PAGES, 1L << order), area.nrReservedHighatomic);
            area.nrReservedHighatomic -= size;
            long moved;
            if (order < PAGEBLOCK_ORDER) {
                moved = moveFreepagesBlockOf(area, page, HIGHATOMIC, migratetype);
            } else {
                area.moveToFreeList(page, order, HIGHATOMIC, migratetype);
                changePageblockRange(page, order, migratetype);
                moved = 1;
            }
            if (moved > 0) {
                return true;
            }
        }
        return false;
    }

    /** {@code __move_freepages_block}: every free block of the pageblock moves to the new type's lists. */
    private long moveFreepagesBlock(FreeArea area, long start, int oldMt, int newMt) {
        long moved = 0;
        long end = start + PAGEBLOCK_NR_PAGES;
        for (long pfn = start; pfn < end;) {
            if (!ft.test(pfn, PageFlags.PG_buddy)) {
                pfn++;
                continue;
            }
            int o = ft.order(pfn);
            area.moveToFreeList(pfn, o, oldMt, newMt);
            pfn += 1L << o;
            moved += 1L << o;
        }
        return moved;
    }
}

package mm.buddy;

import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.MigrateType;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.core.page.WatermarkCheck;
import mm.core.page.ZoneFlags;
import mm.core.trace.KmemTrace;

/**
 * The per-CPU page lists of every zone (mm/page_alloc.c, 6.7+): {@code rmqueue_pcplist} serves
 * small allocations from the current CPU's list, refilling it from the zone in batches
 * ({@code nr_pcp_alloc}, {@code rmqueue_bulk}); {@code free_frozen_page_commit} puts freed blocks
 * on it and, above {@code pcp->high}, gives a batch back ({@code nr_pcp_high}, {@code nr_pcp_free},
 * {@code free_pcppages_bulk}). {@code high} tunes itself between the zone's {@code high_min} and
 * {@code high_max}: it grows while the zone is above its high watermark and allocations refill,
 * and shrinks when the zone falls below it. Pages on these lists are not counted in NR_FREE_PAGES,
 * as in the kernel. Each CPU's lists are used with its gate held. (The periodic decay of
 * {@code high}, {@code decay_pcp_high}, waits for the simulated clock to drive vmstat work.)
 */
final class PerCpuLists {

    /** CONFIG_PCP_BATCH_SCALE_MAX. */
    static final int PCP_BATCH_SCALE_MAX = 5;
    private static final int NO = FrameTable.NO_PFN;

    private final FrameTable ft;
    private final Rmqueue rmqueue;
    private final FreeOnePage freeOnePage;
    private final ZoneFlags zoneFlags;
    private final WatermarkCheck.FreeBlocks blocks;
    private final PerCpuPages[][] pcps;
    private final KmemTrace trace;

    PerCpuLists(FrameTable ft, Rmqueue rmqueue, FreeOnePage freeOnePage, ZoneFlags zoneFlags, WatermarkCheck.FreeBlocks blocks,
            int zones, int cpus, KmemTrace trace) {
        this.trace = trace;
        this.ft = ft;
        this.rmqueue = rmqueue;
        this.freeOnePage = freeOnePage;
        this.zoneFlags = zoneFlags;
        this.blocks = blocks;
        this.pcps = new PerCpuPages[zones][cpus];
        for (PerCpuPages[] z : pcps) {
            for (int c = 0; c < cpus; c++) {
                z[c] = new PerCpuPages(ft);
            }
        }
    }

    PerCpuPages pcp(int zoneId, int cpu) {
        return pcps[zoneId][cpu];
    }

    /**
     * {@code rmqueue_pcplist}: a block from the CPU's list for this order and type, refilled from
     * the zone when empty. The CPU's gate is held.
     *
     * @return the pfn, or {@link FreeArea#NO} if the zone has nothing
     */
    int rmqueuePcplist(FreeArea area, int zoneId, int cpu, int order, int migratetype, int allocFlags) {
        PerCpuPages pcp = pcps[zoneId][cpu];
        pcp.freeCount >>= 1;
        int pindex = PerCpuPages.orderToPindex(migratetype, order);
        if (pcp.empty(pindex)) {
            int batch = nrPcpAlloc(pcp, area.zone, order);
            int alloced = rmqueueBulk(area, order, batch, pcp, pindex, migratetype, allocFlags);
            pcp.count += alloced << order;
            if (pcp.empty(pindex)) {
                return NO;
            }
        }
        int page = pcp.first(pindex);
        pcp.del(page, pindex);
        pcp.count -= 1 << order;
        return page;
    }

    /**
     * {@code nr_pcp_alloc}: how many blocks to take from the zone. A list that was never used
     * (high below batch) takes one; order-0 refills double while allocations follow each other
     * ({@code alloc_factor}), within what {@code high} leaves room for.
     */
    int nrPcpAlloc(PerCpuPages pcp, Zone zone, int order) {
        int high = pcp.high;
        int baseBatch = zone.pagesetBatch();
        int highMin = zone.pagesetHighMin();
        int highMax = zone.pagesetHighMax();
        if (high < baseBatch) {
            return 1;
        }
        int batch = order != 0 ? baseBatch : baseBatch << pcp.allocFactor;
        if (highMin != highMax && !zoneFlags.test(zone, ZoneFlags.ZONE_BELOW_HIGH)) {
            high = Math.min(high + batch, highMax);
            pcp.high = high;
        }
        if (order == 0) {
            int maxNrAlloc = Math.max(high - pcp.count - baseBatch, baseBatch);
            if (batch <= maxNrAlloc && pcp.allocFactor < PCP_BATCH_SCALE_MAX) {
                pcp.allocFactor++;
            }
            batch = Math.min(batch, maxNrAlloc);
        }
        if (batch > 1) {
            batch = Math.max(batch >> order, 2);
        }
        return batch;
    }

    /** {@code rmqueue_bulk}: up to {@code count} blocks from the zone, in address order at the list's tail. */
    private int rmqueueBulk(FreeArea area, int order, int count, PerCpuPages pcp, int pindex, int migratetype, int allocFlags) {
        int[] mode = {Rmqueue.RMQUEUE_NORMAL};
        int i = 0;
        synchronized (area) {
            for (; i < count; i++) {
                int page = rmqueue.rmqueue(area, order, migratetype, allocFlags, mode);
                if (page == NO) {
                    break;
                }
                pcp.addTail(page, order, pindex);
            }
        }
        return i;
    }

    /**
     * {@code __free_frozen_pages} for an order the lists take: onto the CPU's list, unless the
     * pageblock is isolated. The CPU's gate is held.
     *
     * @return false if the caller must free to the zone instead
     */
    boolean freeFrozenPage(FreeArea area, int zoneId, int cpu, long pfn, int order) {
        int migratetype = ft.pageblockMigratetype(pfn);
        if (migratetype >= MigrateType.MIGRATE_PCPTYPES) {
            if (migratetype == MigrateType.ISOLATE.ordinal()) {
                return false;
            }
            migratetype = MigrateType.MOVABLE.ordinal();
        }
        freeFrozenPageCommit(area, pcps[zoneId][cpu], pfn, migratetype, order);
        return true;
    }

    /** {@code free_frozen_page_commit}. */
    private void freeFrozenPageCommit(FreeArea area, PerCpuPages pcp, long pfn, int migratetype, int order) {
        Zone zone = area.zone;
        boolean freeHigh = false;
        pcp.allocFactor >>= 1;
        int pindex = PerCpuPages.orderToPindex(migratetype, order);
        pcp.addHead(pfn, order, pindex);
        pcp.count += 1 << order;
        int batch = zone.pagesetBatch();
        if (order > 0 && order <= FrameAllocator.PAGE_ALLOC_COSTLY_ORDER) {
            freeHigh = pcp.freeCount >= batch + zone.pagesetHighMin() / 2
                    && (pcp.flags & PerCpuPages.PCPF_PREV_FREE_HIGH_ORDER) != 0
                    && ((pcp.flags & PerCpuPages.PCPF_FREE_HIGH_BATCH) == 0 || pcp.count >= batch);
            pcp.flags |= PerCpuPages.PCPF_PREV_FREE_HIGH_ORDER;
        } else if ((pcp.flags & PerCpuPages.PCPF_PREV_FREE_HIGH_ORDER) != 0) {
            pcp.flags &= ~PerCpuPages.PCPF_PREV_FREE_HIGH_ORDER;
        }
        if (pcp.freeCount < batch << PCP_BATCH_SCALE_MAX) {
            pcp.freeCount += 1 << order;
        }
        int high = nrPcpHigh(pcp, zone, batch, freeHigh);
        if (pcp.count >= high) {
            freePcppagesBulk(area, nrPcpFree(pcp, batch, high, freeHigh), pcp, pindex);
            if (zoneFlags.test(zone, ZoneFlags.ZONE_BELOW_HIGH) && WatermarkCheck.zoneWatermarkOk(zone, 0,
                    zone.watermark(Watermark.HIGH), ZoneType.MOVABLE.ordinal(), 0, zone.state(ZoneStat.NR_FREE_PAGES), blocks)) {
                zoneFlags.clear(zone, ZoneFlags.ZONE_BELOW_HIGH);
            }
        }
    }

    /**
     * {@code nr_pcp_high}: the count above which frees go back to the zone. {@code high} is clamped
     * to [high_min, high_max]; it shrinks when the zone is below its high watermark or under
     * reclaim, and grows to hold a batch of consecutive frees otherwise.
     */
    int nrPcpHigh(PerCpuPages pcp, Zone zone, int batch, boolean freeHigh) {
        int highMin = zone.pagesetHighMin();
        int highMax = zone.pagesetHighMax();
        int high = Math.max(highMin, Math.min(pcp.high, highMax));
        pcp.high = high;
        if (high == 0) {
            return 0;
        }
        if (freeHigh) {
            pcp.high = Math.max(high - (batch << PCP_BATCH_SCALE_MAX), highMin);
            return 0;
        }
        if (zoneFlags.test(zone, ZoneFlags.ZONE_RECLAIM_ACTIVE)) {
            int freeCount = Math.max(pcp.freeCount, batch);
            pcp.high = Math.max(high - freeCount, highMin);
            return Math.min(batch << 2, pcp.high);
        }
        if (highMin == highMax) {
            return high;
        }
        if (zoneFlags.test(zone, ZoneFlags.ZONE_BELOW_HIGH)) {
            int freeCount = Math.max(pcp.freeCount, batch);
            pcp.high = Math.max(high - freeCount, highMin);
            high = Math.max(pcp.count, highMin);
        } else if (pcp.count >= high) {
            int needHigh = pcp.freeCount + batch;
            if (pcp.high < needHigh) {
                pcp.high = Math.max(highMin, Math.min(needHigh, highMax));
            }
        }
        return high;
    }

    /** {@code nr_pcp_free}: how many pages to give back: at least a batch, at most high - batch, more after a run of frees. */
    static int nrPcpFree(PerCpuPages pcp, int batch, int high, boolean freeHigh) {
        if (freeHigh) {
            return Math.min(pcp.count, batch << PCP_BATCH_SCALE_MAX);
        }
        if (high < batch) {
            return 1;
        }
        int minNrFree = batch;
        int maxNrFree = high - batch;
        return Math.max(minNrFree, Math.min(pcp.freeCount, maxNrFree));
    }

    /**
     * {@code free_pcppages_bulk}: gives {@code count} pages back to the zone, taking the oldest
     * blocks (list tails) round-robin over the lists, starting with {@code pindex}'s.
     */
    void freePcppagesBulk(FreeArea area, int countIn, PerCpuPages pcp, int pindexIn) {
        int count = Math.min(pcp.count, countIn);
        int pindex = pindexIn - 1;
        synchronized (area) {
            while (count > 0) {
                do {
                    if (++pindex > PerCpuPages.NR_PCP_LISTS - 1) {
                        pindex = 0;
                    }
                } while (pcp.empty(pindex));
                int order = PerCpuPages.pindexToOrder(pindex);
                int nrPages = 1 << order;
                do {
                    int page = pcp.last(pindex);
                    int mt = ft.pageblockMigratetype(page);
                    pcp.del(page, pindex);
                    count -= nrPages;
                    pcp.count -= nrPages;
                    if (trace.mmPagePcpuDrain.enabled()) {
                        trace.mmPagePcpuDrain.emit(KmemTrace.mmPagePcpuDrainArgs(page, order, mt));
                    }
                    freeOnePage.freeOnePage(area, page, order, mt, false);
                } while (count > 0 && !pcp.empty(pindex));
            }
        }
    }

    /**
     * {@code drain_pages_zone}: every page of one CPU's lists for a zone goes back, in batches.
     * The caller holds every CPU's gate.
     */
    void drainPagesZone(FreeArea area, int zoneId, int cpu) {
        PerCpuPages pcp = pcps[zoneId][cpu];
        int batch = Math.max(1, area.zone.pagesetBatch());
        while (pcp.count > 0) {
            freePcppagesBulk(area, Math.min(pcp.count, batch << PCP_BATCH_SCALE_MAX), pcp, 0);
        }
    }

    /** Forgets every list (before an adoption). */
    void reset() {
        for (PerCpuPages[] z : pcps) {
            for (PerCpuPages p : z) {
                p.reset();
            }
        }
    }
}

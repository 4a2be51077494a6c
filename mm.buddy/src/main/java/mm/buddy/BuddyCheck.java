package mm.buddy;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;

/**
 * The buddy allocator's invariants for one zone, checked against the frame table: every listed
 * block is a PG_buddy head of the list's order, aligned, inside the zone, on the list of its
 * pageblock's type, made of free frames only; list lengths match {@code nr_free}; every PG_buddy
 * frame of the zone is listed; listed pages add up to NR_FREE_PAGES and NR_FREE_PAGES_BLOCKS; no
 * two free buddies of the same order were left unmerged.
 */
final class BuddyCheck {

    private final FrameTable ft;
    private final FreeArea area;
    private final FreeOnePage merge;

    BuddyCheck(FrameTable ft, FreeArea area, FreeOnePage merge) {
        this.ft = ft;
        this.area = area;
        this.merge = merge;
    }

    void check(List<String> problems) {
        Zone zone = area.zone;
        if (zone.spannedPages() == 0) {
            return;
        }
        long listedPages = 0;
        long listedBlockPages = 0;
        long listedHeads = 0;
        for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
            long perOrder = 0;
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                long n = 0;
                long guard = zone.spannedPages() + 1;
                for (int p = area.first(order, mt); p != FreeArea.NO; p = area.next(p)) {
                    if (++n > guard) {
                        problems.add(String.format("%s: free_list[%d][%s] loops", zone, order, MigrateType.of(mt).kernelName()));
                        break;
                    }
                    checkBlock(problems, zone, p, order, mt);
                }
                if (n != area.count(order, mt)) {
                    problems.add(String.format("%s: free_list[%d][%s] holds %d blocks but counts %d", zone, order,
                            MigrateType.of(mt).kernelName(), n, area.count(order, mt)));
                }
                perOrder += n;
                if (mt != MigrateType.ISOLATE.ordinal()) {
                    listedPages += n << order;
                    if (order >= Machine.PAGEBLOCK_ORDER) {
                        listedBlockPages += n << order;
                    }
                }
            }
            if (perOrder != area.nrFree(order)) {
                problems.add(String.format("%s: free_area[%d] lists %d blocks but nr_free is %d", zone, order, perOrder,
                        area.nrFree(order)));
            }
            listedHeads += perOrder;
        }
        long buddyFrames = 0;
        for (long pfn = zone.startPfn(); pfn < zone.endPfn(); pfn++) {
            if (ft.pfnValid(pfn) && ft.test(pfn, PageFlags.PG_buddy)) {
                buddyFrames++;
            }
        }
        if (buddyFrames != listedHeads) {
            problems.add(String.format("%s: %d frames are marked PG_buddy but %d blocks are listed", zone, buddyFrames, listedHeads));
        }
        if (listedPages != zone.state(ZoneStat.NR_FREE_PAGES)) {
            problems.add(String.format("%s: the free lists hold %d pages but NR_FREE_PAGES is %d", zone, listedPages,
                    zone.state(ZoneStat.NR_FREE_PAGES)));
        }
        if (listedBlockPages != zone.state(ZoneStat.NR_FREE_PAGES_BLOCKS)) {
            problems.add(String.format("%s: the free lists hold %d pages in whole pageblocks but NR_FREE_PAGES_BLOCKS is %d",
                    zone, listedBlockPages, zone.state(ZoneStat.NR_FREE_PAGES_BLOCKS)));
        }
    }

    /** A CPU's lists for this zone: every listed block is a PG_pcp head of the list's order in this zone; the count adds up. */
    void checkPcp(List<String> problems, PerCpuPages pcp, int cpu) {
        Zone zone = area.zone;
        long pages = 0;
        for (int pindex = 0; pindex < PerCpuPages.NR_PCP_LISTS; pindex++) {
            int order = PerCpuPages.pindexToOrder(pindex);
            long guard = zone.spannedPages() + 1;
            long n = 0;
            for (int p = pcp.first(pindex); p != FreeArea.NO; p = pcp.next(p)) {
                if (++n > guard) {
                    problems.add(String.format("%s: cpu %d per-CPU list %d loops", zone, cpu, pindex));
                    break;
                }
                if (!zone.spans(p) || !ft.test(p, PageFlags.PG_pcp) || ft.order(p) != order) {
                    problems.add(String.format("%s: cpu %d per-CPU list %d holds pfn 0x%x, which is not a free order-%d block "
                            + "of this zone marked as on a per-CPU list", zone, cpu, pindex, p, order));
                }
                pages += 1L << order;
            }
        }
        if (pages != pcp.count) {
            problems.add(String.format("%s: cpu %d per-CPU lists hold %d pages but count %d", zone, cpu, pages, pcp.count));
        }
    }

    private void checkBlock(List<String> problems, Zone zone, long pfn, int order, int mt) {
        String where = String.format("%s: free block 0x%x (order %d, %s)", zone, pfn, order, MigrateType.of(mt).kernelName());
        if (!zone.spans(pfn) || pfn + (1L << order) > zone.endPfn()) {
            problems.add(where + " lies outside the zone");
            return;
        }
        if ((pfn & ((1L << order) - 1)) != 0) {
            problems.add(where + " is not aligned to its order");
        }
        if (!ft.test(pfn, PageFlags.PG_buddy)) {
            problems.add(where + " is not marked PG_buddy");
        }
        if (ft.order(pfn) != order) {
            problems.add(where + " records order " + ft.order(pfn));
        }
        int blockMt = ft.pageblockMigratetype(pfn);
        if (blockMt != mt) {
            problems.add(where + " is on the list of another type than its pageblock (" + MigrateType.of(blockMt).kernelName() + ")");
        }
        for (long p = pfn; p < pfn + (1L << order); p++) {
            if (ft.test(p, PageFlags.PG_reserved) || (p != pfn && (ft.refcount(p) != 0 || ft.test(p, PageFlags.PG_buddy)))) {
                problems.add(where + String.format(" contains pfn 0x%x, which is %s", p,
                        ft.test(p, PageFlags.PG_reserved) ? "reserved" : "in use"));
                break;
            }
        }
        if (order < FrameAllocator.MAX_PAGE_ORDER && merge.pageIsBuddy(pfn, pfn ^ (1L << order), order)) {
            int buddyMt = ft.pageblockMigratetype(pfn ^ (1L << order));
            boolean mergeable = order < Machine.PAGEBLOCK_ORDER || buddyMt == mt
                    || (mt < MigrateType.MIGRATE_PCPTYPES && buddyMt < MigrateType.MIGRATE_PCPTYPES);
            if (mergeable) {
                problems.add(where + String.format(" and its buddy 0x%x are both free: they should have merged", pfn ^ (1L << order)));
            }
        }
    }
}

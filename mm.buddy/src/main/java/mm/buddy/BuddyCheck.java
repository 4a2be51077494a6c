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

    /** Frames of a memory section: pfn_valid changes only at its boundaries. */
    private static final long SECTION_PAGES = Machine.PAGES_PER_SECTION;

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
        long buddyFrames = countPgBuddy(zone);
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

    /** Frames of the zone marked PG_buddy, a memory section at a time (an int-counted loop the JIT optimises). */
    private long countPgBuddy(Zone zone) {
        long count = 0;
        int buddyBit = 1 << PageFlags.PG_buddy;
        long end = zone.endPfn();
        for (long section = zone.startPfn() & -SECTION_PAGES; section < end; section += SECTION_PAGES) {
            long from = Math.max(section, zone.startPfn());
            if (!ft.pfnValid(from)) {
                continue;
            }
            int n = (int) (Math.min(section + SECTION_PAGES, end) - section);
            for (int i = (int) (from - section); i < n; i++) {
                if ((ft.flags(section + i) & buddyBit) != 0) {
                    count++;
                }
            }
        }
        return count;
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
        int before = problems.size();
        checkBlockQuietly(problems, pfn, order, mt);
        if (problems.size() > before) {
            // the block's name is made only for blocks with a problem: the check runs inside a hand-over's pause
            String where = String.format("%s: free block 0x%x (order %d, %s)", zone, pfn, order, MigrateType.of(mt).kernelName());
            for (int i = before; i < problems.size(); i++) {
                problems.set(i, where + problems.get(i));
            }
        }
    }

    /** The block's problems, each without the block's name. */
    private void checkBlockQuietly(List<String> problems, long pfn, int order, int mt) {
        Zone zone = area.zone;
        if (!zone.spans(pfn) || pfn + (1L << order) > zone.endPfn()) {
            problems.add(" lies outside the zone");
            return;
        }
        if ((pfn & ((1L << order) - 1)) != 0) {
            problems.add(" is not aligned to its order");
        }
        if (!ft.test(pfn, PageFlags.PG_buddy)) {
            problems.add(" is not marked PG_buddy");
        }
        if (ft.order(pfn) != order) {
            problems.add(" records order " + ft.order(pfn));
        }
        int blockMt = ft.pageblockMigratetype(pfn);
        if (blockMt != mt) {
            problems.add(" is on the list of another type than its pageblock (" + MigrateType.of(blockMt).kernelName() + ")");
        }
        int reservedOrBuddy = (1 << PageFlags.PG_reserved) | (1 << PageFlags.PG_buddy);
        if (ft.test(pfn, PageFlags.PG_reserved)) {
            problems.add(String.format(" contains pfn 0x%x, which is reserved", pfn));
        }
        for (long p = pfn + 1; p < pfn + (1L << order); p++) {
            if ((ft.flags(p) & reservedOrBuddy) != 0 || ft.refcount(p) != 0) {
                problems.add(String.format(" contains pfn 0x%x, which is %s", p,
                        ft.test(p, PageFlags.PG_reserved) ? "reserved" : "in use"));
                break;
            }
        }
        if (order < FrameAllocator.MAX_PAGE_ORDER && merge.pageIsBuddy(pfn, pfn ^ (1L << order), order)) {
            int buddyMt = ft.pageblockMigratetype(pfn ^ (1L << order));
            boolean mergeable = order < Machine.PAGEBLOCK_ORDER || buddyMt == mt
                    || (MigrateType.isMergeable(mt) && MigrateType.isMergeable(buddyMt));
            if (mergeable) {
                problems.add(String.format(" and its buddy 0x%x are both free: they should have merged", pfn ^ (1L << order)));
            }
        }
    }
}

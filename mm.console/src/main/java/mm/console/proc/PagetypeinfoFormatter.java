package mm.console.proc;

import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.Node;
import mm.api.machine.Zone;

/**
 * /proc/pagetypeinfo: free blocks per order and migratetype, then pageblocks per migratetype, for
 * each node with memory, as {@code pagetypeinfo_show} (mm/vmstat.c) prints it. The mixed-block
 * count that follows only with {@code page_owner} enabled is not printed.
 */
public final class PagetypeinfoFormatter {

    /** The kernel stops counting a free list at this length and prints {@code >100000}. */
    static final long FREE_COUNT_CAP = 100000;

    private PagetypeinfoFormatter() {
    }

    /** {@code pagetypeinfo_show} for every node with memory ({@code N_MEMORY}). */
    public static String format(Machine machine, FrameAllocator allocator) {
        Seq m = new Seq();
        for (Node node : machine.nodes()) {
            if (!ProcZones.hasMemory(node)) {
                continue;
            }
            m.printf("Page block order: %d\n", Machine.PAGEBLOCK_ORDER);
            m.printf("Pages per block:  %d\n", Machine.PAGEBLOCK_NR_PAGES);
            m.putc('\n');
            showFree(m, node, allocator);
            showBlockCount(m, node, machine.frames());
        }
        return m.toString();
    }

    /** {@code pagetypeinfo_showfree} and {@code pagetypeinfo_showfree_print}. */
    private static void showFree(Seq m, Node node, FrameAllocator allocator) {
        m.printf("%-43s ", "Free pages count per migrate type at order");
        for (int order = 0; order < FrameAllocator.NR_PAGE_ORDERS; order++) {
            m.printf("%6d ", order);
        }
        m.putc('\n');
        for (Zone zone : ProcZones.populated(node)) {
            for (MigrateType type : MigrateType.values()) {
                m.printf("Node %4d, zone %8s, type %12s ", node.id(), zone.name(), type.kernelName());
                for (int order = 0; order < FrameAllocator.NR_PAGE_ORDERS; order++) {
                    long count = allocator.nrFree(zone, order, type.ordinal());
                    boolean overflow = count >= FREE_COUNT_CAP;
                    m.printf("%s%6d ", overflow ? ">" : "", overflow ? FREE_COUNT_CAP : count);
                }
                m.putc('\n');
            }
        }
    }

    /** {@code pagetypeinfo_showblockcount} and {@code pagetypeinfo_showblockcount_print}. */
    private static void showBlockCount(Seq m, Node node, FrameTable frames) {
        m.printf("\n%-23s", "Number of blocks type ");
        for (MigrateType type : MigrateType.values()) {
            m.printf("%12s ", type.kernelName());
        }
        m.putc('\n');
        for (Zone zone : ProcZones.populated(node)) {
            long[] count = blockCounts(zone, frames);
            m.printf("Node %d, zone %8s ", node.id(), zone.name());
            for (long c : count) {
                m.printf("%12d ", c);
            }
            m.putc('\n');
        }
    }

    /**
     * Pageblocks of each migratetype: every {@code pageblock_nr_pages} from
     * {@code zone_start_pfn} (not aligned), skipping pfns without an online frame
     * ({@code pfn_to_online_page}) and frames of another zone ({@code page_zone(page) != zone}).
     */
    static long[] blockCounts(Zone zone, FrameTable frames) {
        long[] count = new long[MigrateType.MIGRATE_TYPES];
        int zoneIndex = zone.type().ordinal();
        for (long pfn = zone.startPfn(); pfn < zone.endPfn(); pfn += Machine.PAGEBLOCK_NR_PAGES) {
            if (!frames.pfnValid(pfn) || frames.nid(pfn) != zone.nid() || frames.zoneIndex(pfn) != zoneIndex) {
                continue;
            }
            int type = frames.pageblockMigratetype(pfn);
            if (type >= 0 && type < MigrateType.MIGRATE_TYPES) {
                count[type]++;
            }
        }
        return count;
    }
}

package mm.tck;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.Zone;

/**
 * What an allocator's own tests read and do again and again, through the contract alone: the
 * figures /proc/buddyinfo and /proc/pagetypeinfo print, each zone's NR_FREE_PAGES, the pages the
 * free lists hold, and filling a machine with order-0 pages and freeing them.
 */
public final class FreeFigures {

    private FreeFigures() {
    }

    /** Every zone's nr_free per order, zones in {@link Machine#zones()} order: what /proc/buddyinfo prints. */
    public static long[][] buddyinfo(FrameAllocator a, Machine m) {
        List<Zone> zones = m.zones();
        long[][] out = new long[zones.size()][FrameAllocator.NR_PAGE_ORDERS];
        for (int i = 0; i < zones.size(); i++) {
            for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
                out[i][o] = a.nrFree(zones.get(i), o);
            }
        }
        return out;
    }

    /** Every zone's free blocks per order and migratetype: what /proc/pagetypeinfo prints. */
    public static long[][][] pagetypeinfo(FrameAllocator a, Machine m) {
        List<Zone> zones = m.zones();
        long[][][] out = new long[zones.size()][FrameAllocator.NR_PAGE_ORDERS][MigrateType.MIGRATE_TYPES];
        for (int i = 0; i < zones.size(); i++) {
            for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
                for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                    out[i][o][mt] = a.nrFree(zones.get(i), o, mt);
                }
            }
        }
        return out;
    }

    /** Every zone's NR_FREE_PAGES, zones in {@link Machine#zones()} order. */
    public static long[] freePages(Machine m) {
        return m.zones().stream().mapToLong(Zone::freePages).toArray();
    }

    /** Pages in the free blocks nrFree reports for a zone, MIGRATE_ISOLATE excluded (what NR_FREE_PAGES counts). */
    public static long listedPages(FrameAllocator a, Zone z) {
        int isolate = MigrateType.ISOLATE.ordinal();
        long sum = 0;
        for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                if (mt != isolate) {
                    sum += a.nrFree(z, o, mt) << o;
                }
            }
        }
        return sum;
    }

    /** Allocates order-0 pages until the allocation fails; returns them in allocation order. */
    public static List<Long> fill(FrameAllocator a, int gfp) {
        List<Long> got = new ArrayList<>();
        for (long pfn = a.allocPages(gfp, 0); pfn != FrameAllocator.NO_PAGE; pfn = a.allocPages(gfp, 0)) {
            got.add(pfn);
        }
        return got;
    }

    /** Frees order-0 pages. */
    public static void freeAll(FrameAllocator a, List<Long> pfns) {
        for (long p : pfns) {
            a.freePages(p, 0);
        }
    }
}

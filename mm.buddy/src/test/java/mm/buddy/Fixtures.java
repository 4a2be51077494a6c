package mm.buddy;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Arch;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MigrateType;
import mm.api.machine.Zone;
import mm.hw.machine.MachineImpl;

/** Machines and views of the free lists shared by the buddy allocator's tests. */
final class Fixtures {

    /**
     * For the tests of the buddy lists themselves: no per-CPU lists, so that every allocation and
     * free goes straight to the zone's free lists ({@link PerCpuListsTest} covers those lists).
     */
    static final boolean BUDDY_LISTS_ONLY = false;

    /** x86_64, 256 MiB, 2 CPUs, 1 node: zones DMA (pfn 1..4095) and DMA32. */
    static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);

    static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();
    static final int MOVABLE = MigrateType.MOVABLE.ordinal();
    static final int RECLAIMABLE = MigrateType.RECLAIMABLE.ordinal();
    static final int HIGHATOMIC = MigrateType.HIGHATOMIC.ordinal();
    static final int ISOLATE = MigrateType.ISOLATE.ordinal();

    private Fixtures() {
    }

    static MachineImpl boot(MachineConfig config) {
        return MachineImpl.boot(config);
    }

    /** Every zone's nr_free per order, zones in {@link Machine#zones()} order: what /proc/buddyinfo prints. */
    static long[][] buddyinfo(FrameAllocator a, Machine m) {
        List<Zone> zones = m.zones();
        long[][] out = new long[zones.size()][FrameAllocator.NR_PAGE_ORDERS];
        for (int i = 0; i < zones.size(); i++) {
            for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
                out[i][o] = a.nrFree(zones.get(i), o);
            }
        }
        return out;
    }

    /** Every zone's NR_FREE_PAGES. */
    static long[] freePages(Machine m) {
        return m.zones().stream().mapToLong(Zone::freePages).toArray();
    }

    /** The pfns on free_area[order].free_list[mt] of a zone, head first. */
    static List<Long> list(BuddyAllocator b, Zone z, int order, int mt) {
        FreeArea area = b.area(z);
        List<Long> out = new ArrayList<>();
        synchronized (area) {
            for (int p = area.first(order, mt); p != FreeArea.NO; p = area.next(p)) {
                out.add((long) p);
                if (out.size() > z.spannedPages()) {
                    throw new AssertionError("free list loops");
                }
            }
        }
        return out;
    }

    /** Pages on the free lists of a zone, MIGRATE_ISOLATE excluded (what NR_FREE_PAGES counts). */
    static long listedPages(FrameAllocator a, Zone z) {
        long sum = 0;
        for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
            for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                if (mt != ISOLATE) {
                    sum += a.nrFree(z, o, mt) << o;
                }
            }
        }
        return sum;
    }

    /** Allocates order-0 pages until the allocation fails; returns them in allocation order. */
    static List<Long> fill(FrameAllocator a, int gfp) {
        List<Long> got = new ArrayList<>();
        for (long pfn = a.allocPages(gfp, 0); pfn != FrameAllocator.NO_PAGE; pfn = a.allocPages(gfp, 0)) {
            got.add(pfn);
        }
        return got;
    }

    /** Frees order-0 pages. */
    static void freeAll(FrameAllocator a, List<Long> pfns) {
        for (long p : pfns) {
            a.freePages(p, 0);
        }
    }
}

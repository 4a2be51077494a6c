package mm.bitmap;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Arch;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MigrateType;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.hw.machine.MachineImpl;

/** Machines and views of an allocator's free memory shared by the bitmap allocator's tests. */
final class Fixtures {

    /** x86_64, 256 MiB, 2 CPUs, 1 node: zones DMA (free 0x100..0xfff) and DMA32 (free from 0x3e00). */
    static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);

    static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();
    static final int MOVABLE = MigrateType.MOVABLE.ordinal();
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

    /** Every zone's free blocks per order and migratetype: what /proc/pagetypeinfo prints. */
    static long[][][] pagetypeinfo(FrameAllocator a, Machine m) {
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

    /** Every zone's NR_FREE_PAGES. */
    static long[] freePages(Machine m) {
        return m.zones().stream().mapToLong(Zone::freePages).toArray();
    }

    /** Every zone's NR_FREE_PAGES_BLOCKS. */
    static long[] freePageBlocks(Machine m) {
        return m.zones().stream().mapToLong(z -> z.state(ZoneStat.NR_FREE_PAGES_BLOCKS)).toArray();
    }

    /** Pages in the blocks nrFree reports for a zone, MIGRATE_ISOLATE excluded (what NR_FREE_PAGES counts). */
    static long blockPages(FrameAllocator a, Zone z) {
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

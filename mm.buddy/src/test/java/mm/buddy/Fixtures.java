package mm.buddy;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.Arch;
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
}

package mm.bitmap;

import mm.api.machine.Arch;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MigrateType;
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

    /** Every zone's NR_FREE_PAGES_BLOCKS. */
    static long[] freePageBlocks(Machine m) {
        return m.zones().stream().mapToLong(z -> z.state(ZoneStat.NR_FREE_PAGES_BLOCKS)).toArray();
    }
}

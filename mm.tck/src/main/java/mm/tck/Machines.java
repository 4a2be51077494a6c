package mm.tck;

import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;

/**
 * The shapes of machine the checks boot, besides {@link MachineConfig#DEFAULT} (x86_64, 4 GiB):
 * mostly the small one, and where a property depends on it, every zone kind, another architecture
 * or a second node.
 */
final class Machines {

    /** The small machine most checks use: x86_64, 256 MiB, 2 CPUs, one node (zones DMA and DMA32). */
    static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);
    /** x86_64, 4 GiB, 2 CPUs, 256 MiB of ZONE_MOVABLE: all four zone kinds. */
    static final MachineConfig MOVABLE = new MachineConfig(Arch.X86_64, 4L << 30, 2, 1, 256L << 20);
    /** arm64, 1 GiB, 2 CPUs: one DMA zone, an empty DMA32, frames not starting at 0. */
    static final MachineConfig ARM64 = new MachineConfig(Arch.ARM64, 1L << 30, 2, 1, 0);
    /** arm64, 1 GiB, 2 CPUs, 2 nodes. */
    static final MachineConfig ARM64_TWO_NODES = new MachineConfig(Arch.ARM64, 1L << 30, 2, 2, 0);
    /** x86_64, 512 MiB, 2 CPUs, 2 nodes: CPU 0 on node 0 (DMA, DMA32), CPU 1 on node 1 (DMA32). */
    static final MachineConfig TWO_NODES = new MachineConfig(Arch.X86_64, 512L << 20, 2, 2, 0);

    private Machines() {
    }
}

package mm.hw.boot;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.IomemResource;
import mm.api.machine.MachineConfig;

/**
 * The arm64 machine: QEMU's {@code virt} board, RAM from physical 1 GiB, the device tree blob at
 * the start of RAM and the kernel image 2 MiB above it. Zone limits follow arch/arm64/mm/init.c
 * ({@code zone_sizes_init}, {@code max_zone_phys}): with no device restricting DMA, ZONE_DMA
 * covers RAM below 4 GiB and ZONE_DMA32 is empty.
 */
final class Arm64Layout {

    /** VmallocTotal with VA_BITS = 48 and 4 KiB pages. */
    static final long VMALLOC_TOTAL_KB = 135288315904L;

    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    static final long RAM_BASE = GIB;
    static final long KERNEL_CODE_START = 0x40210000L;
    static final long KERNEL_CODE_END = 0x41c00000L;
    static final long KERNEL_DATA_START = 0x42400000L;
    static final long KERNEL_DATA_END = 0x42b00000L;

    /** QEMU virt's LEGACY_RAMLIMIT_BYTES: the high IO regions never start below RAM_BASE + 255 GiB. */
    static final long LEGACY_RAMLIMIT = 255 * GIB;
    /** QEMU virt's VIRT_HIGH_GIC_REDIST2 size, the first high IO region. */
    static final long HIGH_GIC_REDIST2_SIZE = 64 * MIB;
    /** QEMU virt's VIRT_HIGH_PCIE_ECAM size. */
    static final long HIGH_PCIE_ECAM_SIZE = 256 * MIB;

    private Arm64Layout() {
    }

    /**
     * Where QEMU's {@code virt_set_memmap} puts the high PCIe ECAM: after RAM (rounded up to 1 GiB)
     * but not below 256 GiB, behind the 64 MiB GIC redistributor region, aligned to its size. Up to
     * 255 GiB of RAM that is the legacy 0x4010000000.
     */
    static long highPcieEcam(long ramEnd) {
        long highIoBase = Math.max(RAM_BASE + LEGACY_RAMLIMIT, (ramEnd + GIB - 1) / GIB * GIB);
        long afterRedist = highIoBase + HIGH_GIC_REDIST2_SIZE;
        return (afterRedist + HIGH_PCIE_ECAM_SIZE - 1) / HIGH_PCIE_ECAM_SIZE * HIGH_PCIE_ECAM_SIZE;
    }

    static ArchLayout build(MachineConfig cfg) {
        long end = RAM_BASE + cfg.memBytes();
        List<long[]> ram = List.of(new long[] {RAM_BASE, end});
        List<long[]> reserved = new ArrayList<>();
        // early_init_fdt_reserve_self: the device tree QEMU places at the start of RAM
        reserved.add(new long[] {RAM_BASE, RAM_BASE + MIB});
        // arm64_memblock_init: _stext to _end
        reserved.add(new long[] {KERNEL_CODE_START, KERNEL_DATA_END});

        List<IomemResource> iomem = new ArrayList<>();
        iomem.add(new IomemResource(0x09000000L, 0x09000fffL, "pl011@9000000"));
        iomem.add(new IomemResource(0x09010000L, 0x09010fffL, "pl031@9010000"));
        iomem.add(new IomemResource(0x10000000L, 0x3efeffffL, "pcie@10000000"));
        iomem.add(new IomemResource(RAM_BASE, end - 1, "System RAM", List.of(
                new IomemResource(KERNEL_CODE_START, KERNEL_CODE_END - 1, "Kernel code"),
                new IomemResource(KERNEL_DATA_START, KERNEL_DATA_END - 1, "Kernel data"))));
        iomem.add(new IomemResource(highPcieEcam(end), highPcieEcam(end) + HIGH_PCIE_ECAM_SIZE - 1, "PCI ECAM"));
        long dmaEnd = Math.min(4 * GIB, end);
        long[] maxZonePfn = {dmaEnd >>> 12, dmaEnd >>> 12};
        return new ArchLayout(RAM_BASE >>> 12, ram, reserved, iomem, maxZonePfn, VMALLOC_TOTAL_KB, false);
    }
}

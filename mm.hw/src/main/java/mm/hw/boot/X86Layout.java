package mm.hw.boot;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.IomemResource;
import mm.api.machine.MachineConfig;

/**
 * The x86_64 machine: a PC firmware memory map (e820) shaped like the captured Linux 6.18 virtual
 * machine's /proc/iomem. RAM runs from 0 with the legacy hole (640 KiB to 1 MiB) and, above
 * 3 GiB of RAM, a PCI hole up to 4 GiB; the rest of RAM continues at 4 GiB.
 * Zone limits: ZONE_DMA below 16 MiB ({@code MAX_DMA_PFN}), ZONE_DMA32 below 4 GiB
 * ({@code MAX_DMA32_PFN}) (arch/x86/mm/init.c: {@code zone_sizes_init}).
 */
final class X86Layout {

    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    /** VmallocTotal: VMALLOC_SIZE_TB = 32 with 4-level paging; /proc/meminfo prints (VMALLOC_END - VMALLOC_START) >> 10. */
    static final long VMALLOC_TOTAL_KB = (32L << 30) - 1;
    /** Where RAM below 4 GiB ends when there is more: the PCI hole starts here. */
    static final long LOWMEM_END = 3 * GIB;
    /** The start of the extended BIOS data area, the end of usable low RAM (e820). */
    static final long EBDA_START = 0x9fc00;

    /** The kernel image sections, as in the captured machine's /proc/iomem. */
    static final long[][] KERNEL_SECTIONS = {
        {0x01000000L, 0x02206447L}, {0x02400000L, 0x02e08fffL}, {0x03000000L, 0x0327bf7fL}, {0x03b33000L, 0x03dfffffL}};
    static final String[] KERNEL_SECTION_NAMES = {"Kernel code", "Kernel rodata", "Kernel data", "Kernel bss"};
    /** _text to __end_of_kernel_reserve. */
    static final long KERNEL_START = 0x01000000L;
    static final long KERNEL_END = 0x03e00000L;

    private X86Layout() {
    }

    static ArchLayout build(MachineConfig cfg) {
        long mem = cfg.memBytes();
        long lowEnd = Math.min(mem, LOWMEM_END);
        long highBytes = mem - lowEnd;

        List<long[]> ram = new ArrayList<>();
        // trim_bios_range: the first page is reserved; memblock_trim_memory rounds to pages
        ram.add(new long[] {0x1000, EBDA_START & ~0xfffL});
        ram.add(new long[] {MIB, lowEnd});
        if (highBytes > 0) {
            ram.add(new long[] {4 * GIB, 4 * GIB + highBytes});
        }

        List<long[]> reserved = new ArrayList<>();
        // early_reserve_memory: the kernel image; reserve_real_mode: the whole first megabyte
        reserved.add(new long[] {0, MIB});
        reserved.add(new long[] {KERNEL_START, KERNEL_END});

        List<IomemResource> iomem = new ArrayList<>();
        iomem.add(new IomemResource(0, 0xfff, "Reserved"));
        iomem.add(new IomemResource(0x1000, EBDA_START - 1, "System RAM"));
        iomem.add(new IomemResource(EBDA_START, 0xfffff, "Reserved",
                List.of(new IomemResource(0xf0000, 0xfffff, "System ROM"))));
        List<IomemResource> kernel = new ArrayList<>();
        for (int i = 0; i < KERNEL_SECTIONS.length; i++) {
            kernel.add(new IomemResource(KERNEL_SECTIONS[i][0], KERNEL_SECTIONS[i][1], KERNEL_SECTION_NAMES[i]));
        }
        iomem.add(new IomemResource(MIB, lowEnd - 1, "System RAM", kernel));
        long pciStart = Math.max(lowEnd, 2 * GIB);
        iomem.add(new IomemResource(pciStart, 0xfebfffffL, "PCI Bus 0000:00"));
        iomem.add(new IomemResource(0xfec00000L, 0xfec003ffL, "IOAPIC 0"));
        iomem.add(new IomemResource(0xfed00000L, 0xfed003ffL, "HPET 0"));
        iomem.add(new IomemResource(0xfee00000L, 0xfee00fffL, "Local APIC"));
        iomem.add(new IomemResource(0xfffc0000L, 0xffffffffL, "Reserved"));
        if (highBytes > 0) {
            iomem.add(new IomemResource(4 * GIB, 4 * GIB + highBytes - 1, "System RAM"));
        }
        long[] maxZonePfn = {(16 * MIB) >>> 12, (4 * GIB) >>> 12};
        return new ArchLayout(0, ram, reserved, iomem, maxZonePfn, VMALLOC_TOTAL_KB, true);
    }
}

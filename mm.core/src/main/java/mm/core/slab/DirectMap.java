package mm.core.slab;

import mm.api.machine.Arch;
import mm.api.machine.Machine;

/**
 * The kernel's direct map: the virtual address of a physical one ({@code __va}, {@code phys_to_virt})
 * and back ({@code __pa}, {@code virt_to_pfn}). On x86_64 {@code PAGE_OFFSET} is
 * 0xffff888000000000 (4-level paging, no KASLR) and RAM from physical 0 maps there; on arm64 with
 * 48-bit addresses the linear map starts at 0xffff000000000000 with the start of RAM
 * ({@code PHYS_OFFSET}).
 */
public final class DirectMap {

    /** PAGE_OFFSET on x86_64 ({@code __PAGE_OFFSET_BASE_L4}). */
    public static final long X86_64_PAGE_OFFSET = 0xffff888000000000L;
    /** PAGE_OFFSET on arm64 with VA_BITS = 48 ({@code _PAGE_OFFSET(48)}). */
    public static final long ARM64_PAGE_OFFSET = 0xffff000000000000L;

    private final long pageOffset;
    private final long physOffset;
    private final long startPfn;
    private final long endPfn;

    /** The direct map of a machine. */
    public DirectMap(Machine machine) {
        boolean x86 = machine.config().arch() == Arch.X86_64;
        this.pageOffset = x86 ? X86_64_PAGE_OFFSET : ARM64_PAGE_OFFSET;
        this.startPfn = machine.frames().startPfn();
        this.endPfn = machine.frames().endPfn();
        this.physOffset = x86 ? 0 : startPfn << Machine.PAGE_SHIFT;
    }

    /** The virtual address of byte {@code offset} of frame {@code pfn} ({@code page_address(page) + offset}). */
    public long virt(long pfn, int offset) {
        return pageOffset + ((pfn << Machine.PAGE_SHIFT) - physOffset) + offset;
    }

    /** The frame holding a virtual address ({@code virt_to_pfn}), or -1 if the address is not in the direct map of RAM. */
    public long pfn(long addr) {
        long phys = addr - pageOffset + physOffset;
        if (Long.compareUnsigned(addr, pageOffset) < 0 || phys < 0) {
            return -1;
        }
        long pfn = phys >>> Machine.PAGE_SHIFT;
        return pfn >= startPfn && pfn < endPfn ? pfn : -1;
    }

    /** PAGE_OFFSET. */
    public long pageOffset() {
        return pageOffset;
    }

    /** The address as the kernel's {@code %px} prints it: {@code 0xffff888004a1c080}. */
    public static String format(long addr) {
        return String.format("0x%016x", addr);
    }
}

package mm.hw.boot;

import java.util.List;
import mm.api.machine.ArchInfo;
import mm.api.machine.IomemResource;

/**
 * What the architecture's early boot code knows before memblock takes over: the RAM the firmware
 * reports, what must stay reserved, the physical resource tree, and where the zones end.
 *
 * @param firstPfn the first pfn the frame table covers (ARCH_PFN_OFFSET)
 * @param ram RAM ranges {base, end} handed to {@code memblock_add}, by address
 * @param earlyReserved ranges {base, end} reserved before the page allocator exists
 * @param iomem the top of the resource tree
 * @param maxZonePfn the end pfn of ZONE_DMA and ZONE_DMA32 ({@code max_zone_pfns}); Normal ends at the last pfn
 * @param vmallocTotalKb VMALLOC_TOTAL in KiB
 * @param directMap whether to account the x86 direct map page sizes
 */
record ArchLayout(long firstPfn, List<long[]> ram, List<long[]> earlyReserved, List<IomemResource> iomem,
        long[] maxZonePfn, long vmallocTotalKb, boolean directMap) {

    /** The {@link ArchInfo} once the per-CPU area size is known. */
    ArchInfo archInfo(long percpuKb) {
        long k4 = 0;
        long m2 = 0;
        long g1 = 0;
        if (directMap) {
            for (long[] r : ram) {
                long[] split = splitMemRange(r[0], r[1]);
                k4 += split[0];
                m2 += split[1];
                g1 += split[2];
            }
        }
        return new ArchInfo(vmallocTotalKb, percpuKb, k4 >> 10, m2 >> 10, g1 >> 10);
    }

    /**
     * x86's {@code split_mem_range}: a range is mapped with 4 KiB pages up to the first 2 MiB
     * boundary, 2 MiB pages up to the first 1 GiB boundary, 1 GiB pages in the middle, and the
     * same in reverse at the end.
     *
     * @return bytes mapped with {4 KiB, 2 MiB, 1 GiB} pages
     */
    static long[] splitMemRange(long start, long end) {
        long m2 = 2L << 20;
        long g1 = 1L << 30;
        long[] out = new long[3];
        long s2 = Math.min(end, roundUp(start, m2));
        out[0] += s2 - start;
        long s1 = Math.min(end, Math.max(s2, roundUp(start, g1)));
        long e1 = Math.max(s1, end / g1 * g1);
        long e2 = Math.max(e1, end / m2 * m2);
        out[1] += (s1 - s2) + (e2 - e1);
        out[2] += e1 - s1;
        out[0] += end - e2;
        return out;
    }

    private static long roundUp(long v, long a) {
        return (v + a - 1) / a * a;
    }
}

package mm.api.machine;

/**
 * Figures the architecture's boot code leaves behind, for /proc/meminfo.
 *
 * @param vmallocTotalKb the size of the vmalloc area ({@code VMALLOC_TOTAL >> 10})
 * @param percpuKb memory of the per-CPU first chunk ({@code Percpu:})
 * @param directMap4kKb RAM mapped with 4 KiB pages in the direct map (x86_64; 0 on arm64)
 * @param directMap2mKb RAM mapped with 2 MiB pages
 * @param directMap1gKb RAM mapped with 1 GiB pages
 */
public record ArchInfo(long vmallocTotalKb, long percpuKb, long directMap4kKb, long directMap2mKb, long directMap1gKb) {
}

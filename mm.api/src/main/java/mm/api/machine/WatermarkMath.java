package mm.api.machine;

/**
 * The watermark arithmetic of mm/page_alloc.c and its sysctls' defaults, once for the simulated
 * machine (mm.hw's ZoneWatermarks, which runs it forwards) and for a capture of a real one
 * ({@link CaptureSysctls}, which runs it backwards).
 */
public final class WatermarkMath {

    /** {@code min_free_kbytes} before {@code calculate_min_free_kbytes} runs. */
    public static final int DEFAULT_MIN_FREE_KBYTES = 1024;
    /** {@code watermark_scale_factor}: 10 = 0.1 % of a zone. */
    public static final int DEFAULT_WATERMARK_SCALE_FACTOR = 10;
    /** {@code watermark_boost_factor}: 15000 = 150 % of the high watermark. */
    public static final int DEFAULT_WATERMARK_BOOST_FACTOR = 15000;

    private static final int[] DEFAULT_LOWMEM_RESERVE_RATIO = {256, 256, 32, 0, 0};

    private WatermarkMath() {
    }

    /** The kernel's default {@code sysctl_lowmem_reserve_ratio}, by zone index: a copy. */
    public static int[] defaultLowmemReserveRatio() {
        return DEFAULT_LOWMEM_RESERVE_RATIO.clone();
    }

    /** The kernel's default {@code lowmem_reserve_ratio} of zone index {@code i}. */
    public static int defaultLowmemReserveRatio(int i) {
        return DEFAULT_LOWMEM_RESERVE_RATIO[i];
    }

    /** {@code calculate_min_free_kbytes}' figure before it is clamped: {@code int_sqrt(lowmem_kbytes * 16)}. */
    public static long minFreeKbytesFor(long lowmemKbytes) {
        return KernelMath.intSqrt(lowmemKbytes * 16);
    }

    /** {@code calculate_min_free_kbytes}' clamp to [128, 262144]. */
    public static int clampMinFreeKbytes(long kbytes) {
        return (int) Math.max(128, Math.min(kbytes, 262144));
    }

    /**
     * {@code __setup_per_zone_wmarks}' gap between min and low, and between low and high:
     * the larger of a quarter of the zone's share of pages_min and watermark_scale_factor / 10000
     * of its managed pages.
     *
     * @param minShare the zone's share of pages_min ({@code pages_min * managed / lowmem_pages})
     */
    public static long watermarkGap(long minShare, long managed, int scaleFactor) {
        return Math.max(minShare >> 2, KernelMath.multFrac(managed, scaleFactor, 10000));
    }

    /**
     * {@code calculate_totalreserve_pages} for one zone: its largest lowmem_reserve entry plus its
     * high watermark, at most its managed pages.
     */
    public static long zoneTotalreserve(long maxLowmemReserve, long high, long managed) {
        return Math.min(managed, maxLowmemReserve + high);
    }
}

package mm.hw.zone;

import mm.api.machine.WatermarkMath;
import mm.api.machine.ZoneType;

/**
 * The page allocator's sysctls (mm/page_alloc.c), with the kernel's defaults. Changed only
 * through {@link ZoneWatermarks}, which recomputes what depends on them.
 */
public final class VmTunables {
    /** {@code min_free_kbytes}; set by {@code calculate_min_free_kbytes} at boot. */
    int minFreeKbytes = WatermarkMath.DEFAULT_MIN_FREE_KBYTES;
    /** {@code user_min_free_kbytes}: -1 until the sysctl is written. */
    int userMinFreeKbytes = -1;
    /** {@code watermark_scale_factor}: 10 = 0.1 % of a zone. */
    int watermarkScaleFactor = WatermarkMath.DEFAULT_WATERMARK_SCALE_FACTOR;
    /** {@code watermark_boost_factor}: 15000 = 150 % of the high watermark. */
    int watermarkBoostFactor = WatermarkMath.DEFAULT_WATERMARK_BOOST_FACTOR;
    /** {@code sysctl_lowmem_reserve_ratio}, by zone index. */
    final int[] lowmemReserveRatio = WatermarkMath.defaultLowmemReserveRatio();
    /** {@code percpu_pagelist_high_fraction}: 0 = derive pcp high from the low watermark. */
    int percpuPagelistHighFraction;

    /** A copy of the current values. */
    public synchronized VmTunables copy() {
        VmTunables t = new VmTunables();
        t.minFreeKbytes = minFreeKbytes;
        t.userMinFreeKbytes = userMinFreeKbytes;
        t.watermarkScaleFactor = watermarkScaleFactor;
        t.watermarkBoostFactor = watermarkBoostFactor;
        System.arraycopy(lowmemReserveRatio, 0, t.lowmemReserveRatio, 0, ZoneType.MAX_NR_ZONES);
        t.percpuPagelistHighFraction = percpuPagelistHighFraction;
        return t;
    }

    public int minFreeKbytes() {
        return minFreeKbytes;
    }

    public int watermarkScaleFactor() {
        return watermarkScaleFactor;
    }

    public int watermarkBoostFactor() {
        return watermarkBoostFactor;
    }

    public int[] lowmemReserveRatio() {
        return lowmemReserveRatio.clone();
    }

    public int percpuPagelistHighFraction() {
        return percpuPagelistHighFraction;
    }
}

package mm.api.machine;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.MachineCapture.ZoneCapture;

/**
 * The vm sysctls a machine shaped like a capture boots with: those the capture gives; for those it
 * does not, the values its own watermarks and protection arrays imply, by the same arithmetic as
 * the kernel's {@code __setup_per_zone_wmarks} and {@code setup_per_zone_lowmem_reserve} (mm.hw's ZoneWatermarks) run backwards ({@code min_free_kbytes} from the min watermarks,
 * {@code watermark_scale_factor} from the low–min gaps when they are not a quarter of min,
 * {@code lowmem_reserve_ratio} from the protection arrays); the kernel's default where the
 * capture's figures leave the value open (the default if it fits, as here it always does for
 * the boost factor, which no figure depends on).
 *
 * @param minFreeKbytes {@code vm.min_free_kbytes}
 * @param watermarkScaleFactor {@code vm.watermark_scale_factor}
 * @param watermarkBoostFactor {@code vm.watermark_boost_factor}
 * @param lowmemReserveRatio {@code vm.lowmem_reserve_ratio}, by zone index
 * @param inferred the names of the values inferred rather than read
 */
public record CaptureSysctls(int minFreeKbytes, int watermarkScaleFactor, int watermarkBoostFactor, int[] lowmemReserveRatio,
        List<String> inferred) {

    /**
     * The sysctls for a capture.
     *
     * @throws IllegalArgumentException when no value of a missing sysctl gives the capture's figures
     */
    public static CaptureSysctls of(MachineCapture cap) {
        List<String> inferred = new ArrayList<>();
        int minFree = cap.minFreeKbytes();
        if (minFree < 0) {
            minFree = inferMinFreeKbytes(cap);
            inferred.add("min_free_kbytes=" + minFree);
        }
        int wsf = cap.watermarkScaleFactor();
        if (wsf < 0) {
            wsf = inferScaleFactor(cap, minFree);
            inferred.add("watermark_scale_factor=" + wsf);
        }
        int wbf = cap.watermarkBoostFactor();
        if (wbf < 0) {
            wbf = WatermarkMath.DEFAULT_WATERMARK_BOOST_FACTOR;
            inferred.add("watermark_boost_factor=" + wbf + " (the default: no figure depends on it)");
        }
        int[] ratios = cap.lowmemReserveRatio();
        if (ratios == null) {
            ratios = inferRatios(cap);
            StringBuilder sb = new StringBuilder("lowmem_reserve_ratio=");
            for (int i = 0; i < ratios.length; i++) {
                sb.append(i == 0 ? "" : " ").append(ratios[i]);
            }
            inferred.add(sb.toString());
        }
        return new CaptureSysctls(minFree, wsf, wbf, ratios, List.copyOf(inferred));
    }

    private static long lowmemPages(MachineCapture cap) {
        long sum = 0;
        for (ZoneCapture z : cap.zones()) {
            if (z.type() != ZoneType.MOVABLE) {
                sum += z.managed();
            }
        }
        return sum;
    }

    /**
     * pages_min such that pages_min * managed / lowmem_pages (rounded down) is every zone's min
     * watermark: the intersection of [min * L / m, (min + 1) * L / m) over the zones; its smallest
     * member, times 4 KiB, unless the kernel's own choices (khugepaged's or the boot formula) are in it.
     */
    static int inferMinFreeKbytes(MachineCapture cap) {
        long lowmem = lowmemPages(cap);
        long lo = 0;
        long hi = Long.MAX_VALUE;
        for (ZoneCapture z : cap.zones()) {
            if (z.type() == ZoneType.MOVABLE || z.managed() == 0) {
                continue;
            }
            long min = z.min() - z.boost();
            long m = z.managed();
            // P * m / L >= min  <=>  P >= ceil(min * L / m);   P * m / L < min + 1  <=>  P < ceil((min + 1) * L / m)
            lo = Math.max(lo, ceilDiv(Math.multiplyExact(min, lowmem), m));
            hi = Math.min(hi, ceilDiv(Math.multiplyExact(min + 1, lowmem), m));
        }
        if (hi == Long.MAX_VALUE) {
            return WatermarkMath.DEFAULT_MIN_FREE_KBYTES;
        }
        if (lo >= hi || lo * 4 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(cap.dir() + ": the min watermarks do not follow from any vm.min_free_kbytes"
                    + " (give it in proc_sys_vm_sysctls.txt)");
        }
        // min_free_kbytes' two lowest bits never show and pages_min itself is often open by a few pages:
        // prefer what the kernel would have set (khugepaged's recommendation, then the boot formula)
        for (long kb : new long[] {recommendedMinFreeKbytes(cap), defaultMinFreeKbytes(cap)}) {
            if (kb >> 2 >= lo && kb >> 2 < hi) {
                return (int) kb;
            }
        }
        return (int) (lo * 4);
    }

    /**
     * khugepaged's {@code set_recommended_min_free_kbytes} (THP on): 2 + MIGRATE_PCPTYPES² pageblocks per
     * populated zone up to ZONE_NORMAL, at most 5 % of {@code nr_free_buffer_pages}.
     */
    static long recommendedMinFreeKbytes(MachineCapture cap) {
        long zones = 0;
        long buffer = 0;
        for (ZoneCapture z : cap.zones()) {
            if (z.present() > 0 && z.type().ordinal() <= ZoneType.NORMAL.ordinal()) {
                zones++;
                buffer += Math.max(0, z.managed() - z.high());
            }
        }
        long pages = 512 * zones * (2 + 3 * 3);
        return Math.min(pages, buffer / 20) << 2;
    }

    /** {@code calculate_min_free_kbytes} at boot (every high watermark still 0). */
    static long defaultMinFreeKbytes(MachineCapture cap) {
        long lowmem = 0;
        for (ZoneCapture z : cap.zones()) {
            if (z.type().ordinal() <= ZoneType.NORMAL.ordinal()) {
                lowmem += z.managed();
            }
        }
        return WatermarkMath.clampMinFreeKbytes(WatermarkMath.minFreeKbytesFor(lowmem * 4));
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    /** The default 10 if every zone's low - min gap agrees with it, else the smallest factor that does. */
    static int inferScaleFactor(MachineCapture cap, int minFreeKbytes) {
        if (scaleFactorFits(cap, minFreeKbytes, WatermarkMath.DEFAULT_WATERMARK_SCALE_FACTOR)) {
            return WatermarkMath.DEFAULT_WATERMARK_SCALE_FACTOR;
        }
        for (int f = 1; f <= 3000; f++) {
            if (scaleFactorFits(cap, minFreeKbytes, f)) {
                return f;
            }
        }
        throw new IllegalArgumentException(cap.dir() + ": the low/high watermarks do not follow from any vm.watermark_scale_factor"
                + " (give it in proc_sys_vm_sysctls.txt)");
    }

    private static boolean scaleFactorFits(MachineCapture cap, int minFreeKbytes, int factor) {
        long pagesMin = minFreeKbytes >> 2;
        long lowmem = lowmemPages(cap);
        for (ZoneCapture z : cap.zones()) {
            long tmp = lowmem == 0 ? 0 : pagesMin * z.managed() / lowmem;
            long delta = WatermarkMath.watermarkGap(tmp, z.managed(), factor);
            if (z.low() - z.min() != delta || z.high() - z.low() != delta) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per zone i: the default ratio if it gives zone i's protection entries, else the smallest r with
     * (Σ managed of zones i+1..j) / r equal to protection[j] for every j; 0 when every entry is 0
     * although there is memory above.
     */
    static int[] inferRatios(MachineCapture cap) {
        int[] ratios = WatermarkMath.defaultLowmemReserveRatio();
        for (int i = 0; i < ZoneType.MAX_NR_ZONES - 1; i++) {
            long lo = 1;
            long hi = Long.MAX_VALUE;
            boolean defaultFits = true;
            boolean zeroFits = true;
            boolean constrained = false;
            for (int nid = 0; nid < cap.nodeCount(); nid++) {
                ZoneCapture zi = cap.zone(nid, ZoneType.of(i));
                if (zi == null || zi.managed() == 0) {
                    continue;
                }
                long sum = 0;
                for (int j = i + 1; j < ZoneType.MAX_NR_ZONES; j++) {
                    ZoneCapture zj = cap.zone(nid, ZoneType.of(j));
                    sum += zj == null ? 0 : zj.managed();
                    long p = zi.protection(j);
                    if (sum == 0) {
                        if (p != 0) {
                            throw noRatio(cap, zi);
                        }
                        continue;
                    }
                    constrained = true;
                    zeroFits &= p == 0;
                    int dflt = WatermarkMath.defaultLowmemReserveRatio(i);
                    defaultFits &= dflt != 0 && sum / dflt == p;
                    if (p != 0) {
                        // sum / r == p  <=>  sum / (p + 1) < r <= sum / p
                        lo = Math.max(lo, sum / (p + 1) + 1);
                        hi = Math.min(hi, sum / p);
                    } else {
                        lo = Math.max(lo, sum + 1);
                    }
                }
            }
            if (!constrained || defaultFits) {
                continue;
            }
            if (zeroFits) {
                ratios[i] = 0;
            } else if (lo <= hi && lo <= Integer.MAX_VALUE) {
                ratios[i] = (int) lo;
            } else {
                throw noRatio(cap, cap.zone(0, ZoneType.of(i)));
            }
        }
        return ratios;
    }

    private static IllegalArgumentException noRatio(MachineCapture cap, ZoneCapture z) {
        return new IllegalArgumentException(cap.dir() + ": " + (z == null ? "a zone" : z.label())
                + "'s protection does not follow from any vm.lowmem_reserve_ratio (give it in proc_sys_vm_sysctls.txt)");
    }



    /** One line: the values, and which were inferred. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("min_free_kbytes=").append(minFreeKbytes).append(" watermark_scale_factor=").append(watermarkScaleFactor)
                .append(" watermark_boost_factor=").append(watermarkBoostFactor).append(" lowmem_reserve_ratio=");
        for (int i = 0; i < lowmemReserveRatio.length; i++) {
            sb.append(i == 0 ? "" : ",").append(lowmemReserveRatio[i]);
        }
        if (!inferred.isEmpty()) {
            sb.append(inferred.size() == 4 ? " (all inferred from the zones' figures)" : " (some inferred from the zones' figures)");
        }
        return sb.toString();
    }
}

package mm.hw.zone;

import java.util.List;
import mm.api.machine.Watermark;
import mm.api.machine.WatermarkMath;
import mm.api.machine.ZoneType;

/**
 * The watermark, lowmem-reserve and per-CPU pageset arithmetic of mm/page_alloc.c and
 * mm/vmstat.c, exactly as the kernel computes it: {@code calculate_min_free_kbytes},
 * {@code __setup_per_zone_wmarks}, {@code setup_per_zone_lowmem_reserve},
 * {@code calculate_totalreserve_pages}, {@code zone_batchsize}, {@code zone_highsize},
 * {@code calculate_normal_threshold}. It is the one place this arithmetic lives: every frame
 * allocator reads the results from the zones.
 */
public final class ZoneWatermarks {

    /** PAGE_SHIFT. */
    static final int PAGE_SHIFT = 12;
    /** SWAP_CLUSTER_MAX. */
    static final long SWAP_CLUSTER_MAX = 32;
    /** MIN_PERCPU_PAGELIST_HIGH_FRACTION. */
    public static final int MIN_PERCPU_PAGELIST_HIGH_FRACTION = 8;

    private final List<NodeImpl> nodes;
    private final int onlineCpus;
    private final VmTunables tunables;
    private long totalreservePages;

    /** The arithmetic over these nodes, with these tunables. */
    public ZoneWatermarks(List<NodeImpl> nodes, int onlineCpus, VmTunables tunables) {
        this.nodes = List.copyOf(nodes);
        this.onlineCpus = onlineCpus;
        this.tunables = tunables;
        for (NodeImpl n : this.nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                z.useTunables(tunables);
            }
        }
    }

    /** The tunables. */
    public VmTunables tunables() {
        return tunables;
    }

    /** {@code totalreserve_pages} as last computed. */
    public long totalreservePages() {
        return totalreservePages;
    }

    /**
     * {@code init_per_zone_wmark_min}: the boot-time sequence, run once the zones have their
     * managed pages.
     */
    public synchronized void initPerZoneWmarkMin() {
        calculateMinFreeKbytes();
        setupPerZoneWmarks();
        refreshZoneStatThresholds();
        setupPerZoneLowmemReserve();
    }

    /**
     * {@code nr_free_buffer_pages}: managed pages above the high watermark in the zones a
     * GFP_USER allocation may use (up to ZONE_NORMAL).
     */
    long nrFreeBufferPages() {
        long sum = 0;
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                if (z.type().ordinal() > ZoneType.NORMAL.ordinal() || z.managedPages() == 0) {
                    continue;
                }
                long size = z.managedPages();
                long high = z.watermark(Watermark.HIGH);
                if (size > high) {
                    sum += size - high;
                }
            }
        }
        return sum;
    }

    /**
     * {@code calculate_min_free_kbytes}: sqrt(lowmem_kbytes * 16), clamped to [128, 262144], unless
     * the user set a larger value.
     */
    void calculateMinFreeKbytes() {
        long lowmemKbytes = nrFreeBufferPages() * (4096 >> 10);
        long newMin = WatermarkMath.minFreeKbytesFor(lowmemKbytes);
        if (newMin > tunables.userMinFreeKbytes) {
            tunables.minFreeKbytes = WatermarkMath.clampMinFreeKbytes(newMin);
        }
    }



    /**
     * {@code setup_per_zone_wmarks}: {@code __setup_per_zone_wmarks} then, for every zone,
     * {@code zone_pcp_update}.
     */
    public synchronized void setupPerZoneWmarks() {
        long pagesMin = tunables.minFreeKbytes >> (PAGE_SHIFT - 10);
        long lowmemPages = 0;
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                if (z.type() != ZoneType.MOVABLE) {
                    lowmemPages += z.managedPages();
                }
            }
        }
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                long managed = z.managedPages();
                long tmp = lowmemPages == 0 ? 0 : pagesMin * managed / lowmemPages;
                if (z.type() == ZoneType.MOVABLE) {
                    long minPages = managed / 1024;
                    minPages = Math.max(SWAP_CLUSTER_MAX, Math.min(minPages, 128));
                    z.setRawWatermark(Watermark.MIN, minPages);
                } else {
                    z.setRawWatermark(Watermark.MIN, tmp);
                }
                tmp = WatermarkMath.watermarkGap(tmp, managed, tunables.watermarkScaleFactor);
                z.setWatermarkBoost(0);
                z.setRawWatermark(Watermark.LOW, z.rawWatermark(Watermark.MIN) + tmp);
                z.setRawWatermark(Watermark.HIGH, z.rawWatermark(Watermark.LOW) + tmp);
                z.setRawWatermark(Watermark.PROMO, z.rawWatermark(Watermark.HIGH) + tmp);
            }
        }
        calculateTotalreservePages();
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                zonePcpUpdate(z, n.cpuCount());
            }
        }
    }

    /**
     * {@code setup_per_zone_lowmem_reserve}: for each zone i and each higher zone j,
     * lowmem_reserve[j] = (managed pages of zones i+1..j) / ratio[i], 0 if the ratio is 0 or zone
     * i has no managed pages.
     */
    public synchronized void setupPerZoneLowmemReserve() {
        for (NodeImpl n : nodes) {
            List<ZoneImpl> zones = n.zoneImpls();
            for (int i = 0; i < ZoneType.MAX_NR_ZONES - 1; i++) {
                ZoneImpl zone = zones.get(i);
                int ratio = tunables.lowmemReserveRatio[i];
                boolean clear = ratio == 0 || zone.managedPages() == 0;
                long managed = 0;
                for (int j = i + 1; j < ZoneType.MAX_NR_ZONES; j++) {
                    managed += zones.get(j).managedPages();
                    zone.setLowmemReserve(j, clear ? 0 : managed / ratio);
                }
            }
        }
        calculateTotalreservePages();
    }

    /**
     * {@code calculate_totalreserve_pages}: per zone, the largest lowmem_reserve entry plus the high
     * watermark, capped at the managed pages; summed over all zones.
     */
    void calculateTotalreservePages() {
        long reserve = 0;
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                long max = 0;
                for (int j = z.type().ordinal(); j < ZoneType.MAX_NR_ZONES; j++) {
                    max = Math.max(max, z.lowmemReserve(j));
                }
                reserve += WatermarkMath.zoneTotalreserve(max, z.watermark(Watermark.HIGH), z.managedPages());
            }
        }
        totalreservePages = reserve;
    }

    /** {@code zone_batchsize}: ~0.1 % of the zone or 1 MiB, whichever is smaller, as 2^n - 1. */
    static int zoneBatchsize(long managedPages) {
        long batch = Math.min(managedPages >> 10, (1L << 20) / 4096);
        batch /= 4;
        if (batch < 1) {
            batch = 1;
        }
        return (int) (Long.highestOneBit(batch + batch / 2) - 1);
    }

    /**
     * {@code zone_highsize}: the low watermark (or managed / fraction) split over the CPUs local to
     * the zone, at least four batches.
     */
    int zoneHighsize(ZoneImpl zone, int batch, int nodeCpus, int highFraction) {
        long totalPages = highFraction == 0 ? zone.watermark(Watermark.LOW) : zone.managedPages() / highFraction;
        int nrSplitCpus = nodeCpus;
        if (nrSplitCpus == 0) {
            nrSplitCpus = onlineCpus;
        }
        long high = totalPages / nrSplitCpus;
        return (int) Math.max(high, (long) batch << 2);
    }

    /** {@code zone_pcp_update} → {@code zone_set_pageset_high_and_batch}. */
    void zonePcpUpdate(ZoneImpl zone, int nodeCpus) {
        int batch = Math.max(1, zoneBatchsize(zone.managedPages()));
        int highMin;
        int highMax;
        if (tunables.percpuPagelistHighFraction != 0) {
            highMin = zoneHighsize(zone, batch, nodeCpus, tunables.percpuPagelistHighFraction);
            highMax = highMin;
        } else {
            highMin = zoneHighsize(zone, batch, nodeCpus, 0);
            highMax = zoneHighsize(zone, batch, nodeCpus, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
        }
        zone.setPageset(batch, highMin, highMax);
    }

    /** {@code refresh_zone_stat_thresholds} with {@code calculate_normal_threshold} for each populated zone. */
    void refreshZoneStatThresholds() {
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                if (z.presentPages() > 0) {
                    z.setStatThreshold(calculateNormalThreshold(z.managedPages(), onlineCpus));
                }
            }
        }
    }

    /** {@code calculate_normal_threshold}: 2 * fls(cpus) * (1 + fls(managed in 128 MiB units)), at most 125. */
    static int calculateNormalThreshold(long managedPages, int cpus) {
        long mem = managedPages >> (27 - PAGE_SHIFT);
        int threshold = 2 * fls(cpus) * (1 + fls(mem));
        return Math.min(125, threshold);
    }

    /** {@code fls}: the position of the highest set bit, 1-based; 0 for 0. */
    static int fls(long x) {
        return 64 - Long.numberOfLeadingZeros(x);
    }

    /** Writes {@code vm.min_free_kbytes} ({@code min_free_kbytes_sysctl_handler}). */
    public synchronized void writeMinFreeKbytes(int kbytes) {
        if (kbytes < 0) {
            throw new IllegalArgumentException("vm.min_free_kbytes = " + kbytes + " is negative: accepted are 0 and above");
        }
        tunables.minFreeKbytes = kbytes;
        tunables.userMinFreeKbytes = kbytes;
        setupPerZoneWmarks();
    }

    /** Writes {@code vm.watermark_scale_factor} ({@code watermark_scale_factor_sysctl_handler}). */
    public synchronized void writeWatermarkScaleFactor(int factor) {
        if (factor < 1 || factor > 3000) {
            throw new IllegalArgumentException("vm.watermark_scale_factor = " + factor + " is out of range: accepted are 1 to 3000");
        }
        tunables.watermarkScaleFactor = factor;
        setupPerZoneWmarks();
    }

    /** Writes {@code vm.watermark_boost_factor}. */
    public synchronized void writeWatermarkBoostFactor(int factor) {
        if (factor < 0) {
            throw new IllegalArgumentException("vm.watermark_boost_factor = " + factor + " is negative: accepted are 0 and above");
        }
        tunables.watermarkBoostFactor = factor;
    }

    /**
     * Writes {@code vm.lowmem_reserve_ratio} ({@code lowmem_reserve_ratio_sysctl_handler}): as many
     * values as given, from the first zone; values below 1 become 0.
     */
    public synchronized void writeLowmemReserveRatio(int[] ratios) {
        if (ratios.length == 0 || ratios.length > ZoneType.MAX_NR_ZONES) {
            throw new IllegalArgumentException("vm.lowmem_reserve_ratio takes 1 to " + ZoneType.MAX_NR_ZONES + " values, got " + ratios.length);
        }
        for (int i = 0; i < ratios.length; i++) {
            tunables.lowmemReserveRatio[i] = ratios[i] < 1 ? 0 : ratios[i];
        }
        setupPerZoneLowmemReserve();
    }

    /** Writes {@code vm.percpu_pagelist_high_fraction} ({@code percpu_pagelist_high_fraction_sysctl_handler}). */
    public synchronized void writePercpuPagelistHighFraction(int fraction) {
        if (fraction != 0 && fraction < MIN_PERCPU_PAGELIST_HIGH_FRACTION) {
            throw new IllegalArgumentException("vm.percpu_pagelist_high_fraction = " + fraction
                    + " is out of range: accepted are 0 or 8 and above");
        }
        tunables.percpuPagelistHighFraction = fraction;
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                zonePcpUpdate(z, n.cpuCount());
            }
        }
    }

    /**
     * Sets every tunable at once and recomputes everything, as booting a machine shaped like a real
     * one does ({@code mm:boot --like}).
     */
    public synchronized void applyTunables(int minFreeKbytes, int scaleFactor, int boostFactor, int[] ratios) {
        tunables.minFreeKbytes = minFreeKbytes;
        tunables.userMinFreeKbytes = minFreeKbytes;
        tunables.watermarkScaleFactor = scaleFactor;
        tunables.watermarkBoostFactor = boostFactor;
        System.arraycopy(ratios, 0, tunables.lowmemReserveRatio, 0, Math.min(ratios.length, ZoneType.MAX_NR_ZONES));
        setupPerZoneWmarks();
        setupPerZoneLowmemReserve();
    }
}

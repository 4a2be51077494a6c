package mm.hw.zone;

import java.util.concurrent.atomic.AtomicLongArray;
import mm.api.machine.KernelMath;
import mm.api.machine.Machine;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;

/**
 * A zone ({@code struct zone}): its span, present and managed pages, watermarks, lowmem reserve,
 * counters, and the per-CPU pageset limits derived from its watermarks.
 */
public final class ZoneImpl implements Zone {

    private final int nid;
    private final ZoneType type;
    private final int id;
    private long startPfn;
    private long spannedPages;
    private long presentPages;
    private volatile long managedPages;
    private final long[] watermark = new long[Watermark.NR_WMARK];
    private volatile long watermarkBoost;
    private final long[] lowmemReserve = new long[ZoneType.MAX_NR_ZONES];
    private final AtomicLongArray stats = new AtomicLongArray(ZoneStat.COUNT);
    /** Per-CPU event counters ({@code per_cpu_zonestats}), folded into {@link #state} when read. */
    private long[][] cpuEvents = new long[0][];
    private int pagesetBatch = 1;
    private int pagesetHighMin;
    private int pagesetHighMax;
    private int statThreshold;
    private VmTunables tunables = new VmTunables();

    /** An empty zone of a node. */
    public ZoneImpl(int nid, ZoneType type) {
        this.nid = nid;
        this.type = type;
        this.id = nid * ZoneType.MAX_NR_ZONES + type.ordinal();
    }

    @Override
    public int id() {
        return id;
    }

    /** Sets the span and present pages ({@code zone_init_internals}, {@code calculate_node_totalpages}). */
    public void setSpan(long start, long spanned, long present) {
        this.startPfn = start;
        this.spannedPages = spanned;
        this.presentPages = present;
    }

    @Override
    public int nid() {
        return nid;
    }

    @Override
    public ZoneType type() {
        return type;
    }

    @Override
    public long startPfn() {
        return startPfn;
    }

    @Override
    public long spannedPages() {
        return spannedPages;
    }

    @Override
    public long presentPages() {
        return presentPages;
    }

    @Override
    public long managedPages() {
        return managedPages;
    }

    /** {@code adjust_managed_page_count}; memblock_free_all adds every page it frees. */
    public void adjustManagedPages(long delta) {
        managedPages += delta;
    }

    @Override
    public long watermark(Watermark w) {
        return watermark[w.ordinal()] + watermarkBoost;
    }

    @Override
    public long rawWatermark(Watermark w) {
        return watermark[w.ordinal()];
    }

    /** Sets {@code _watermark[w]}. */
    public void setRawWatermark(Watermark w, long pages) {
        watermark[w.ordinal()] = pages;
    }

    @Override
    public long watermarkBoost() {
        return watermarkBoost;
    }

    @Override
    public void setWatermarkBoost(long pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("watermark boost " + pages + " is negative");
        }
        watermarkBoost = pages;
    }

    /** The tunables {@link #boostWatermark()} reads. */
    void useTunables(VmTunables t) {
        this.tunables = t;
    }

    @Override
    public synchronized boolean boostWatermark() {
        int factor = tunables.watermarkBoostFactor;
        if (factor == 0) {
            return false;
        }
        int pageblock = Machine.PAGEBLOCK_NR_PAGES;
        if ((long) pageblock * 4 > managedPages) {
            return false;
        }
        long maxBoost = KernelMath.multFrac(watermark[Watermark.HIGH.ordinal()], factor, 10000);
        if (maxBoost == 0) {
            return false;
        }
        maxBoost = Math.max(pageblock, maxBoost);
        watermarkBoost = Math.min(watermarkBoost + pageblock, maxBoost);
        return true;
    }

    @Override
    public long lowmemReserve(int highestZoneIdx) {
        return lowmemReserve[highestZoneIdx];
    }

    /** Sets {@code lowmem_reserve[j]}. */
    public void setLowmemReserve(int j, long pages) {
        lowmemReserve[j] = pages;
    }

    /** Sizes the per-CPU counters for the machine's CPUs ({@code setup_zone_pageset}). */
    public void initCpus(int cpus) {
        cpuEvents = new long[cpus][ZoneStat.COUNT];
    }

    /** The items counted per CPU ({@code numa_stat_item}): NUMA_HIT and those after it. */
    private static boolean perCpu(ZoneStat item) {
        return item.ordinal() >= ZoneStat.NUMA_HIT.ordinal();
    }

    @Override
    public long state(ZoneStat item) {
        long sum = stats.get(item.ordinal());
        if (perCpu(item)) {
            for (long[] c : cpuEvents) {
                sum += c[item.ordinal()];
            }
        }
        return sum;
    }

    @Override
    public void countEvent(int cpu, ZoneStat item, long delta) {
        if (!perCpu(item)) {
            throw new IllegalArgumentException("countEvent(" + item + "): accepted are the NUMA events (NUMA_HIT and after); "
                    + "modState counts the others");
        }
        cpuEvents[cpu][item.ordinal()] += delta;
    }

    @Override
    public void modState(ZoneStat item, long delta) {
        stats.getAndAdd(item.ordinal(), delta);
    }

    /** {@code zone->pageset_batch}: the per-CPU list batch ({@code zone_batchsize}, at least 1). */
    @Override
    public int pagesetBatch() {
        return pagesetBatch;
    }

    /** {@code zone->pageset_high_min}. */
    @Override
    public int pagesetHighMin() {
        return pagesetHighMin;
    }

    /** {@code zone->pageset_high_max}. */
    @Override
    public int pagesetHighMax() {
        return pagesetHighMax;
    }

    /** Sets the per-CPU pageset limits ({@code zone_set_pageset_high_and_batch}). */
    public void setPageset(int batch, int highMin, int highMax) {
        this.pagesetBatch = batch;
        this.pagesetHighMin = highMin;
        this.pagesetHighMax = highMax;
    }

    /** The per-CPU counter drift threshold ({@code stat_threshold}). */
    @Override
    public int statThreshold() {
        return statThreshold;
    }

    /** Sets the per-CPU counter drift threshold. */
    public void setStatThreshold(int threshold) {
        this.statThreshold = threshold;
    }

    @Override
    public String toString() {
        return "Node " + nid + ", zone " + type.kernelName();
    }
}

package mm.hw.zone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import mm.api.machine.Machine;
import mm.api.machine.Watermark;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The watermark, lowmem_reserve, per-CPU pageset and vmstat-threshold arithmetic against two
 * /proc/zoneinfo captures of a real Linux 6.18 machine (2 CPUs, one node): zones given the
 * captured managed/present/spanned pages and the captured sysctls must print exactly the captured
 * min/low/high/promo, protection, batch, high_min, high_max and vm stats threshold.
 */
class ZoneWatermarksTest {

    static final String PROC_ZONEINFO = "/kernel-data/proc/proc_zoneinfo.txt";
    static final String PROC_SYSCTLS = "/kernel-data/proc/proc_sys_vm.txt";
    static final String LIKE_ZONEINFO = "/kernel-data/zoneinfo-like/proc_zoneinfo.txt";
    static final String LIKE_SYSCTLS = "/kernel-data/zoneinfo-like/proc_sys_vm_sysctls.txt";
    static final int CAPTURED_CPUS = 2;
    static final long PAGES_PER_GIB = (1L << 30) / Machine.PAGE_SIZE;

    /** A node and its arithmetic, built from a capture. */
    record Fixture(NodeImpl node, ZoneWatermarks wm, List<CapturedZoneinfo.Zone> captured) {
        ZoneImpl zone(ZoneType t) {
            return node.zoneImpl(t);
        }
    }

    static ZoneType typeOf(String kernelName) {
        for (ZoneType t : ZoneType.values()) {
            if (t.kernelName().equals(kernelName)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown zone " + kernelName);
    }

    /** Zones shaped like the capture, booted ({@code init_per_zone_wmark_min}) with the default tunables. */
    static Fixture fromCapture(String zoneinfo) {
        List<CapturedZoneinfo.Zone> captured = CapturedZoneinfo.parseZoneinfo(zoneinfo);
        assertEquals(ZoneType.MAX_NR_ZONES, captured.size(), "zones in " + zoneinfo);
        NodeImpl node = new NodeImpl(0, IntStream.range(0, CAPTURED_CPUS).toArray());
        for (CapturedZoneinfo.Zone c : captured) {
            ZoneImpl z = node.zoneImpl(typeOf(c.name));
            z.setSpan(Math.max(0, c.startPfn), c.spanned, c.present);
            z.adjustManagedPages(c.managed);
            if (c.present > 0) {
                assertEquals(CAPTURED_CPUS, c.cpus, c + " pagesets");
            }
        }
        ZoneWatermarks wm = new ZoneWatermarks(List.of(node), CAPTURED_CPUS, new VmTunables());
        wm.initPerZoneWmarkMin();
        return new Fixture(node, wm, captured);
    }

    static Stream<Arguments> captures() {
        List<Arguments> out = new ArrayList<>();
        for (String[] c : new String[][] {{PROC_ZONEINFO, PROC_SYSCTLS}, {LIKE_ZONEINFO, LIKE_SYSCTLS}}) {
            out.add(Arguments.of(c[0], c[1], true));
            out.add(Arguments.of(c[0], c[1], false));
        }
        return out.stream();
    }

    /** Applies the captured sysctls, through the sysctl write paths or all at once. */
    static void applySysctls(ZoneWatermarks wm, Map<String, String> sysctls, boolean viaWrites) {
        int minFree = Integer.parseInt(sysctls.get("min_free_kbytes"));
        int scale = Integer.parseInt(sysctls.get("watermark_scale_factor"));
        int boost = Integer.parseInt(sysctls.get("watermark_boost_factor"));
        int[] ratios = CapturedZoneinfo.ints(sysctls.get("lowmem_reserve_ratio"));
        int fraction = Integer.parseInt(sysctls.getOrDefault("percpu_pagelist_high_fraction", "0"));
        if (viaWrites) {
            wm.writeMinFreeKbytes(minFree);
            wm.writeWatermarkScaleFactor(scale);
            wm.writeWatermarkBoostFactor(boost);
            wm.writeLowmemReserveRatio(ratios);
            wm.writePercpuPagelistHighFraction(fraction);
        } else {
            assertEquals(0, fraction, "applyTunables has no pcp fraction; the captures use 0");
            wm.applyTunables(minFree, scale, boost, ratios);
        }
    }

    @ParameterizedTest(name = "{0} via {2}")
    @MethodSource("captures")
    void everyZoneMatchesTheCapture(String zoneinfo, String sysctlFile, boolean viaWrites) {
        Fixture f = fromCapture(zoneinfo);
        Map<String, String> sysctls = CapturedZoneinfo.parseSysctls(sysctlFile);
        applySysctls(f.wm(), sysctls, viaWrites);

        assertEquals(Integer.parseInt(sysctls.get("min_free_kbytes")), f.wm().tunables().minFreeKbytes());
        long expectedTotalreserve = 0;
        for (CapturedZoneinfo.Zone c : f.captured()) {
            ZoneImpl z = f.zone(typeOf(c.name));
            String where = zoneinfo + ": " + c;
            assertEquals(c.managed, z.managedPages(), where + " managed");
            assertEquals(c.min, z.watermark(Watermark.MIN), where + " min");
            assertEquals(c.low, z.watermark(Watermark.LOW), where + " low");
            assertEquals(c.high, z.watermark(Watermark.HIGH), where + " high");
            assertEquals(c.promo, z.watermark(Watermark.PROMO), where + " promo");
            assertEquals(c.boost, z.watermarkBoost(), where + " boost");
            long[] protection = new long[ZoneType.MAX_NR_ZONES];
            for (int j = 0; j < protection.length; j++) {
                protection[j] = z.lowmemReserve(j);
            }
            assertArrayEquals(c.protection, protection, where + " protection");
            if (c.present > 0) {
                assertEquals(c.batch, z.pagesetBatch(), where + " batch");
                assertEquals(c.highMin, z.pagesetHighMin(), where + " high_min");
                assertEquals(c.highMax, z.pagesetHighMax(), where + " high_max");
                assertEquals(c.statThreshold, z.statThreshold(), where + " vm stats threshold");
            } else {
                // zoneinfo prints no pagesets for an empty zone; the kernel still runs zone_pcp_update
                // on it (batch clamps to 1, high to at least 4 batches) and never sets its threshold
                assertEquals(1, z.pagesetBatch(), where + " batch");
                assertEquals(Math.max(4, c.low / CAPTURED_CPUS), z.pagesetHighMin(), where + " high_min");
                assertEquals(4, z.pagesetHighMax(), where + " high_max");
                assertEquals(0, z.statThreshold(), where + " vm stats threshold");
            }
            long maxProtection = 0;
            for (long p : c.protection) {
                maxProtection = Math.max(maxProtection, p);
            }
            expectedTotalreserve += Math.min(maxProtection + c.high, c.managed);
        }
        assertEquals(expectedTotalreserve, f.wm().totalreservePages(), "totalreserve_pages");
    }

    @Test
    void capturedTotalreserveByHand() {
        // proc/proc_zoneinfo.txt: DMA 3529 + 105, DMA32 512 + 21573, Normal 0 + 3660, Movable capped at 0
        Fixture f = fromCapture(PROC_ZONEINFO);
        applySysctls(f.wm(), CapturedZoneinfo.parseSysctls(PROC_SYSCTLS), true);
        assertEquals(3634 + 22085 + 3660, f.wm().totalreservePages());
    }

    // ---- calculate_min_free_kbytes -------------------------------------------------------------

    /** A fresh node whose lowmem is split over DMA, DMA32 and Normal, plus Movable pages that do not count. */
    static ZoneWatermarks freshMachine(long lowmemPages, long movablePages) {
        NodeImpl node = new NodeImpl(0, new int[] {0, 1});
        long dma = Math.min(3840, lowmemPages);
        long dma32 = Math.min(lowmemPages - dma, 772497);
        long normal = lowmemPages - dma - dma32;
        node.zoneImpl(ZoneType.DMA).setSpan(1, 4095, dma);
        node.zoneImpl(ZoneType.DMA).adjustManagedPages(dma);
        node.zoneImpl(ZoneType.DMA32).setSpan(4096, 1044480, dma32);
        node.zoneImpl(ZoneType.DMA32).adjustManagedPages(dma32);
        node.zoneImpl(ZoneType.NORMAL).setSpan(1L << 20, normal, normal);
        node.zoneImpl(ZoneType.NORMAL).adjustManagedPages(normal);
        node.zoneImpl(ZoneType.MOVABLE).setSpan((1L << 20) + normal, movablePages, movablePages);
        node.zoneImpl(ZoneType.MOVABLE).adjustManagedPages(movablePages);
        return new ZoneWatermarks(List.of(node), 2, new VmTunables());
    }

    @ParameterizedTest(name = "{0} GiB")
    @ValueSource(ints = {1, 4, 16, 64})
    void calculateMinFreeKbytesFollowsTheKernelsExamples(int gib) {
        ZoneWatermarks wm = freshMachine(gib * PAGES_PER_GIB, PAGES_PER_GIB);
        wm.initPerZoneWmarkMin();
        int expected = switch (gib) {
            case 1 -> 4096;
            case 4 -> 8192;
            case 16 -> 16384;
            default -> 32768;
        };
        assertEquals(expected, wm.tunables().minFreeKbytes());
    }

    @Test
    void calculateMinFreeKbytesClampsToTheKernelsBounds() {
        ZoneWatermarks tiny = freshMachine(100, 0);
        tiny.initPerZoneWmarkMin();
        assertEquals(128, tiny.tunables().minFreeKbytes(), "int_sqrt(400 * 16) = 80, raised to 128");

        ZoneWatermarks huge = freshMachine(1L << 31, 0); // 8 TiB: int_sqrt gives 370727
        huge.initPerZoneWmarkMin();
        assertEquals(262144, huge.tunables().minFreeKbytes());
    }

    @Test
    void calculateMinFreeKbytesIgnoresZoneMovable() {
        ZoneWatermarks without = freshMachine(4 * PAGES_PER_GIB, 0);
        ZoneWatermarks with = freshMachine(4 * PAGES_PER_GIB, 8 * PAGES_PER_GIB);
        without.initPerZoneWmarkMin();
        with.initPerZoneWmarkMin();
        assertEquals(8192, without.tunables().minFreeKbytes());
        assertEquals(8192, with.tunables().minFreeKbytes());
    }

    @Test
    void aLargerUserValueSurvivesRecalculation() {
        ZoneWatermarks wm = freshMachine(4 * PAGES_PER_GIB, 0);
        wm.initPerZoneWmarkMin();
        wm.writeMinFreeKbytes(20000);
        // what memory hotplug does: calculate_min_free_kbytes again
        wm.initPerZoneWmarkMin();
        assertEquals(20000, wm.tunables().minFreeKbytes());
    }

    @Test
    void aSmallerUserValueIsReplacedOnRecalculation() {
        // calculate_min_free_kbytes only keeps user_min_free_kbytes when it is not smaller than the new value
        ZoneWatermarks wm = freshMachine(4 * PAGES_PER_GIB, 0);
        wm.initPerZoneWmarkMin();
        wm.writeMinFreeKbytes(1000);
        assertEquals(1000, wm.tunables().minFreeKbytes());
        // nr_free_buffer_pages now subtracts the high watermarks set from 1000 kB
        long lowmemKbytes = 4 * wm.nrFreeBufferPages();
        assertTrue(lowmemKbytes < 4 * 4 * PAGES_PER_GIB);
        wm.initPerZoneWmarkMin();
        assertEquals(mm.api.machine.KernelMath.intSqrt(lowmemKbytes * 16), wm.tunables().minFreeKbytes(),
                "computed from the pages above the high watermarks at the time");
        assertTrue(wm.tunables().minFreeKbytes() > 1000);
        assertTrue(wm.tunables().minFreeKbytes() < 8192);
    }

    @Test
    void intSqrtAndMultFrac() {
        assertEquals(0, mm.api.machine.KernelMath.intSqrt(0));
        assertEquals(4095, mm.api.machine.KernelMath.intSqrt(4096L * 4096 - 1));
        assertEquals(4096, mm.api.machine.KernelMath.intSqrt(4096L * 4096));
        assertEquals(3037000499L, mm.api.machine.KernelMath.intSqrt(Long.MAX_VALUE));
        // mult_frac(772497, 10, 10000) = 772
        assertEquals(772, mm.api.machine.KernelMath.multFrac(772497, 10, 10000));
        assertEquals(231749, mm.api.machine.KernelMath.multFrac(772497, 3000, 10000));
    }

    @Test
    void zoneBatchsizeAndNormalThreshold() {
        assertEquals(0, ZoneWatermarks.zoneBatchsize(3840), "rounddown_pow_of_two(1) - 1; the caller clamps to 1");
        assertEquals(31, ZoneWatermarks.zoneBatchsize(131072));
        assertEquals(63, ZoneWatermarks.zoneBatchsize(196608));
        assertEquals(63, ZoneWatermarks.zoneBatchsize(PAGES_PER_GIB * 64), "capped at 1 MiB of pages");
        assertEquals(4, ZoneWatermarks.calculateNormalThreshold(3840, 2));
        assertEquals(24, ZoneWatermarks.calculateNormalThreshold(772497, 2));
        assertEquals(125, ZoneWatermarks.calculateNormalThreshold(PAGES_PER_GIB * 1024, 256), "capped at 125");
    }

    // ---- sysctl writes: validation ---------------------------------------------------------------

    /** Every number the writes could change, to prove a rejected write changed nothing. */
    static List<Long> snapshot(Fixture f) {
        List<Long> out = new ArrayList<>();
        VmTunables t = f.wm().tunables();
        out.add((long) t.minFreeKbytes());
        out.add((long) t.watermarkScaleFactor());
        out.add((long) t.watermarkBoostFactor());
        out.add((long) t.percpuPagelistHighFraction());
        for (int r : t.lowmemReserveRatio()) {
            out.add((long) r);
        }
        out.add(f.wm().totalreservePages());
        for (ZoneImpl z : f.node().zoneImpls()) {
            for (Watermark w : Watermark.values()) {
                out.add(z.rawWatermark(w));
            }
            out.add(z.watermarkBoost());
            for (int j = 0; j < ZoneType.MAX_NR_ZONES; j++) {
                out.add(z.lowmemReserve(j));
            }
            out.add((long) z.pagesetBatch());
            out.add((long) z.pagesetHighMin());
            out.add((long) z.pagesetHighMax());
            out.add((long) z.statThreshold());
        }
        return out;
    }

    static Fixture likeCapture() {
        Fixture f = fromCapture(LIKE_ZONEINFO);
        applySysctls(f.wm(), CapturedZoneinfo.parseSysctls(LIKE_SYSCTLS), true);
        return f;
    }

    @Test
    void negativeMinFreeKbytesIsRejected() {
        Fixture f = likeCapture();
        List<Long> before = snapshot(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.wm().writeMinFreeKbytes(-1));
        assertTrue(e.getMessage().contains("vm.min_free_kbytes"), e.getMessage());
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertTrue(e.getMessage().contains("0 and above"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(before, snapshot(f));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -5, 3001, Integer.MAX_VALUE})
    void watermarkScaleFactorOutOfRangeIsRejected(int factor) {
        Fixture f = likeCapture();
        List<Long> before = snapshot(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.wm().writeWatermarkScaleFactor(factor));
        assertTrue(e.getMessage().contains("vm.watermark_scale_factor"), e.getMessage());
        assertTrue(e.getMessage().contains(Integer.toString(factor)), e.getMessage());
        assertTrue(e.getMessage().contains("1 to 3000"), e.getMessage());
        assertEquals(before, snapshot(f));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3000})
    void watermarkScaleFactorBoundsAreAccepted(int factor) {
        Fixture f = likeCapture();
        f.wm().writeWatermarkScaleFactor(factor);
        assertEquals(factor, f.wm().tunables().watermarkScaleFactor());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, -1})
    void percpuPagelistHighFractionBelowEightIsRejected(int fraction) {
        Fixture f = likeCapture();
        List<Long> before = snapshot(f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.wm().writePercpuPagelistHighFraction(fraction));
        assertTrue(e.getMessage().contains("vm.percpu_pagelist_high_fraction"), e.getMessage());
        assertTrue(e.getMessage().contains("0 or 8 and above"), e.getMessage());
        assertEquals(before, snapshot(f));
    }

    @Test
    void lowmemReserveRatioNeedsOneToFiveValues() {
        Fixture f = likeCapture();
        List<Long> before = snapshot(f);
        for (int[] bad : new int[][] {{}, {1, 2, 3, 4, 5, 6}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.wm().writeLowmemReserveRatio(bad));
            assertTrue(e.getMessage().contains("vm.lowmem_reserve_ratio"), e.getMessage());
            assertTrue(e.getMessage().contains("1 to 5 values"), e.getMessage());
            assertTrue(e.getMessage().contains("got " + bad.length), e.getMessage());
        }
        assertEquals(before, snapshot(f));
    }

    @Test
    void lowmemReserveRatioBelowOneBecomesZero() {
        Fixture f = likeCapture();
        f.wm().writeLowmemReserveRatio(new int[] {-7, 0});
        assertArrayEquals(new int[] {0, 0, 32, 0, 0}, f.wm().tunables().lowmemReserveRatio(), "only the values given change");
        for (int j = 0; j < ZoneType.MAX_NR_ZONES; j++) {
            assertEquals(0, f.zone(ZoneType.DMA).lowmemReserve(j));
            assertEquals(0, f.zone(ZoneType.DMA32).lowmemReserve(j));
        }
    }

    // ---- sysctl writes: what they recompute ------------------------------------------------------

    @Test
    void writingMinFreeKbytesRecomputesWatermarksAndTotalreserveOnly() {
        Fixture f = likeCapture();
        ZoneImpl dma32 = f.zone(ZoneType.DMA32);
        long[] protectionBefore = protection(dma32);
        long reserveBefore = f.wm().totalreservePages();
        int batchBefore = dma32.pagesetBatch();

        f.wm().writeMinFreeKbytes(2 * 67584);
        // pages_min 33792 spread over 3840 + 772497 + 196608 lowmem pages
        long lowmem = 3840 + 772497 + 196608;
        long min = 33792L * 772497 / lowmem;
        long delta = Math.max(min / 4, 772497L * 10 / 10000);
        assertEquals(min, dma32.watermark(Watermark.MIN));
        assertEquals(min + delta, dma32.watermark(Watermark.LOW));
        assertEquals(min + 2 * delta, dma32.watermark(Watermark.HIGH));
        assertEquals(min + 3 * delta, dma32.watermark(Watermark.PROMO));
        assertArrayEquals(protectionBefore, protection(dma32), "lowmem_reserve is not touched");
        assertTrue(f.wm().totalreservePages() > reserveBefore, "calculate_totalreserve_pages ran");
        assertEquals(batchBefore, dma32.pagesetBatch());
        assertEquals((min + delta) / CAPTURED_CPUS, dma32.pagesetHighMin(), "zone_pcp_update follows the low watermark");
        assertEquals(2 * 67584, f.wm().tunables().minFreeKbytes());
    }

    @Test
    void writingZeroMinFreeKbytesLeavesOnlyTheScaleFactorGap() {
        Fixture f = likeCapture();
        f.wm().writeMinFreeKbytes(0);
        ZoneImpl dma32 = f.zone(ZoneType.DMA32);
        assertEquals(0, dma32.watermark(Watermark.MIN));
        assertEquals(772, dma32.watermark(Watermark.LOW));
        assertEquals(32, f.zone(ZoneType.MOVABLE).watermark(Watermark.MIN), "Movable keeps its clamp");
    }

    @Test
    void writingWatermarkScaleFactorWidensTheGaps() {
        Fixture f = likeCapture();
        ZoneImpl dma32 = f.zone(ZoneType.DMA32);
        long min = dma32.watermark(Watermark.MIN);
        long[] protectionBefore = protection(dma32);
        long reserveBefore = f.wm().totalreservePages();
        f.wm().writeWatermarkScaleFactor(3000);
        long delta = mm.api.machine.KernelMath.multFrac(772497, 3000, 10000);
        assertEquals(min, dma32.watermark(Watermark.MIN), "min does not depend on the scale factor");
        assertEquals(min + delta, dma32.watermark(Watermark.LOW));
        assertEquals(min + 2 * delta, dma32.watermark(Watermark.HIGH));
        assertEquals(min + 3 * delta, dma32.watermark(Watermark.PROMO));
        assertArrayEquals(protectionBefore, protection(dma32));
        assertTrue(f.wm().totalreservePages() > reserveBefore);
    }

    @Test
    void writingLowmemReserveRatioRecomputesProtectionOnly() {
        Fixture f = likeCapture();
        ZoneImpl dma = f.zone(ZoneType.DMA);
        long[] wmBefore = {dma.rawWatermark(Watermark.MIN), dma.rawWatermark(Watermark.LOW), dma.rawWatermark(Watermark.HIGH)};
        long reserveBefore = f.wm().totalreservePages();
        f.wm().writeLowmemReserveRatio(new int[] {128, 128, 16, 0, 0});
        assertArrayEquals(new long[] {0, 772497 / 128, (772497 + 196608) / 128, (772497 + 196608) / 128, (772497 + 196608) / 128},
                protection(dma));
        assertArrayEquals(new long[] {0, 0, 196608 / 128, 196608 / 128, 196608 / 128}, protection(f.zone(ZoneType.DMA32)));
        assertArrayEquals(wmBefore, new long[] {dma.rawWatermark(Watermark.MIN), dma.rawWatermark(Watermark.LOW),
            dma.rawWatermark(Watermark.HIGH)});
        assertNotEquals(reserveBefore, f.wm().totalreservePages(), "calculate_totalreserve_pages ran");
        // DMA: min(7571 + 98, 3840) = 3840 (capped); DMA32: 1536 + 20121; Normal: 5120
        assertEquals(3840 + 1536 + 20121 + 5120, f.wm().totalreservePages());
    }

    @Test
    void writingWatermarkBoostFactorChangesOnlyTheFactor() {
        Fixture f = likeCapture();
        List<Long> before = snapshot(f);
        f.wm().writeWatermarkBoostFactor(0);
        List<Long> after = snapshot(f);
        assertEquals(0, f.wm().tunables().watermarkBoostFactor());
        // only the factor entry (index 2) differs
        before.set(2, 0L);
        assertEquals(before, after);

        ZoneImpl dma32 = f.zone(ZoneType.DMA32);
        assertFalse(dma32.boostWatermark(), "boosting is off at factor 0");
        assertEquals(0, dma32.watermarkBoost());

        f.wm().writeWatermarkBoostFactor(15000);
        assertTrue(dma32.boostWatermark());
        assertEquals(Machine.PAGEBLOCK_NR_PAGES, dma32.watermarkBoost());
        assertEquals(dma32.rawWatermark(Watermark.MIN) + Machine.PAGEBLOCK_NR_PAGES, dma32.watermark(Watermark.MIN));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.wm().writeWatermarkBoostFactor(-1));
        assertTrue(e.getMessage().contains("vm.watermark_boost_factor"), e.getMessage());
        assertTrue(e.getMessage().contains("0 and above"), e.getMessage());
    }

    @Test
    void boostWatermarkIsCappedAtTheFactorOfTheHighWatermark() {
        Fixture f = likeCapture();
        ZoneImpl dma32 = f.zone(ZoneType.DMA32);
        long maxBoost = mm.api.machine.KernelMath.multFrac(dma32.rawWatermark(Watermark.HIGH), 15000, 10000);
        for (int i = 0; i < 1000; i++) {
            dma32.boostWatermark();
        }
        assertEquals(maxBoost, dma32.watermarkBoost());
        // a zone smaller than four pageblocks is never boosted
        assertFalse(f.zone(ZoneType.DEVICE).boostWatermark());
        // setup_per_zone_wmarks clears the boost
        f.wm().writeWatermarkScaleFactor(10);
        assertEquals(0, dma32.watermarkBoost());
    }

    @Test
    void writingPercpuPagelistHighFractionSetsBothHighMarks() {
        Fixture f = likeCapture();
        f.wm().writePercpuPagelistHighFraction(8);
        ZoneImpl dma32 = f.zone(ZoneType.DMA32);
        assertEquals(772497 / 8 / CAPTURED_CPUS, dma32.pagesetHighMin());
        assertEquals(dma32.pagesetHighMin(), dma32.pagesetHighMax(), "auto-tuning is off");
        assertEquals(63, dma32.pagesetBatch());
        f.wm().writePercpuPagelistHighFraction(0);
        assertEquals(8384, dma32.pagesetHighMin(), "back to the low watermark split over 2 CPUs");
        assertEquals(48281, dma32.pagesetHighMax());
    }

    @Test
    void aNodeWithoutCpusSplitsOverAllOnlineCpus() {
        NodeImpl cpuless = new NodeImpl(0, new int[0]);
        cpuless.zoneImpl(ZoneType.NORMAL).setSpan(0, 262144, 262144);
        cpuless.zoneImpl(ZoneType.NORMAL).adjustManagedPages(262144);
        ZoneWatermarks wm = new ZoneWatermarks(List.of(cpuless), 4, new VmTunables());
        wm.initPerZoneWmarkMin();
        ZoneImpl z = cpuless.zoneImpl(ZoneType.NORMAL);
        assertEquals(Math.max(z.watermark(Watermark.LOW) / 4, 4L * z.pagesetBatch()), z.pagesetHighMin());
        assertEquals(262144 / 8 / 4, z.pagesetHighMax());
    }

    private static long[] protection(ZoneImpl z) {
        long[] p = new long[ZoneType.MAX_NR_ZONES];
        for (int j = 0; j < p.length; j++) {
            p[j] = z.lowmemReserve(j);
        }
        return p;
    }
}

package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.IomemResource;
import mm.api.machine.MachineConfig;
import mm.api.machine.MemblockRegion;
import mm.api.machine.MigrateType;
import mm.api.machine.NodeStat;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The views of a real booted machine (mm.hw + mm.buddy), parsed back: each must agree with the
 * others and with the kernel's arithmetic, before and after allocations.
 */
class ProcConsistencyTest {

    static Stream<MachineConfig> machines() {
        return Stream.of(MachineConfig.DEFAULT,
                MachineConfig.DEFAULT.withArch(Arch.ARM64),
                new MachineConfig(Arch.X86_64, 8L << 30, 4, 2, 256L << 20),
                new MachineConfig(Arch.ARM64, 2L << 30, 3, 2, 0),
                new MachineConfig(Arch.X86_64, MachineConfig.MIN_MEM, 1, 1, 0));
    }

    /** A booted machine with its allocator, and its views. */
    private record Booted(MachineImpl machine, BuddyAllocator allocator) {
        static Booted of(MachineConfig config) {
            MachineImpl m = MachineImpl.boot(config);
            return new Booted(m, new BuddyAllocator(m));
        }

        Map<String, Long> meminfo() {
            return ProcParsers.meminfo(MeminfoFormatter.format(machine));
        }

        String buddyinfo() {
            return BuddyinfoFormatter.format(machine, allocator);
        }

        String pagetypeinfo() {
            return PagetypeinfoFormatter.format(machine, allocator);
        }

        /** /proc/zoneinfo, parsed back into a machine that carries its numbers. */
        CapturedMachine zoneinfo() {
            return CapturedMachine.fromZoneinfo(ZoneinfoFormatter.format(machine, allocator), machine.config());
        }
    }

    /** buddyinfo rows by "nid zone": free blocks per order. */
    static Map<String, long[]> buddyinfo(String text) {
        return ProcParsers.byKey(ProcParsers.buddyinfo(text));
    }

    /** Free pages a buddyinfo text counts: blocks times 2^order. */
    static long buddyPages(Map<String, long[]> rows) {
        long pages = 0;
        for (long[] counts : rows.values()) {
            for (int order = 0; order < counts.length; order++) {
                pages += counts[order] << order;
            }
        }
        return pages;
    }

    /** pagetypeinfo free rows by "nid zone type"; the simulated machines are too small for the kernel's cap. */
    static Map<String, long[]> pagetypeFree(String text) {
        List<ProcParsers.Row> rows = ProcParsers.pagetypeFree(text);
        assertFalse(rows.stream().anyMatch(ProcParsers.Row::capped), "a free list of 100000 blocks or more");
        return ProcParsers.byKey(rows);
    }

    /** pagetypeinfo block count rows by "nid zone". */
    static Map<String, long[]> blockCounts(String text) {
        return ProcParsers.byKey(ProcParsers.pagetypeBlocks(text));
    }

    // ---- the checks ------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("machines")
    void memTotalMemFreeAndBuddyinfoAgree(MachineConfig config) {
        Booted b = Booted.of(config);
        Map<String, Long> meminfo = b.meminfo();
        CapturedMachine zoneinfo = b.zoneinfo();

        long managed = zoneinfo.zones().stream().mapToLong(Zone::managedPages).sum();
        long zoneFree = zoneinfo.zones().stream().mapToLong(Zone::freePages).sum();
        assertEquals(managed * 4, meminfo.get("MemTotal"));
        assertTrue(managed * 4096 > config.memBytes() / 2 && managed * 4096 < config.memBytes());
        assertEquals(buddyPages(buddyinfo(b.buddyinfo())) * 4, meminfo.get("MemFree"));
        assertEquals(zoneFree * 4, meminfo.get("MemFree"));
    }

    /**
     * The kernel's boot-time watermark arithmetic, recomputed from the managed pages zoneinfo
     * prints: {@code calculate_min_free_kbytes}, {@code __setup_per_zone_wmarks} and
     * {@code setup_per_zone_lowmem_reserve} with the default sysctls.
     */
    @ParameterizedTest
    @MethodSource("machines")
    void zoneinfoWatermarksAndProtectionFollowTheKernelFormula(MachineConfig config) {
        Booted b = Booted.of(config);
        CapturedMachine printed = b.zoneinfo();

        long lowmemKbytes = 0;
        long lowmemPages = 0;
        for (Zone z : printed.zones()) {
            if (z.type().ordinal() <= ZoneType.NORMAL.ordinal()) {
                lowmemKbytes += z.managedPages() * 4;
            }
            if (z.type() != ZoneType.MOVABLE) {
                lowmemPages += z.managedPages();
            }
        }
        long minFreeKbytes = Math.max(128, Math.min(262144, (long) Math.floor(Math.sqrt(lowmemKbytes * 16.0))));
        assertEquals(minFreeKbytes, b.machine().watermarks().tunables().minFreeKbytes());

        int[] ratio = {256, 256, 32, 0, 0};
        for (Zone z : printed.zones()) {
            long managed = z.managedPages();
            long tmp = (minFreeKbytes >> 2) * managed / lowmemPages;
            long min = z.type() == ZoneType.MOVABLE ? Math.max(32, Math.min(managed / 1024, 128)) : tmp;
            long delta = Math.max(tmp / 4, managed * 10 / 10000);
            String where = z + " of " + config.summary();
            assertEquals(0, z.watermarkBoost(), where);
            assertEquals(min, z.watermark(Watermark.MIN), where);
            assertEquals(min + delta, z.watermark(Watermark.LOW), where);
            assertEquals(min + 2 * delta, z.watermark(Watermark.HIGH), where);
            assertEquals(min + 3 * delta, z.watermark(Watermark.PROMO), where);
            List<Zone> nodeZones = printed.node(z.nid()).zones();
            int i = z.type().ordinal();
            long above = 0;
            for (int j = 0; j < ZoneType.MAX_NR_ZONES; j++) {
                long expected = 0;
                if (j > i) {
                    above += nodeZones.get(j).managedPages();
                    expected = ratio[i] == 0 || managed == 0 ? 0 : above / ratio[i];
                }
                assertEquals(expected, z.lowmemReserve(j), where + " protection[" + j + "]");
            }
        }
    }

    /** si_mem_available recomputed from what zoneinfo prints: free pages, low watermarks, protection, counters. */
    @ParameterizedTest
    @MethodSource("machines")
    void memAvailableFollowsFromZoneinfo(MachineConfig config) {
        Booted b = Booted.of(config);
        CapturedMachine printed = b.zoneinfo();

        long totalreserve = 0;
        long wmarkLow = 0;
        for (Zone z : printed.zones()) {
            long maxReserve = 0;
            for (int j = z.type().ordinal(); j < ZoneType.MAX_NR_ZONES; j++) {
                maxReserve = Math.max(maxReserve, z.lowmemReserve(j));
            }
            totalreserve += Math.min(maxReserve + z.watermark(Watermark.HIGH), z.managedPages());
            wmarkLow += z.watermark(Watermark.LOW);
        }
        assertEquals(b.machine().totalreservePages(), totalreserve);
        long pagecache = printed.nodeState(NodeStat.NR_ACTIVE_FILE) + printed.nodeState(NodeStat.NR_INACTIVE_FILE);
        long reclaimable = printed.nodeState(NodeStat.NR_SLAB_RECLAIMABLE)
                + printed.nodeState(NodeStat.NR_KERNEL_MISC_RECLAIMABLE);
        long available = printed.zoneState(ZoneStat.NR_FREE_PAGES) - totalreserve
                + pagecache - Math.min(pagecache / 2, wmarkLow) + reclaimable - Math.min(reclaimable / 2, wmarkLow);

        assertEquals(Math.max(0, available) * 4, b.meminfo().get("MemAvailable"));
        assertTrue(available > 0);
    }

    @ParameterizedTest
    @MethodSource("machines")
    void pagetypeinfoFreeCountsSumToBuddyinfoAndBlocksCoverEachZone(MachineConfig config) {
        Booted b = Booted.of(config);
        Map<String, long[]> buddy = buddyinfo(b.buddyinfo());
        String pagetypeinfo = b.pagetypeinfo();
        Map<String, long[]> free = pagetypeFree(pagetypeinfo);
        Map<String, long[]> blocks = blockCounts(pagetypeinfo);

        assertEquals(buddy.keySet(), blocks.keySet(), "the same populated zones");
        assertEquals(buddy.size() * MigrateType.MIGRATE_TYPES, free.size());
        for (Map.Entry<String, long[]> zone : buddy.entrySet()) {
            long[] sum = new long[FrameAllocator.NR_PAGE_ORDERS];
            for (MigrateType t : MigrateType.values()) {
                long[] row = free.get(zone.getKey() + " " + t.kernelName());
                for (int order = 0; order < sum.length; order++) {
                    sum[order] += row[order];
                }
            }
            assertArrayEquals(zone.getValue(), sum, zone.getKey());
        }
        for (Zone z : b.machine().zones()) {
            if (!z.populated()) {
                continue;
            }
            long nrBlocks = 0;
            for (long c : blocks.get(z.nid() + " " + z.name())) {
                nrBlocks += c;
            }
            assertTrue(nrBlocks * 512 >= z.presentPages() && nrBlocks * 512 < z.spannedPages() + 512,
                    z + ": " + nrBlocks + " blocks for " + z.presentPages() + " present and " + z.spannedPages() + " spanned pages");
        }
    }

    /** The captured x86_64 machine's DMA and DMA32 zones have the same shape as the default machine's. */
    @Test
    void lowZonesOfTheDefaultMachineCountTheBlocksTheRealKernelCounts() {
        String pagetypeinfo = Booted.of(MachineConfig.DEFAULT).pagetypeinfo();
        String captured = KernelData.read("proc/proc_pagetypeinfo.txt");

        for (String zone : List.of("0 DMA", "0 DMA32")) {
            assertArrayEquals(blockCounts(captured).get(zone), blockCounts(pagetypeinfo).get(zone), zone);
        }
    }

    private static final Pattern MEMBLOCK_REGION = Pattern.compile(
            " (memory|reserved)\\[0x([0-9a-f]+)]\t\\[0x([0-9a-f]{16})-0x([0-9a-f]{16})], 0x([0-9a-f]{16}) bytes"
            + "( on node (\\d+))? flags: 0x([0-9a-f]+)");

    @ParameterizedTest
    @MethodSource("machines")
    void memblockDumpListsSortedRegionsThatAddUpToItsTotals(MachineConfig config) {
        MachineImpl m = MachineImpl.boot(config);
        String[] lines = MemblockFormatter.format(m.memblock()).split("\n");

        assertEquals("MEMBLOCK configuration:", lines[0]);
        Matcher sizes = Pattern.compile(" memory size = 0x([0-9a-f]{16}) reserved size = 0x([0-9a-f]{16})").matcher(lines[1]);
        assertTrue(sizes.matches(), lines[1]);
        Map<String, Long> totals = new LinkedHashMap<>();
        Map<String, Long> counts = new LinkedHashMap<>();
        Map<String, List<long[]>> regions = new LinkedHashMap<>();
        for (int i = 2; i < lines.length; i++) {
            Matcher cnt = Pattern.compile(" (memory|reserved)\\.cnt  = 0x([0-9a-f]+)").matcher(lines[i]);
            if (cnt.matches()) {
                counts.put(cnt.group(1), Long.parseLong(cnt.group(2), 16));
                regions.put(cnt.group(1), new ArrayList<>());
                continue;
            }
            Matcher r = MEMBLOCK_REGION.matcher(lines[i]);
            assertTrue(r.matches(), "memblock line '" + lines[i] + "'");
            List<long[]> list = regions.get(r.group(1));
            assertEquals(list.size(), Integer.parseInt(r.group(2), 16), "region index");
            long base = Long.parseLong(r.group(3), 16);
            long end = Long.parseLong(r.group(4), 16);
            long size = Long.parseLong(r.group(5), 16);
            assertEquals(base + size - 1, end, lines[i]);
            if (!list.isEmpty()) {
                assertTrue(list.get(list.size() - 1)[1] < base, "sorted and not overlapping: " + lines[i]);
            }
            if (r.group(1).equals("memory")) {
                int nid = Integer.parseInt(r.group(7));
                assertTrue(nid >= 0 && nid < config.nodes(), lines[i]);
            }
            list.add(new long[] {base, end});
            totals.merge(r.group(1), size, Long::sum);
        }
        assertEquals(List.of("memory", "reserved"), List.copyOf(counts.keySet()));
        assertEquals(counts.get("memory"), (long) regions.get("memory").size());
        assertEquals(counts.get("reserved"), (long) regions.get("reserved").size());
        assertEquals(Long.parseLong(sizes.group(1), 16), totals.get("memory"));
        assertEquals(Long.parseLong(sizes.group(2), 16), totals.get("reserved"));
        assertTrue(totals.get("memory") <= config.memBytes() && totals.get("memory") > config.memBytes() - (1L << 20));
    }

    @ParameterizedTest
    @MethodSource("machines")
    void iomemIsWellFormedNestedAndHoldsTheMemblockMemory(MachineConfig config) {
        MachineImpl m = MachineImpl.boot(config);
        String text = IomemFormatter.format(m.iomem());

        // the strict parser rejects a line out of the kernel's layout or indented wrongly
        List<IomemResource> tree = ProcParsers.iomem(text);
        assertEquals(m.iomem(), tree, "the text holds the whole tree");
        checkNesting(tree, 0, Long.MAX_VALUE);
        for (MemblockRegion r : m.memblock().memory()) {
            assertTrue(tree.stream().anyMatch(res -> res.name().equals("System RAM") && res.start() <= r.base()
                    && r.end() - 1 <= res.end()), "memblock memory " + r + " is System RAM in /proc/iomem");
        }
    }

    private static void checkNesting(List<IomemResource> siblings, long start, long end) {
        long previousEnd = -1;
        for (IomemResource r : siblings) {
            assertTrue(r.start() >= start && r.end() <= end, r + " lies inside its parent");
            assertTrue(r.start() > previousEnd || previousEnd < 0, r + " starts after its previous sibling");
            previousEnd = r.end();
            checkNesting(r.children(), r.start(), r.end());
        }
    }

    @ParameterizedTest
    @MethodSource("machines")
    void allocationsShowInEveryViewAndFreeingThemRestoresThem(MachineConfig config) {
        Booted b = Booted.of(config);
        Map<String, Long> memBefore = b.meminfo();
        String buddyBefore = b.buddyinfo();
        String pagetypeBefore = b.pagetypeinfo();
        CapturedMachine zoneBefore = b.zoneinfo();
        int lastNode = config.nodes() - 1;

        List<long[]> blocks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            blocks.add(new long[] {b.allocator().allocPages(Gfp.GFP_KERNEL, 0), 0});
        }
        for (int i = 0; i < 10; i++) {
            blocks.add(new long[] {b.allocator().allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 3), 3});
        }
        for (int i = 0; i < 2; i++) {
            blocks.add(new long[] {b.allocator().allocPagesNode(lastNode, Gfp.GFP_KERNEL, 10), 10});
        }
        long pages = 0;
        for (long[] block : blocks) {
            assertNotEquals(FrameAllocator.NO_PAGE, block[0]);
            pages += 1L << block[1];
        }

        Map<String, Long> memAfter = b.meminfo();
        CapturedMachine zoneAfter = b.zoneinfo();
        String pagetypeAfter = b.pagetypeinfo();
        assertEquals(memBefore.get("MemFree") - pages * 4, memAfter.get("MemFree"));
        assertEquals(memBefore.get("MemTotal"), memAfter.get("MemTotal"));
        assertEquals(buddyPages(buddyinfo(buddyBefore)) - pages, buddyPages(buddyinfo(b.buddyinfo())));
        assertEquals(zoneBefore.zoneState(ZoneStat.NR_FREE_PAGES) - pages, zoneAfter.zoneState(ZoneStat.NR_FREE_PAGES));
        long allocations = blocks.size();
        assertEquals(allocations, zoneAfter.zoneState(ZoneStat.NUMA_HIT) + zoneAfter.zoneState(ZoneStat.NUMA_MISS)
                - zoneBefore.zoneState(ZoneStat.NUMA_HIT) - zoneBefore.zoneState(ZoneStat.NUMA_MISS));
        assertEquals(allocations, zoneAfter.zoneState(ZoneStat.NUMA_LOCAL) + zoneAfter.zoneState(ZoneStat.NUMA_OTHER)
                - zoneBefore.zoneState(ZoneStat.NUMA_LOCAL) - zoneBefore.zoneState(ZoneStat.NUMA_OTHER));
        Map<String, long[]> buddyAfter = buddyinfo(b.buddyinfo());
        Map<String, long[]> freeAfter = pagetypeFree(pagetypeAfter);
        for (Map.Entry<String, long[]> zone : buddyAfter.entrySet()) {
            for (int order = 0; order < FrameAllocator.NR_PAGE_ORDERS; order++) {
                long sum = 0;
                for (MigrateType t : MigrateType.values()) {
                    sum += freeAfter.get(zone.getKey() + " " + t.kernelName())[order];
                }
                assertEquals(zone.getValue()[order], sum, zone.getKey() + " order " + order);
            }
        }
        // unmovable allocations from a machine with only movable free blocks steal pageblocks
        assertTrue(totalBlocks(pagetypeAfter, MigrateType.UNMOVABLE) > totalBlocks(pagetypeBefore, MigrateType.UNMOVABLE));
        assertEquals(totalBlocks(pagetypeBefore, null), totalBlocks(pagetypeAfter, null));

        for (long[] block : blocks) {
            b.allocator().freePages(block[0], (int) block[1]);
        }
        // freed small blocks wait on the per-CPU lists, which MemFree and buddyinfo do not count
        // (as in the kernel); draining them (drain_all_pages) brings every view back
        assertTrue(memBefore.get("MemFree") > b.meminfo().get("MemFree"));
        b.allocator().drainAllPages();
        assertEquals(memBefore, b.meminfo());
        assertEquals(buddyBefore, b.buddyinfo());
    }

    /** Pageblocks of one migratetype (or of all, for null) over every zone of a pagetypeinfo text. */
    private static long totalBlocks(String pagetypeinfo, MigrateType type) {
        long sum = 0;
        for (long[] row : blockCounts(pagetypeinfo).values()) {
            for (int t = 0; t < row.length; t++) {
                if (type == null || t == type.ordinal()) {
                    sum += row[t];
                }
            }
        }
        return sum;
    }
}

package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.NodeStat;
import mm.api.machine.Watermark;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ZoneinfoFormatterTest {

    @ParameterizedTest
    @ValueSource(strings = {"proc/proc_zoneinfo.txt", "zoneinfo-like/proc_zoneinfo.txt"})
    void reproducesTheCapturedZoneinfoByteForByte(String path) {
        String captured = KernelData.read(path);
        CapturedMachine machine = CapturedMachine.fromZoneinfo(captured, KernelData.CAPTURED);

        assertEquals(captured, ZoneinfoFormatter.format(machine, new CapturedAllocator()));
    }

    /** A one-node, two-CPU machine with a populated DMA32 zone only (DMA empty, as on arm64 above 4 GiB). */
    private static CapturedMachine dma32Only() {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.X86_64, 1L << 30, 2, 1, 0));
        CapturedMachine.CapturedZone z = m.zone(0, ZoneType.DMA32);
        z.start = 4096;
        z.spanned = 1000;
        z.present = 900;
        z.managed = 800;
        z.watermark[Watermark.MIN.ordinal()] = 10;
        z.watermark[Watermark.LOW.ordinal()] = 20;
        z.watermark[Watermark.HIGH.ordinal()] = 30;
        z.watermark[Watermark.PROMO.ordinal()] = 40;
        z.lowmemReserve[2] = 7;
        z.stats[ZoneStat.NR_FREE_PAGES.ordinal()] = 555;
        z.batch = 3;
        z.highMin = 12;
        z.highMax = 100;
        z.statThreshold = 8;
        z.pcpCount[1] = 17;
        z.pcpHigh[1] = 24;
        return m;
    }

    @Test
    void perNodeStatsComeWithTheFirstPopulatedZoneNotTheFirstZone() {
        CapturedMachine m = dma32Only();
        m.capturedNode(0).stats[NodeStat.NR_ACTIVE_FILE.ordinal()] = 1234;

        String out = ZoneinfoFormatter.format(m, new CapturedAllocator());

        assertTrue(out.startsWith("Node 0, zone      DMA\n  pages free     0\n"), out);
        assertTrue(out.contains("Node 0, zone    DMA32\n  per-node stats\n      nr_inactive_anon 0\n"), out);
        assertTrue(out.contains("\n      nr_active_file 1234\n"), out);
        assertEquals(1, out.split("per-node stats", -1).length - 1);
    }

    @Test
    void unpopulatedZonesStopAfterTheirProtectionLine() {
        String out = ZoneinfoFormatter.format(dma32Only(), new CapturedAllocator());

        assertTrue(out.contains("        protection: (0, 0, 0, 0, 0)\nNode 0, zone    DMA32\n"), out);
        assertTrue(out.endsWith("Node 0, zone   Device\n  pages free     0\n        boost    0\n        min      0\n"
                + "        low      0\n        high     0\n        promo    0\n        spanned  0\n        present  0\n"
                + "        managed  0\n        cma      0\n        protection: (0, 0, 0, 0, 0)\n"), out);
        assertEquals(1, out.split("pagesets", -1).length - 1, "only the populated zone has pagesets");
    }

    @Test
    void watermarksArePrintedWithTheBoostAdded() {
        CapturedMachine m = dma32Only();
        m.zone(0, ZoneType.DMA32).boost = 512;

        String out = ZoneinfoFormatter.format(m, new CapturedAllocator());

        assertTrue(out.contains("\n  pages free     555\n        boost    512\n        min      522\n        low      532\n"
                + "        high     542\n        promo    552\n        spanned  1000\n        present  900\n"
                + "        managed  800\n        cma      0\n        protection: (0, 0, 7, 0, 0)\n"), out);
    }

    @Test
    void pagesetsPrintEachCpusListThenTheZonesThresholdAndStartPfn() {
        String out = ZoneinfoFormatter.format(dma32Only(), new CapturedAllocator());

        assertTrue(out.contains("\n      numa_other   0\n  pagesets\n"
                + "    cpu: 0\n              count:    0\n              high:     0\n              batch:    3\n"
                + "              high_min: 12\n              high_max: 100\n  vm stats threshold: 8\n"
                + "    cpu: 1\n              count:    17\n              high:     24\n              batch:    3\n"
                + "              high_min: 12\n              high_max: 100\n  vm stats threshold: 8\n"
                + "  node_unreclaimable:  0\n  start_pfn:           4096\nNode 0, zone   Normal\n"), out);
    }

    @Test
    void hugePageCountersArePrintedInPmdSizedPages() {
        CapturedMachine m = dma32Only();
        m.capturedNode(0).stats[NodeStat.NR_ANON_THPS.ordinal()] = 3 * 512 + 100;
        m.capturedNode(0).stats[NodeStat.NR_ANON_MAPPED.ordinal()] = 3 * 512 + 100;

        String out = ZoneinfoFormatter.format(m, new CapturedAllocator());

        assertTrue(out.contains("\n      nr_anon_transparent_hugepages 3\n"), out);
        assertTrue(out.contains("\n      nr_anon_pages 1636\n"), out);
        assertFalse(out.contains("nr_anon_transparent_hugepages 1636"), out);
    }

    @Test
    void everyNodePrintsAllItsZonesWithItsOwnId() {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.X86_64, 1L << 30, 2, 2, 0));
        m.zone(1, ZoneType.NORMAL).present = 10;
        m.capturedNode(1).stats[NodeStat.NR_SHMEM.ordinal()] = 9;

        String out = ZoneinfoFormatter.format(m, new CapturedAllocator());

        assertEquals(10, out.split("\nNode |^Node ", -1).length - 1);
        assertTrue(out.contains("Node 1, zone   Normal\n  per-node stats\n"), out);
        assertTrue(out.contains("\n      nr_shmem     9\n"), out);
        assertFalse(out.contains("Node 0, zone   Normal\n  per-node stats"), "node 0 has no memory, so no per-node stats");
    }
}

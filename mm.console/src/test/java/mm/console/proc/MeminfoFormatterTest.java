package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import mm.api.machine.Arch;
import mm.api.machine.ArchInfo;
import mm.api.machine.MachineConfig;
import mm.api.machine.NodeStat;
import mm.api.machine.Watermark;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;

class MeminfoFormatterTest {

    /**
     * The captured machine at the moment /proc/meminfo was read. Its zoneinfo (same snapshot
     * directory) gives the zones, watermarks and lowmem reserves; the capture's kernel initialises
     * the Normal zone lazily, so by then that zone managed and had free more than zoneinfo shows:
     * MemTotal and MemFree tell how much. The counters behind the other lines come from the
     * meminfo capture itself. MemAvailable is not supplied: it must come out of si_mem_available.
     */
    private static CapturedMachine capturedAtMeminfo(Map<String, Long> kb) {
        CapturedMachine m = CapturedMachine.fromZoneinfo(KernelData.read("proc/proc_zoneinfo.txt"), KernelData.CAPTURED);
        CapturedMachine.CapturedZone dma = m.zone(0, ZoneType.DMA);
        CapturedMachine.CapturedZone dma32 = m.zone(0, ZoneType.DMA32);
        CapturedMachine.CapturedZone normal = m.zone(0, ZoneType.NORMAL);
        normal.managed = pages(kb, "MemTotal") - dma.managed - dma32.managed;
        normal.stats[ZoneStat.NR_FREE_PAGES.ordinal()] = pages(kb, "MemFree") - dma.freePages() - dma32.freePages();
        normal.stats[ZoneStat.NR_MLOCK.ordinal()] = pages(kb, "Mlocked");
        long[] node = m.capturedNode(0).stats;
        node[NodeStat.NR_ACTIVE_ANON.ordinal()] = pages(kb, "Active(anon)");
        node[NodeStat.NR_INACTIVE_ANON.ordinal()] = pages(kb, "Inactive(anon)");
        node[NodeStat.NR_ACTIVE_FILE.ordinal()] = pages(kb, "Active(file)");
        node[NodeStat.NR_INACTIVE_FILE.ordinal()] = pages(kb, "Inactive(file)");
        node[NodeStat.NR_UNEVICTABLE.ordinal()] = pages(kb, "Unevictable");
        node[NodeStat.NR_SWAPCACHE.ordinal()] = pages(kb, "SwapCached");
        node[NodeStat.NR_FILE_PAGES.ordinal()] = pages(kb, "Cached") + pages(kb, "Buffers") + pages(kb, "SwapCached");
        node[NodeStat.NR_FILE_DIRTY.ordinal()] = pages(kb, "Dirty");
        node[NodeStat.NR_WRITEBACK.ordinal()] = pages(kb, "Writeback");
        node[NodeStat.NR_ANON_MAPPED.ordinal()] = pages(kb, "AnonPages");
        node[NodeStat.NR_FILE_MAPPED.ordinal()] = pages(kb, "Mapped");
        node[NodeStat.NR_SHMEM.ordinal()] = pages(kb, "Shmem");
        node[NodeStat.NR_SLAB_RECLAIMABLE.ordinal()] = pages(kb, "SReclaimable");
        node[NodeStat.NR_SLAB_UNRECLAIMABLE.ordinal()] = pages(kb, "SUnreclaim");
        node[NodeStat.NR_KERNEL_MISC_RECLAIMABLE.ordinal()] = pages(kb, "KReclaimable") - pages(kb, "SReclaimable");
        node[NodeStat.NR_KERNEL_STACK_KB.ordinal()] = kb.get("KernelStack");
        node[NodeStat.NR_PAGETABLE.ordinal()] = pages(kb, "PageTables");
        node[NodeStat.NR_SECONDARY_PAGETABLE.ordinal()] = pages(kb, "SecPageTables");
        node[NodeStat.NR_ANON_THPS.ordinal()] = pages(kb, "AnonHugePages");
        node[NodeStat.NR_SHMEM_THPS.ordinal()] = pages(kb, "ShmemHugePages");
        node[NodeStat.NR_SHMEM_PMDMAPPED.ordinal()] = pages(kb, "ShmemPmdMapped");
        node[NodeStat.NR_FILE_THPS.ordinal()] = pages(kb, "FileHugePages");
        node[NodeStat.NR_FILE_PMDMAPPED.ordinal()] = pages(kb, "FilePmdMapped");
        node[NodeStat.NR_BALLOON_PAGES.ordinal()] = pages(kb, "Balloon");
        m.archInfo = new ArchInfo(kb.get("VmallocTotal"), kb.get("Percpu"), kb.get("DirectMap4k"), kb.get("DirectMap2M"),
                kb.get("DirectMap1G"));
        return m;
    }

    private static long pages(Map<String, Long> kb, String label) {
        return kb.get(label) / 4;
    }

    @Test
    void reproducesTheCapturedMeminfoByteForByte() {
        String captured = KernelData.read("proc/proc_meminfo.txt");
        Map<String, Long> kb = ProcParsers.meminfo(captured);
        CapturedMachine m = capturedAtMeminfo(kb);
        MeminfoFormatter.Extras extras = new MeminfoFormatter.Extras(pages(kb, "Buffers"), pages(kb, "SwapTotal"),
                pages(kb, "SwapFree"), pages(kb, "Committed_AS"), pages(kb, "VmallocUsed"));

        // calculate_totalreserve_pages over the captured zones: DMA 3529+105, DMA32 512+21573, Normal 0+3660
        assertEquals(3634 + 22085 + 3660, m.totalreservePages());
        assertEquals(captured, MeminfoFormatter.format(m, extras));
    }

    /** A machine with one populated zone and the low watermarks of two zones. */
    private static CapturedMachine small(long free, long lowDma32, long lowNormal, long totalreserve) {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.X86_64, 1L << 30, 1, 1, 0));
        m.zone(0, ZoneType.DMA32).watermark[Watermark.LOW.ordinal()] = lowDma32;
        m.zone(0, ZoneType.NORMAL).watermark[Watermark.LOW.ordinal()] = lowNormal;
        m.zone(0, ZoneType.NORMAL).stats[ZoneStat.NR_FREE_PAGES.ordinal()] = free;
        m.totalreserveOverride = totalreserve;
        return m;
    }

    private static void node(CapturedMachine m, NodeStat item, long value) {
        m.capturedNode(0).stats[item.ordinal()] = value;
    }

    @Test
    void memAvailableKeepsTheLowWatermarksWorthOfCacheWhenThatIsLessThanHalf() {
        CapturedMachine m = small(10000, 60, 40, 500);
        node(m, NodeStat.NR_ACTIVE_FILE, 600);
        node(m, NodeStat.NR_INACTIVE_FILE, 400);
        node(m, NodeStat.NR_SLAB_RECLAIMABLE, 300);
        node(m, NodeStat.NR_KERNEL_MISC_RECLAIMABLE, 100);

        // 10000 - 500 + (1000 - min(500, 100)) + (400 - min(200, 100))
        assertEquals(10700, MeminfoFormatter.siMemAvailable(m));
    }

    @Test
    void memAvailableKeepsHalfOfTheCacheWhenTheLowWatermarksAreLarger() {
        CapturedMachine m = small(10000, 3000, 2000, 500);
        node(m, NodeStat.NR_ACTIVE_FILE, 601);
        node(m, NodeStat.NR_INACTIVE_FILE, 400);
        node(m, NodeStat.NR_SLAB_RECLAIMABLE, 401);

        // 10000 - 500 + (1001 - 500) + (401 - 200): the halves round down, so what is kept rounds down
        assertEquals(10202, MeminfoFormatter.siMemAvailable(m));
    }

    @Test
    void memAvailableIsNeverNegative() {
        CapturedMachine m = small(100, 10, 10, 1000);
        node(m, NodeStat.NR_ACTIVE_FILE, 40);

        // 100 - 1000 + (40 - 20) = -880
        assertEquals(0, MeminfoFormatter.siMemAvailable(m));
        assertTrue(MeminfoFormatter.format(m).contains("\nMemAvailable:          0 kB\n"));
    }

    @Test
    void memAvailableCountsTheLowWatermarkOfEveryZoneIncludingBoostAndEmptyZones() {
        CapturedMachine m = small(10000, 0, 0, 0);
        m.zone(0, ZoneType.MOVABLE).watermark[Watermark.LOW.ordinal()] = 32; // empty, as the kernel's Movable zone
        m.zone(0, ZoneType.NORMAL).boost = 8;
        node(m, NodeStat.NR_ACTIVE_FILE, 1000);

        // 10000 + (1000 - min(500, 32 + 8))
        assertEquals(10960, MeminfoFormatter.siMemAvailable(m));
    }

    @Test
    void swapFiguresReachSwapLinesAndCommitLimit() {
        CapturedMachine m = small(0, 0, 0, 0);
        m.zone(0, ZoneType.NORMAL).managed = 1001;

        Map<String, Long> kb = ProcParsers.meminfo(MeminfoFormatter.format(m, MeminfoFormatter.Extras.NONE.withSwap(300, 200)));

        assertEquals(1200, kb.get("SwapTotal"));
        assertEquals(800, kb.get("SwapFree"));
        // (1001 * 50 / 100 = 500) + 300 pages
        assertEquals(800 * 4, kb.get("CommitLimit"));
        assertEquals(500 * 4, ProcParsers.meminfo(MeminfoFormatter.format(m)).get("CommitLimit"));
    }

    @Test
    void cachedIsFilePagesLessSwapCacheAndBuffersButNotBelowZero() {
        CapturedMachine m = small(0, 0, 0, 0);
        node(m, NodeStat.NR_FILE_PAGES, 100);
        node(m, NodeStat.NR_SWAPCACHE, 30);

        assertEquals(70 * 4, ProcParsers.meminfo(MeminfoFormatter.format(m)).get("Cached"));
        assertEquals(20 * 4, ProcParsers.meminfo(MeminfoFormatter.format(m, new MeminfoFormatter.Extras(50, 0, 0, 0, 0))).get("Cached"));
        assertEquals(0, ProcParsers.meminfo(MeminfoFormatter.format(m, new MeminfoFormatter.Extras(90, 0, 0, 0, 0))).get("Cached"));
    }

    @Test
    void arm64HasNoDirectMapLinesAndEndsWithHugetlb() {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.ARM64, 1L << 30, 1, 1, 0));
        m.archInfo = new ArchInfo(135288315904L, 40, 0, 0, 0);

        String out = MeminfoFormatter.format(m);

        assertFalse(out.contains("DirectMap"), out);
        assertTrue(out.endsWith("\nHugePages_Total:       0\nHugePages_Free:        0\nHugePages_Rsvd:        0\n"
                + "HugePages_Surp:        0\nHugepagesize:       2048 kB\nHugetlb:               0 kB\n"), out);
        assertTrue(out.contains("\nVmallocTotal:   135288315904 kB\n"), out);
        assertTrue(out.contains("\nPercpu:               40 kB\n"), out);
    }

    @Test
    void labelsAreThoseOfTheCaptureInItsOrder() {
        CapturedMachine m = new CapturedMachine(KernelData.CAPTURED);

        assertEquals(ProcParsers.meminfo(KernelData.read("proc/proc_meminfo.txt")).keySet().toString(),
                ProcParsers.meminfo(MeminfoFormatter.format(m)).keySet().toString());
    }
}

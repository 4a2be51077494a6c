package mm.hw.boot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import mm.api.machine.Arch;
import mm.api.machine.FrameTable;
import mm.api.machine.IomemResource;
import mm.api.machine.MachineConfig;
import mm.api.machine.MemblockRegion;
import mm.api.machine.MigrateType;
import mm.api.machine.Node;
import mm.api.machine.PageFlags;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import mm.hw.memblock.MemblockAllocator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Booting: memblock, zone sizing, memmap_init, memblock_free_all and the watermarks, checked
 * against the real x86_64 kernel's figures where the simulated machine copies its layout (the
 * captured /proc/zoneinfo, /proc/iomem and /proc/pagetypeinfo) and for internal consistency
 * everywhere else.
 */
class BootSequenceTest {

    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private static MachineImpl x86;

    @BeforeAll
    static void bootDefault() {
        x86 = MachineImpl.boot(MachineConfig.DEFAULT);
    }

    private static MemblockAllocator memblock(MachineImpl m) {
        return (MemblockAllocator) m.memblock();
    }

    /** The pfns memblock_free_all released: PFN_UP(start) to PFN_DOWN(end) of every free range. */
    private static boolean[] freePfns(MachineImpl m) {
        FrameTable ft = m.frames();
        boolean[] free = new boolean[(int) (ft.endPfn() - ft.startPfn())];
        for (MemblockAllocator.FreeRange r : memblock(m).freeRanges(MemblockAllocator.NUMA_NO_NODE, 0)) {
            for (long pfn = (r.start() + 4095) >>> 12; pfn < r.end() >>> 12; pfn++) {
                free[(int) (pfn - ft.startPfn())] = true;
            }
        }
        return free;
    }

    // ---- the default x86_64 machine: the real kernel's zones ------------------------------------

    @Test
    void x86DefaultZonesMatchTheRealKernel() {
        Zone dma = x86.zone(0, ZoneType.DMA);
        assertEquals(1, dma.startPfn());
        assertEquals(4095, dma.spannedPages());
        assertEquals(3998, dma.presentPages());
        assertEquals(3840, dma.managedPages(), "the first MiB stays reserved: 16 MiB - 1 MiB of pages");

        Zone dma32 = x86.zone(0, ZoneType.DMA32);
        assertEquals(4096, dma32.startPfn());
        assertEquals(1044480, dma32.spannedPages());
        assertEquals(782336, dma32.presentPages());

        Zone normal = x86.zone(0, ZoneType.NORMAL);
        assertEquals(0x100000, normal.startPfn());
        assertEquals(GIB >>> 12, normal.spannedPages(), "4 GiB of RAM minus 3 GiB below the PCI hole");
        assertEquals(GIB >>> 12, normal.presentPages());

        for (ZoneType t : new ZoneType[] {ZoneType.MOVABLE, ZoneType.DEVICE}) {
            Zone z = x86.zone(0, t);
            assertEquals(0, z.startPfn(), t + " start");
            assertEquals(0, z.spannedPages(), t + " spanned");
            assertEquals(0, z.presentPages(), t + " present");
            assertEquals(0, z.managedPages(), t + " managed");
        }
        Node node = x86.node(0);
        assertEquals(1, node.startPfn());
        assertEquals(0x140000 - 1, node.spannedPages());
        assertEquals(3998 + 782336 + 262144, node.presentPages());
        assertArrayEquals(new int[] {0, 1, 2, 3}, node.cpus());
    }

    @Test
    void managedPagesArePresentMinusReservedAndSumToMemTotal() {
        boolean[] free = freePfns(x86);
        long sum = 0;
        for (Zone z : x86.zones()) {
            long freeInZone = 0;
            for (long pfn = z.startPfn(); pfn < z.endPfn(); pfn++) {
                if (free[(int) pfn]) {
                    freeInZone++;
                }
            }
            assertEquals(freeInZone, z.managedPages(), z + " managed = its pages memblock_free_all released");
            assertTrue(z.managedPages() <= z.presentPages() && z.presentPages() <= z.spannedPages(), z.toString());
            sum += z.managedPages();
        }
        assertEquals(sum, x86.totalramPages(), "MemTotal = Σ managed");
        // the kernel image, the first MiB, the memmap and the per-CPU area are not managed
        long reservedInRam = x86.node(0).presentPages() - sum;
        long image = (X86Layout.KERNEL_END - X86Layout.KERNEL_START) >>> 12;
        long memmap = 32 * (BootSequence.SECTION_MAP_SIZE >>> 12); // sections 0-23 and 32-39
        long percpu = 4 * (BootSequence.PCPU_UNIT_SIZE >>> 12);
        long firstMib = (MIB >>> 12) - 1 - (0x100 - 0x9f);
        assertEquals(image + memmap + percpu + firstMib, reservedInRam);
    }

    @Test
    void memblockRegionsAreSortedMergedAndCoverTheE820Map() {
        MemblockAllocator mb = memblock(x86);
        assertEquals(List.of(
                new MemblockRegion(0x1000, 0x9f000 - 0x1000, 0, 0),
                new MemblockRegion(MIB, 3 * GIB - MIB, 0, 0),
                new MemblockRegion(4 * GIB, GIB, 0, 0)), mb.memory());
        assertEquals(0x9e000 + 3 * GIB - MIB + GIB, mb.memorySize());
        for (boolean memory : new boolean[] {true, false}) {
            List<MemblockRegion> regions = memory ? mb.memory() : mb.reserved();
            long total = 0;
            for (int i = 0; i < regions.size(); i++) {
                MemblockRegion r = regions.get(i);
                total += r.size();
                if (i > 0) {
                    MemblockRegion p = regions.get(i - 1);
                    assertTrue(p.end() <= r.base(), "sorted and disjoint: " + p + " " + r);
                    assertFalse(p.end() == r.base() && p.nid() == r.nid() && p.flags() == r.flags(), "merged: " + p + " " + r);
                }
            }
            assertEquals(total, memory ? mb.memorySize() : mb.reservedSize(), "total_size");
        }
        assertTrue(covers(mb.reserved(), 0, MIB), "the first MiB (reserve_real_mode)");
        assertTrue(covers(mb.reserved(), X86Layout.KERNEL_START, X86Layout.KERNEL_END), "the kernel image");
        assertFalse(mb.bottomUp());
        // memblock_free_all gave every reserved region inside RAM its node
        for (MemblockRegion r : mb.reserved()) {
            if (mb.isRegionMemory(r.base(), r.size())) {
                assertEquals(0, r.nid(), r.toString());
            }
        }
    }

    /** True if the sorted regions cover [start, end) without a gap (neighbours may differ in node). */
    private static boolean covers(List<MemblockRegion> regions, long start, long end) {
        long next = start;
        for (MemblockRegion r : regions) {
            if (r.base() <= next && r.end() > next) {
                next = r.end();
            }
        }
        return next >= end;
    }

    @Test
    void iomemTreeLooksLikeTheRealMachine() {
        List<IomemResource> top = x86.iomem();
        assertSortedAndDisjoint(top);
        List<IomemResource> ram = top.stream().filter(r -> r.name().equals("System RAM")).toList();
        assertEquals(3, ram.size());
        // as /proc/iomem prints them: 00001000-0009fbff, 00100000-bfffffff, 100000000-13fffffff
        assertEquals(0x1000, ram.get(0).start());
        assertEquals(0x9fbff, ram.get(0).end());
        assertEquals(0x100000, ram.get(1).start());
        assertEquals(0xbfffffffL, ram.get(1).end());
        assertEquals(0x100000000L, ram.get(2).start());
        assertEquals(0x13fffffffL, ram.get(2).end());

        IomemResource low = ram.get(1);
        assertEquals(List.of("Kernel code", "Kernel rodata", "Kernel data", "Kernel bss"),
                low.children().stream().map(IomemResource::name).toList());
        assertEquals(0x01000000L, low.children().get(0).start());
        assertEquals(0x02206447L, low.children().get(0).end());
        assertEquals(0x03dfffffL, low.children().get(3).end());
        assertSortedAndDisjoint(low.children());
        for (IomemResource child : low.children()) {
            assertTrue(child.start() >= low.start() && child.end() <= low.end(), child + " inside " + low);
        }
        // every System RAM range covers memblock memory: memblock trims to whole pages
        for (MemblockRegion r : memblock(x86).memory()) {
            assertTrue(ram.stream().anyMatch(res -> res.start() <= r.base() && res.end() >= r.end() - 1), r.toString());
        }
        assertTrue(top.stream().anyMatch(r -> r.name().equals("PCI Bus 0000:00") && r.start() == 0xc0000000L));
    }

    private static void assertSortedAndDisjoint(List<IomemResource> list) {
        for (int i = 1; i < list.size(); i++) {
            assertTrue(list.get(i - 1).end() < list.get(i).start(), list.get(i - 1) + " before " + list.get(i));
        }
    }

    @Test
    void frameTableAfterBoot() {
        FrameTable ft = x86.frames();
        assertEquals(0, ft.startPfn());
        assertEquals(0x140000, ft.endPfn());
        boolean[] free = freePfns(x86);
        long freeCount = 0;
        for (long pfn = ft.startPfn(); pfn < ft.endPfn(); pfn++) {
            boolean reserved = ft.test(pfn, PageFlags.PG_reserved);
            if (free[(int) pfn]) {
                freeCount++;
                if (reserved || ft.refcount(pfn) != 0) {
                    throw new AssertionError("free pfn 0x" + Long.toHexString(pfn) + " is reserved or referenced");
                }
            } else if (!reserved || ft.refcount(pfn) != 1) {
                throw new AssertionError("reserved pfn 0x" + Long.toHexString(pfn) + " lacks PG_reserved or its reference");
            }
            if (ft.pageFlags(pfn) != (reserved ? 1 << PageFlags.PG_reserved : 0)) {
                throw new AssertionError("pfn 0x" + Long.toHexString(pfn) + " has stray flags " + PageFlags.format(ft.pageFlags(pfn)));
            }
        }
        assertEquals(x86.totalramPages(), freeCount);
        // zone and node links
        assertEquals(ZoneType.DMA.ordinal(), ft.zoneIndex(1));
        assertEquals(ZoneType.DMA32.ordinal(), ft.zoneIndex(4096));
        assertEquals(ZoneType.DMA32.ordinal(), ft.zoneIndex(0xbffff));
        assertEquals(ZoneType.NORMAL.ordinal(), ft.zoneIndex(0x100000));
        assertEquals(0, ft.nid(0x13ffff));
        assertSame(x86.zone(0, ZoneType.NORMAL), x86.zoneOfPfn(0x123456));
        assertSame(x86.zone(0, ZoneType.DMA32), x86.zoneOfPfn(4096));
    }

    @Test
    void pfnValidIsFalseInsideThePciHole() {
        FrameTable ft = x86.frames();
        assertTrue(ft.pfnValid(0));
        assertTrue(ft.pfnValid(0xa0), "a hole inside a present section is valid (and reserved)");
        assertTrue(ft.test(0xa0, PageFlags.PG_reserved));
        assertTrue(ft.pfnValid(0xbffff));
        for (long pfn = 0xc0000; pfn < 0x100000; pfn += 0x1000) {
            assertFalse(ft.pfnValid(pfn), "pfn 0x" + Long.toHexString(pfn) + " lies in the PCI hole");
        }
        assertFalse(ft.pfnValid(0xfffff));
        assertTrue(ft.pfnValid(0x100000));
        assertTrue(ft.pfnValid(0x13ffff));
        assertFalse(ft.pfnValid(0x140000), "beyond max_pfn");
        assertFalse(ft.pfnValid(-1));
    }

    @Test
    void pageblockMigratetypesMatchTheRealPagetypeinfo() {
        FrameTable ft = x86.frames();
        assertEquals(MigrateType.UNMOVABLE.ordinal(), ft.pageblockMigratetype(1), "DMA pageblock 0 holds pfn 0");
        for (long pfn = 512; pfn < 4096; pfn += 512) {
            assertEquals(MigrateType.MOVABLE.ordinal(), ft.pageblockMigratetype(pfn), "DMA pfn " + pfn);
        }
        // "Number of blocks type" of the captured /proc/pagetypeinfo: DMA 1 Unmovable + 7 Movable, DMA32 1528 Movable
        assertArrayEquals(new long[] {1, 7, 0, 0, 0}, blockCounts(ft, x86.zone(0, ZoneType.DMA)));
        assertArrayEquals(new long[] {0, 1528, 0, 0, 0}, blockCounts(ft, x86.zone(0, ZoneType.DMA32)));
        assertArrayEquals(new long[] {0, 512, 0, 0, 0}, blockCounts(ft, x86.zone(0, ZoneType.NORMAL)));
    }

    /** pagetypeinfo_showblockcount_print: one count per pageblock of the zone that has a valid frame. */
    static long[] blockCounts(FrameTable ft, Zone z) {
        long[] count = new long[MigrateType.MIGRATE_TYPES];
        for (long pfn = z.startPfn(); pfn < z.endPfn(); pfn = (pfn + 512) & ~511L) {
            if (ft.pfnValid(pfn)) {
                count[ft.pageblockMigratetype(pfn)]++;
            }
        }
        return count;
    }

    @Test
    void watermarksArePresentAfterBoot() {
        long lowmem = 0;
        for (Zone z : x86.zones()) {
            if (z.type().ordinal() <= ZoneType.NORMAL.ordinal()) {
                lowmem += z.managedPages();
            }
        }
        int minFree = x86.watermarks().tunables().minFreeKbytes();
        long expected = (long) Math.floor(Math.sqrt(lowmem * 4.0 * 16));
        assertEquals(expected, minFree, "calculate_min_free_kbytes from the managed pages at boot");
        long pagesMin = minFree >> 2;
        long sumMin = 0;
        for (Zone z : x86.zones()) {
            if (!z.managed()) {
                continue;
            }
            assertTrue(z.watermark(Watermark.MIN) > 0, z.toString());
            assertTrue(z.watermark(Watermark.LOW) > z.watermark(Watermark.MIN), z.toString());
            assertTrue(z.watermark(Watermark.HIGH) > z.watermark(Watermark.LOW), z.toString());
            assertTrue(z.watermark(Watermark.PROMO) > z.watermark(Watermark.HIGH), z.toString());
            assertTrue(z.pagesetBatch() >= 1 && z.pagesetHighMin() >= 4 * z.pagesetBatch(), z.toString());
            assertTrue(z.statThreshold() > 0, z.toString());
            sumMin += z.watermark(Watermark.MIN);
        }
        assertTrue(sumMin <= pagesMin && sumMin > pagesMin - 3, "the min watermarks share min_free_kbytes: " + sumMin);
        assertEquals(32, x86.zone(0, ZoneType.MOVABLE).watermark(Watermark.MIN), "an empty Movable zone is clamped to 32");
        assertEquals(x86.zone(0, ZoneType.DMA).lowmemReserve(ZoneType.NORMAL.ordinal()),
                (x86.zone(0, ZoneType.DMA32).managedPages() + x86.zone(0, ZoneType.NORMAL).managedPages()) / 256);
        assertTrue(x86.totalreservePages() > 0);
        assertEquals(x86.watermarks().totalreservePages(), x86.totalreservePages());
    }

    @Test
    void zonelistAndCpus() {
        assertEquals(List.of(x86.zone(0, ZoneType.NORMAL), x86.zone(0, ZoneType.DMA32), x86.zone(0, ZoneType.DMA)), x86.zonelist(0));
        assertEquals(4, x86.cpuCount());
        for (int c = 0; c < 4; c++) {
            assertEquals(0, x86.cpuToNode(c));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x86.cpuToNode(4));
        assertTrue(e.getMessage().contains("CPU 4") && e.getMessage().contains("0 to 3"), e.getMessage());
        assertEquals(0, x86.currentCpu());
        assertEquals(Integer.valueOf(2), x86.runOn(2, x86::currentCpu));
        assertEquals(0, x86.currentCpu(), "runOn restores the CPU");
        assertNotNull(x86.archInfo());
        // x86's direct map: 4 KiB pages up to 2 MiB, 2 MiB pages up to 1 GiB, then 1 GiB pages
        assertEquals(GIB + 3 * GIB - MIB + 0x9e000, 1024 * (x86.archInfo().directMap4kKb() + x86.archInfo().directMap2mKb()
                + x86.archInfo().directMap1gKb()));
        assertEquals(4 * BootSequence.PCPU_UNIT_SIZE >> 10, x86.archInfo().percpuKb());
    }

    // ---- NUMA --------------------------------------------------------------------------------------

    @Test
    void twoNodesSplitRamAndCpus() {
        MachineImpl m = MachineImpl.boot(new MachineConfig(Arch.X86_64, 4 * GIB, 4, 2, 0));
        assertEquals(2, m.nodes().size());
        assertArrayEquals(new int[] {0, 0, 1, 1}, new int[] {m.cpuToNode(0), m.cpuToNode(1), m.cpuToNode(2), m.cpuToNode(3)});
        assertArrayEquals(new int[] {0, 1}, m.node(0).cpus());
        assertArrayEquals(new int[] {2, 3}, m.node(1).cpus());

        long totalPresent = 0;
        for (Node n : m.nodes()) {
            long present = 0;
            for (Zone z : n.zones()) {
                assertEquals(n.id(), z.nid());
                present += z.presentPages();
                if (z.spannedPages() > 0) {
                    assertTrue(z.startPfn() >= n.startPfn() && z.endPfn() <= n.startPfn() + n.spannedPages(), z + " inside its node");
                }
            }
            assertEquals(present, n.presentPages(), "node " + n.id() + " present = Σ zones");
            totalPresent += present;
        }
        assertEquals(memblock(m).memorySize() >>> 12, totalPresent);
        // RAM splits on a memory section boundary (128 MiB) near the address with half the RAM below it
        long section = 1L << (BootSequence.SECTION_SIZE_BITS - 12);
        long boundary = m.node(1).startPfn();
        assertEquals(0, boundary % section);
        assertTrue(boundary > 0x70000 && boundary < 0x90000, "near 2 GiB: 0x" + Long.toHexString(boundary));
        assertTrue(Math.abs(m.node(0).presentPages() - m.node(1).presentPages()) <= 2 * section, "about even");
        assertEquals(1, m.node(0).startPfn());
        assertEquals(boundary - 1, m.node(0).spannedPages());
        assertEquals(0, m.zone(0, ZoneType.NORMAL).presentPages());
        assertEquals(boundary, m.zone(0, ZoneType.DMA32).endPfn());
        assertEquals(boundary, m.zone(1, ZoneType.DMA32).startPfn());
        assertEquals(0xc0000 - boundary, m.zone(1, ZoneType.DMA32).presentPages());
        assertEquals(0x100000 - boundary, m.zone(1, ZoneType.DMA32).spannedPages(), "the PCI hole is spanned");
        assertEquals(0x40000, m.zone(1, ZoneType.NORMAL).presentPages());
        assertEquals(0, m.zone(1, ZoneType.DMA).spannedPages());
        for (MemblockRegion r : memblock(m).memory()) {
            assertEquals(r.base() < boundary << 12 ? 0 : 1, r.nid(), r.toString());
        }
        FrameTable ft = m.frames();
        assertEquals(0, ft.nid(boundary - 1));
        assertEquals(1, ft.nid(boundary));
        assertEquals(1, ft.nid(0x13ffff));
        // each node's memmap is on the node itself
        long managed = 0;
        boolean[] free = freePfns(m);
        long freeCount = 0;
        for (boolean f : free) {
            freeCount += f ? 1 : 0;
        }
        for (Zone z : m.zones()) {
            managed += z.managedPages();
        }
        assertEquals(freeCount, managed);
        assertEquals(managed, m.totalramPages());
        assertEquals(List.of(m.zone(1, ZoneType.NORMAL), m.zone(1, ZoneType.DMA32), m.zone(0, ZoneType.DMA32),
                m.zone(0, ZoneType.DMA)), m.zonelist(1));
        assertEquals(m.zone(0, ZoneType.DMA32), m.zonelist(0).get(0));
        // the per-CPU pagesets split over the node's own two CPUs
        Zone normal1 = m.zone(1, ZoneType.NORMAL);
        assertEquals(Math.max(normal1.watermark(Watermark.LOW) / 2, 4L * normal1.pagesetBatch()), normal1.pagesetHighMin());
    }

    // ---- arm64 ---------------------------------------------------------------------------------------

    @Test
    void arm64ZonesStartAtOneGib() {
        MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT.withArch(Arch.ARM64));
        FrameTable ft = m.frames();
        assertEquals(GIB >>> 12, ft.startPfn());
        assertEquals(5 * GIB >>> 12, ft.endPfn());
        Zone dma = m.zone(0, ZoneType.DMA);
        assertEquals(0x40000, dma.startPfn());
        assertEquals(3 * GIB >>> 12, dma.spannedPages(), "ZONE_DMA covers RAM below 4 GiB");
        assertEquals(3 * GIB >>> 12, dma.presentPages());
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        assertEquals(0, dma32.spannedPages());
        assertEquals(0, dma32.managedPages());
        Zone normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(0x100000, normal.startPfn());
        assertEquals(GIB >>> 12, normal.spannedPages());
        long reservedLow = (MIB + (Arm64Layout.KERNEL_DATA_END - Arm64Layout.KERNEL_CODE_START)) >>> 12;
        assertEquals(dma.presentPages() - reservedLow, dma.managedPages(), "the DTB and the kernel image are not managed");
        assertEquals(m.totalramPages(), dma.managedPages() + normal.managedPages());
        assertTrue(ft.test(GIB >>> 12, PageFlags.PG_reserved), "the DTB");
        assertFalse(ft.pfnValid((GIB >>> 12) - 1));
        assertTrue(dma.watermark(Watermark.MIN) > 0);
        assertEquals(0, m.archInfo().directMap4kKb() + m.archInfo().directMap2mKb() + m.archInfo().directMap1gKb());
        IomemResource ram = m.iomem().stream().filter(r -> r.name().equals("System RAM")).findFirst().orElseThrow();
        assertEquals(GIB, ram.start());
        assertEquals(5 * GIB - 1, ram.end());
        assertEquals(List.of("Kernel code", "Kernel data"), ram.children().stream().map(IomemResource::name).toList());
        assertSortedAndDisjoint(m.iomem());
        assertEquals(MigrateType.MOVABLE.ordinal(), ft.pageblockMigratetype(GIB >>> 12), "RAM starts pageblock aligned");
    }

    @Test
    void arm64SmallMachineHasOnlyZoneDma() {
        MachineImpl m = MachineImpl.boot(new MachineConfig(Arch.ARM64, MachineConfig.MIN_MEM, 1, 1, 0));
        assertConsistent(m);
        assertEquals(MachineConfig.MIN_MEM >>> 12, m.zone(0, ZoneType.DMA).presentPages());
        assertEquals(0, m.zone(0, ZoneType.NORMAL).spannedPages());
    }

    // ---- the firmware maps, without booting --------------------------------------------------------

    @ParameterizedTest(name = "{0} GiB")
    @ValueSource(longs = {1, 2, 3, 4, 64, 255, 256, 1024})
    void iomemTreesNeverOverlap(long gib) {
        for (Arch arch : Arch.values()) {
            MachineConfig cfg = new MachineConfig(arch, gib * GIB, 4, 1, 0);
            ArchLayout layout = arch == Arch.X86_64 ? X86Layout.build(cfg) : Arm64Layout.build(cfg);
            assertSortedAndDisjoint(layout.iomem());
            long ramBytes = 0;
            for (IomemResource r : layout.iomem()) {
                assertSortedAndDisjoint(r.children());
                if (r.name().equals("System RAM")) {
                    ramBytes += r.end() + 1 - r.start();
                }
            }
            long expected = arch == Arch.X86_64 ? cfg.memBytes() - MIB + (X86Layout.EBDA_START - 0x1000) : cfg.memBytes();
            assertEquals(expected, ramBytes, cfg.summary() + ": System RAM in /proc/iomem");
            long ram = 0;
            for (long[] r : layout.ram()) {
                ram += r[1] - r[0];
            }
            assertEquals(arch == Arch.X86_64 ? cfg.memBytes() - MIB + 0x9e000 : cfg.memBytes(), ram, cfg.summary() + ": e820 RAM");
            if (arch == Arch.ARM64) {
                IomemResource ecam = layout.iomem().stream().filter(r -> r.name().equals("PCI ECAM")).findFirst().orElseThrow();
                // QEMU virt: 0x4010000000 while RAM ends below 256 GiB, else right after RAM
                assertEquals(gib < 255 ? 0x4010000000L : (((GIB + gib * GIB + GIB - 1) / GIB * GIB) + 256 * MIB), ecam.start());
                assertEquals(256 * MIB, ecam.end() + 1 - ecam.start());
            }
        }
    }

    // ---- other sizes -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} MiB")
    @ValueSource(longs = {128, 1024, 2048, 3072, 65536})
    void otherSizesBootConsistently(long mib) {
        MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT.withMem(mib * MIB));
        assertConsistent(m);
        long present = 0;
        for (Zone z : m.zones()) {
            present += z.presentPages();
        }
        long expected = (0x9f000 - 0x1000 >>> 12) + ((Math.min(mib * MIB, 3 * GIB) - MIB) >>> 12)
                + (mib * MIB > 3 * GIB ? (mib * MIB - 3 * GIB) >>> 12 : 0);
        assertEquals(expected, present);
        assertEquals(3840, m.zone(0, ZoneType.DMA).managedPages());
        if (mib <= 3072) {
            assertEquals(0, m.zone(0, ZoneType.NORMAL).spannedPages());
        } else {
            assertEquals(0x100000, m.zone(0, ZoneType.NORMAL).startPfn());
        }
    }

    /** The invariants every booted machine keeps. */
    static void assertConsistent(MachineImpl m) {
        long managed = 0;
        for (Node n : m.nodes()) {
            long present = 0;
            for (Zone z : n.zones()) {
                assertTrue(z.managedPages() <= z.presentPages(), z + " managed <= present");
                assertTrue(z.presentPages() <= z.spannedPages(), z + " present <= spanned");
                present += z.presentPages();
                managed += z.managedPages();
                if (z.managed() && z.type() != ZoneType.MOVABLE) {
                    assertTrue(z.watermark(Watermark.LOW) > z.watermark(Watermark.MIN), z + " watermarks");
                }
            }
            assertEquals(present, n.presentPages());
        }
        assertEquals(managed, m.totalramPages());
        boolean[] free = freePfns(m);
        FrameTable ft = m.frames();
        long freeCount = 0;
        for (int i = 0; i < free.length; i++) {
            long pfn = ft.startPfn() + i;
            if (free[i]) {
                freeCount++;
                if (ft.test(pfn, PageFlags.PG_reserved) || ft.refcount(pfn) != 0) {
                    throw new AssertionError(m.config().summary() + ": free pfn 0x" + Long.toHexString(pfn) + " not released");
                }
            } else if (!ft.test(pfn, PageFlags.PG_reserved)) {
                throw new AssertionError(m.config().summary() + ": pfn 0x" + Long.toHexString(pfn) + " should be reserved");
            }
        }
        assertEquals(managed, freeCount, m.config().summary());
        int minFree = m.watermarks().tunables().minFreeKbytes();
        assertTrue(minFree >= 128 && minFree <= 262144, "min_free_kbytes " + minFree);
        List<String> names = new ArrayList<>();
        for (Zone z : m.zonelist(0)) {
            names.add(z.name());
        }
        assertFalse(names.isEmpty());
        assertEquals(names.stream().distinct().collect(Collectors.toList()), names);
    }
}

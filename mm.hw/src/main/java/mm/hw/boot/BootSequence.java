package mm.hw.boot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import mm.api.machine.ArchInfo;
import mm.api.machine.Arch;
import mm.api.machine.IomemResource;
import mm.api.machine.CaptureSysctls;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineCapture.ZoneCapture;
import mm.api.machine.MachineConfig;
import mm.api.machine.MemblockRegion;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.ZoneType;
import mm.hw.memblock.MemblockAllocator;
import mm.hw.memmap.MemMap;
import mm.hw.zone.NodeImpl;
import mm.hw.zone.VmTunables;
import mm.hw.zone.ZoneImpl;
import mm.hw.zone.ZoneWatermarks;

/**
 * The memory part of booting, in the kernel's order: the firmware map goes to memblock
 * ({@code e820__memblock_setup}), early reservations, NUMA node assignment
 * ({@code memblock_set_node}), the memmap ({@code sparse_init}) and per-CPU area from memblock,
 * zone sizing ({@code free_area_init}), frame table initialisation ({@code memmap_init}), the hand
 * over of free memory to the page allocator ({@code memblock_free_all}) and the watermarks
 * ({@code init_per_zone_wmark_min}).
 *
 * <p>After {@code memblock_free_all} every free frame has {@code PG_reserved} clear and a zero
 * reference count, and the zones know their managed pages; the frame allocator builds its free
 * lists from the frame table when it adopts the machine.
 */
public final class BootSequence {

    /** Bytes of {@code struct page} for one 128 MiB section: 32768 pages of 64 bytes. */
    static final long SECTION_MAP_SIZE = 2L << 20;
    /** SECTION_SIZE_BITS. */
    static final int SECTION_SIZE_BITS = 27;
    /** The per-CPU first chunk reserved for each CPU. */
    static final long PCPU_UNIT_SIZE = 256L << 10;
    /** __pa(MAX_DMA_ADDRESS): early allocations try to stay above ZONE_DMA. */
    static final long MAX_DMA_ADDRESS = 16L << 20;
    /** MAX_ORDER_NR_PAGES: ZONE_MOVABLE starts on this boundary. */
    static final long MAX_ORDER_NR_PAGES = 1024;

    /** What boot produced. */
    public record Booted(MachineConfig config, MemblockAllocator memblock, MemMap memMap, List<NodeImpl> nodes,
            List<IomemResource> iomem, ArchInfo archInfo, ZoneWatermarks watermarks, int[] cpuToNode) {
    }

    private BootSequence() {
    }

    /** Boots a machine. */
    public static Booted boot(MachineConfig cfg) {
        ArchLayout layout = cfg.arch() == Arch.X86_64 ? X86Layout.build(cfg) : Arm64Layout.build(cfg);
        MemblockAllocator mb = new MemblockAllocator();
        for (long[] r : layout.ram()) {
            mb.memblockAdd(r[0], r[1] - r[0]);
        }
        for (long[] r : layout.earlyReserved()) {
            mb.memblockReserve(r[0], r[1] - r[0]);
        }
        mb.setCurrentLimit(mb.endOfDram());
        mb.allowResize();

        int[] cpuToNode = cpuToNode(cfg.cpus(), cfg.nodes());
        long[] nodeEnd = assignNodes(mb, cfg);

        long firstPfn = layout.firstPfn();
        long maxPfn = mb.endOfDram() >>> 12;
        MemMap memMap = markPresentSections(mb, new MemMap(firstPfn, maxPfn), firstPfn);

        long percpuBytes = 0;
        List<NodeImpl> nodes = new ArrayList<>();
        for (int nid = 0; nid < cfg.nodes(); nid++) {
            NodeImpl node = node(nid, cpuToNode);
            int[] cpus = node.cpus();
            nodes.add(node);
            // sparse_init → sparse_buffer_init: the node's memmap in one allocation, on the node
            long sections = presentSections(mb, nid);
            long memmap = mb.memblockAllocExactNidRaw(sections * SECTION_MAP_SIZE, SECTION_MAP_SIZE, MAX_DMA_ADDRESS,
                    MemblockAllocator.MEMBLOCK_ALLOC_ACCESSIBLE, nid);
            if (memmap == 0) {
                throw new IllegalStateException("boot: no memory for node " + nid + "'s memmap");
            }
            // pcpu_embed_first_chunk: one unit per CPU of the node
            if (cpus.length > 0) {
                long size = cpus.length * PCPU_UNIT_SIZE;
                if (mb.memblockAllocTryNid(size, 4096, MAX_DMA_ADDRESS, MemblockAllocator.MEMBLOCK_ALLOC_ACCESSIBLE, nid) == 0) {
                    throw new IllegalStateException("boot: no memory for node " + nid + "'s per-CPU area");
                }
                percpuBytes += size;
            }
        }

        sizeZones(mb, layout, cfg, nodes, nodeEnd);
        memmapInit(mb, memMap, nodes);
        memblockFreeAll(mb, memMap, nodes);

        ZoneWatermarks wm = new ZoneWatermarks(nodes, cfg.cpus(), new VmTunables());
        wm.initPerZoneWmarkMin();
        return new Booted(cfg, mb, memMap, List.copyOf(nodes), layout.iomem(), layout.archInfo(percpuBytes >> 10), wm,
                cpuToNode);
    }

    /** CPUs spread over the nodes in order, as evenly as they go: CPU c on node c * nodes / cpus. */
    static int[] cpuToNode(int cpus, int nodes) {
        int[] cpuToNode = new int[cpus];
        for (int c = 0; c < cpus; c++) {
            cpuToNode[c] = (int) ((long) c * nodes / cpus);
        }
        return cpuToNode;
    }

    /** Node {@code nid} with its CPUs, its zones' per-CPU counters sized for every CPU of the machine. */
    private static NodeImpl node(int nid, int[] cpuToNode) {
        int[] cpus = IntStream.range(0, cpuToNode.length).filter(c -> cpuToNode[c] == nid).toArray();
        NodeImpl node = new NodeImpl(nid, cpus);
        for (ZoneImpl z : node.zoneImpls()) {
            z.initCpus(cpuToNode.length);
        }
        return node;
    }

    /** Marks every memory section that holds RAM present in the memmap ({@code memory_present}). */
    private static MemMap markPresentSections(MemblockAllocator mb, MemMap memMap, long firstPfn) {
        for (MemblockRegion r : mb.memory()) {
            for (long s = r.base() >>> SECTION_SIZE_BITS; s <= (r.end() - 1) >>> SECTION_SIZE_BITS; s++) {
                memMap.markSectionPresent(Math.max(firstPfn, s << (SECTION_SIZE_BITS - 12)));
            }
        }
        return memMap;
    }

    /**
     * Boots a machine shaped like a real one ({@code ./mm --like DIR}): the capture's nodes, and in
     * each its zones with the same start pfn, spanned and present pages; RAM is laid out so that
     * each zone holds exactly its present pages (a zone with holes gets its RAM from its start and
     * its last page, the hole between), and the difference between present and managed pages is
     * reserved at the top of each zone's RAM, as the firmware's and the kernel's own reservations
     * (memmap, per-CPU areas, the kernel image) are on the real machine. Then the vm sysctls are set
     * ({@link CaptureSysctls}: the capture's, or inferred from its figures) before the watermarks and
     * lowmem reserves are computed, so both equal the capture's.
     *
     * @param cfg the configuration to report ({@link MachineCapture#config}); its CPU count is used
     */
    public static Booted bootLike(MachineCapture cap, MachineConfig cfg) {
        CaptureSysctls tunables = cap.sysctls();
        long section = 1L << (SECTION_SIZE_BITS - 12);
        long firstPfn = Long.MAX_VALUE;
        long endPfn = 0;
        for (ZoneCapture z : cap.zones()) {
            if (z.present() > 0) {
                firstPfn = Math.min(firstPfn, z.startPfn());
                endPfn = Math.max(endPfn, z.startPfn() + z.spanned());
            }
        }
        if (endPfn == 0) {
            throw new IllegalArgumentException(cap.dir() + ": no zone has present pages");
        }
        firstPfn = firstPfn / section * section;

        // RAM of each populated zone {startPfn, endPfn}, and what to reserve in it
        MemblockAllocator mb = new MemblockAllocator();
        List<long[]> ram = new ArrayList<>();
        List<long[]> reserve = new ArrayList<>();
        for (ZoneCapture z : cap.zones()) {
            if (z.present() == 0) {
                continue;
            }
            long start = z.startPfn();
            long end = start + z.spanned();
            List<long[]> zoneRam = new ArrayList<>();
            if (z.present() == z.spanned()) {
                zoneRam.add(new long[] {start, end});
            } else {
                if (z.present() > 1) {
                    zoneRam.add(new long[] {start, start + z.present() - 1});
                }
                zoneRam.add(new long[] {end - 1, end});
            }
            long toReserve = z.present() - z.managed();
            for (int i = zoneRam.size() - 1; i >= 0 && toReserve > 0; i--) {
                long[] r = zoneRam.get(i);
                long n = Math.min(toReserve, r[1] - r[0]);
                reserve.add(new long[] {r[1] - n, r[1]});
                toReserve -= n;
            }
            ram.addAll(zoneRam);
        }
        for (long[] r : ram) {
            mb.memblockAdd(r[0] << 12, (r[1] - r[0]) << 12);
        }
        for (long[] r : reserve) {
            mb.memblockReserve(r[0] << 12, (r[1] - r[0]) << 12);
        }
        mb.setCurrentLimit(mb.endOfDram());
        mb.allowResize();
        int nodeCount = cap.nodeCount();
        long[] nodeStart = new long[nodeCount];
        long[] nodeEnd = new long[nodeCount];
        Arrays.fill(nodeStart, Long.MAX_VALUE);
        for (ZoneCapture z : cap.zones()) {
            if (z.present() > 0) {
                nodeStart[z.nid()] = Math.min(nodeStart[z.nid()], z.startPfn());
                nodeEnd[z.nid()] = Math.max(nodeEnd[z.nid()], z.startPfn() + z.spanned());
            }
        }
        for (int nid = 0; nid < nodeCount; nid++) {
            if (nodeEnd[nid] == 0) {
                throw new IllegalArgumentException(cap.dir() + ": node " + nid + " has no present pages (a memoryless node)");
            }
            mb.memblockSetNode(nodeStart[nid] << 12, (nodeEnd[nid] - nodeStart[nid]) << 12, false, nid);
        }

        MemMap memMap = markPresentSections(mb, new MemMap(firstPfn, endPfn), firstPfn);
        int cpus = cfg.cpus();
        int[] cpuToNode = cpuToNode(cpus, nodeCount);
        List<NodeImpl> nodes = new ArrayList<>();
        for (int nid = 0; nid < nodeCount; nid++) {
            NodeImpl node = node(nid, cpuToNode);
            long nodePresent = 0;
            for (ZoneImpl z : node.zoneImpls()) {
                ZoneCapture c = cap.zone(nid, z.type());
                if (c != null && c.present() > 0) {
                    long present = presentPages(mb, nid, c.startPfn(), c.startPfn() + c.spanned());
                    z.setSpan(c.startPfn(), c.spanned(), present);
                    nodePresent += present;
                }
            }
            node.setSpan(nodeStart[nid], nodeEnd[nid] - nodeStart[nid], nodePresent);
            nodes.add(node);
        }
        memmapInit(mb, memMap, nodes);
        memblockFreeAll(mb, memMap, nodes);
        for (NodeImpl n : nodes) {
            for (ZoneImpl z : n.zoneImpls()) {
                ZoneCapture c = cap.zone(n.id(), z.type());
                long want = c == null ? 0 : c.managed();
                if (z.managedPages() != want) {
                    throw new IllegalStateException("boot like " + cap.dir() + ": " + z + " manages " + z.managedPages()
                            + " pages, the capture " + want);
                }
            }
        }

        ZoneWatermarks wm = new ZoneWatermarks(nodes, cpus, new VmTunables());
        wm.initPerZoneWmarkMin();
        wm.applyTunables(tunables.minFreeKbytes(), tunables.watermarkScaleFactor(), tunables.watermarkBoostFactor(),
                tunables.lowmemReserveRatio());

        List<IomemResource> iomem = new ArrayList<>();
        for (MemblockRegion r : mb.memory()) {
            iomem.add(new IomemResource(r.base(), r.end() - 1, "System RAM"));
        }
        boolean x86 = cfg.arch() == Arch.X86_64;
        ArchLayout layout = new ArchLayout(firstPfn, ram.stream().map(r -> new long[] {r[0] << 12, r[1] << 12}).toList(),
                List.of(), iomem, new long[] {0, 0}, x86 ? X86Layout.VMALLOC_TOTAL_KB : Arm64Layout.VMALLOC_TOTAL_KB, x86);
        return new Booted(cfg, mb, memMap, List.copyOf(nodes), iomem, layout.archInfo(cpus * PCPU_UNIT_SIZE >> 10), wm,
                cpuToNode);
    }

    /**
     * Splits RAM between the nodes by address, in 128 MiB sections, each node getting about the
     * same amount (like {@code numa=fake=N}), and records it with {@code memblock_set_node}.
     *
     * @return the end address of each node
     */
    private static long[] assignNodes(MemblockAllocator mb, MachineConfig cfg) {
        List<MemblockRegion> mem = mb.memory();
        long total = mb.memorySize();
        long[] nodeEnd = new long[cfg.nodes()];
        long section = 1L << SECTION_SIZE_BITS;
        long prev = 0;
        for (int nid = 0; nid < cfg.nodes(); nid++) {
            long end;
            if (nid == cfg.nodes() - 1) {
                end = mb.endOfDram();
            } else {
                long target = total * (nid + 1) / cfg.nodes();
                end = addressWithRamBelow(mem, target);
                end = (end + section - 1) / section * section;
            }
            mb.memblockSetNode(prev, end - prev, false, nid);
            nodeEnd[nid] = end;
            prev = end;
        }
        return nodeEnd;
    }

    private static long addressWithRamBelow(List<MemblockRegion> mem, long bytes) {
        long seen = 0;
        for (MemblockRegion r : mem) {
            if (seen + r.size() >= bytes) {
                return r.base() + (bytes - seen);
            }
            seen += r.size();
        }
        return mem.get(mem.size() - 1).end();
    }

    private static long presentSections(MemblockAllocator mb, int nid) {
        long count = 0;
        long last = -1;
        for (MemblockRegion r : mb.memory()) {
            if (r.nid() != nid) {
                continue;
            }
            for (long s = r.base() >>> SECTION_SIZE_BITS; s <= (r.end() - 1) >>> SECTION_SIZE_BITS; s++) {
                if (s != last) {
                    count++;
                    last = s;
                }
            }
        }
        return count;
    }

    /** Pages of memory regions of a node within [startPfn, endPfn) (PFN_UP of bases, PFN_DOWN of ends). */
    private static long presentPages(MemblockAllocator mb, int nid, long startPfn, long endPfn) {
        long n = 0;
        for (MemblockRegion r : mb.memory()) {
            if (r.nid() != nid) {
                continue;
            }
            long s = Math.max(startPfn, (r.base() + 4095) >>> 12);
            long e = Math.min(endPfn, r.end() >>> 12);
            if (e > s) {
                n += e - s;
            }
        }
        return n;
    }

    /**
     * {@code free_area_init}: zone ranges from the architecture's limits, clipped to each node;
     * ZONE_MOVABLE taken from the top of each node when configured.
     */
    private static void sizeZones(MemblockAllocator mb, ArchLayout layout, MachineConfig cfg, List<NodeImpl> nodes,
            long[] nodeEndAddr) {
        long lowest = (mb.startOfDram() + 4095) >>> 12;
        long maxPfn = mb.endOfDram() >>> 12;
        long[] low = new long[3];
        long[] high = new long[3];
        long start = lowest;
        long[] limits = {layout.maxZonePfn()[0], layout.maxZonePfn()[1], maxPfn};
        for (int i = 0; i < 3; i++) {
            low[i] = start;
            high[i] = Math.max(limits[i], start);
            start = high[i];
        }
        for (NodeImpl node : nodes) {
            int nid = node.id();
            long nodeStart = Long.MAX_VALUE;
            long nodeEnd = 0;
            for (MemblockRegion r : mb.memory()) {
                if (r.nid() == nid) {
                    nodeStart = Math.min(nodeStart, (r.base() + 4095) >>> 12);
                    nodeEnd = Math.max(nodeEnd, r.end() >>> 12);
                }
            }
            if (nodeEnd == 0) {
                throw new IllegalStateException("boot: node " + nid + " has no memory");
            }
            long movablePages = cfg.movableBytes() >>> 12;
            long movableStart = nodeEnd;
            if (movablePages > 0) {
                movableStart = (nodeEnd - movablePages) / MAX_ORDER_NR_PAGES * MAX_ORDER_NR_PAGES;
            }
            long nodePresent = 0;
            for (int i = 0; i < 3; i++) {
                long zs = clamp(nodeStart, low[i], high[i]);
                long ze = clamp(nodeEnd, low[i], high[i]);
                ze = Math.min(ze, Math.max(zs, movableStart));
                ZoneImpl z = node.zoneImpl(ZoneType.of(i));
                if (ze > zs) {
                    long present = presentPages(mb, nid, zs, ze);
                    z.setSpan(zs, ze - zs, present);
                    nodePresent += present;
                }
            }
            if (movablePages > 0) {
                ZoneImpl normal = node.zoneImpl(ZoneType.NORMAL);
                if (normal.spannedPages() == 0 || movableStart < normal.startPfn()) {
                    throw new IllegalArgumentException("movable memory " + MachineConfig.formatSize(cfg.movableBytes())
                            + " does not fit in node " + nid + "'s ZONE_NORMAL");
                }
                long present = presentPages(mb, nid, movableStart, nodeEnd);
                node.zoneImpl(ZoneType.MOVABLE).setSpan(movableStart, nodeEnd - movableStart, present);
                nodePresent += present;
            }
            node.setSpan(nodeStart, nodeEnd - nodeStart, nodePresent);
        }
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(v, hi));
    }

    /**
     * {@code memmap_init}: every frame starts reserved with one reference ({@code __init_single_page},
     * {@code init_unavailable_range}) and linked to its zone and node; the first frame of each
     * pageblock inside a zone's memory marks the block MIGRATE_MOVABLE ({@code memmap_init_range}).
     */
    private static void memmapInit(MemblockAllocator mb, MemMap mm, List<NodeImpl> nodes) {
        for (long pfn = mm.startPfn(); pfn < mm.endPfn(); pfn++) {
            mm.set(pfn, PageFlags.PG_reserved);
            mm.setRefcount(pfn, 1);
        }
        for (NodeImpl node : nodes) {
            for (ZoneImpl z : node.zoneImpls()) {
                if (z.spannedPages() == 0) {
                    continue;
                }
                for (long pfn = z.startPfn(); pfn < z.endPfn(); pfn++) {
                    mm.setLinks(pfn, z.type().ordinal(), node.id());
                }
                for (MemblockRegion r : mb.memory()) {
                    if (r.nid() != node.id()) {
                        continue;
                    }
                    long s = Math.max(z.startPfn(), (r.base() + 4095) >>> 12);
                    long e = Math.min(z.endPfn(), r.end() >>> 12);
                    for (long pfn = (s + 511) & ~511L; pfn < e; pfn += 512) {
                        mm.setPageblockMigratetype(pfn, MigrateType.MOVABLE.ordinal());
                    }
                }
            }
        }
    }

    /**
     * {@code memblock_free_all}: reserved regions get their node ({@code memmap_init_reserved_pages}),
     * then every free range is released page by page ({@code __free_pages_core}: PG_reserved
     * cleared, count 0, managed pages counted).
     */
    private static void memblockFreeAll(MemblockAllocator mb, MemMap mm, List<NodeImpl> nodes) {
        for (MemblockRegion r : mb.memory()) {
            mb.memblockSetNode(r.base(), r.size(), true, r.nid());
        }
        for (MemblockAllocator.FreeRange r : mb.freeRanges(MemblockAllocator.NUMA_NO_NODE, MemblockRegion.MEMBLOCK_NONE)) {
            long s = (r.start() + 4095) >>> 12;
            long e = r.end() >>> 12;
            ZoneImpl zone = null;
            long counted = 0;
            for (long pfn = s; pfn < e; pfn++) {
                mm.clear(pfn, PageFlags.PG_reserved);
                mm.setRefcount(pfn, 0);
                ZoneImpl z = nodes.get(mm.nid(pfn)).zoneImpl(ZoneType.of(mm.zoneIndex(pfn)));
                if (z != zone) {
                    if (zone != null) {
                        zone.adjustManagedPages(counted);
                    }
                    zone = z;
                    counted = 0;
                }
                counted++;
            }
            if (zone != null) {
                zone.adjustManagedPages(counted);
            }
        }
    }
}

package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.MOVABLE;
import static mm.buddy.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes (x86_64, 4 GiB, 4 CPUs: CPUs 0-1 on node 0, 2-3 on node 1; node 0 has DMA and DMA32,
 * node 1 DMA32 and Normal): {@code alloc_pages_node} and {@code zone_statistics}.
 */
class NumaTest {

    private static final ZoneStat[] NUMA = {ZoneStat.NUMA_HIT, ZoneStat.NUMA_MISS, ZoneStat.NUMA_FOREIGN,
        ZoneStat.NUMA_LOCAL, ZoneStat.NUMA_OTHER};

    private MachineImpl m;
    private BuddyAllocator b;
    private FrameTable ft;
    private Zone n0dma32;
    private Zone n1normal;
    private Zone n1dma32;

    @BeforeEach
    void setUp() {
        m = boot(new MachineConfig(Arch.X86_64, 4L << 30, 4, 2, 0));
        b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        ft = m.frames();
        n0dma32 = m.zone(0, ZoneType.DMA32);
        n1normal = m.zone(1, ZoneType.NORMAL);
        n1dma32 = m.zone(1, ZoneType.DMA32);
        assertEquals(0, m.cpuToNode(1));
        assertEquals(1, m.cpuToNode(2));
        assertEquals(List.of(n1normal, n1dma32, n0dma32, m.zone(0, ZoneType.DMA)), m.zonelist(1));
    }

    /** The NUMA counters of every zone, zones in machine order. */
    private long[][] numa() {
        List<Zone> zones = m.zones();
        long[][] out = new long[zones.size()][NUMA.length];
        for (int i = 0; i < zones.size(); i++) {
            for (int s = 0; s < NUMA.length; s++) {
                out[i][s] = zones.get(i).state(NUMA[s]);
            }
        }
        return out;
    }

    /** Expected counters: before plus the given increments. */
    private long[][] plus(long[][] before, Object... zoneStatDelta) {
        long[][] out = new long[before.length][];
        for (int i = 0; i < before.length; i++) {
            out[i] = before[i].clone();
        }
        for (int k = 0; k < zoneStatDelta.length; k += 2) {
            Zone z = (Zone) zoneStatDelta[k];
            ZoneStat s = (ZoneStat) zoneStatDelta[k + 1];
            out[m.zones().indexOf(z)][List.of(NUMA).indexOf(s)]++;
        }
        return out;
    }

    @Test
    void eachNodeIsPreferredForItsOwnAllocations() {
        long[][] before = numa();
        long p0 = b.allocPagesNode(0, Gfp.GFP_KERNEL, 0);
        assertEquals(0, ft.nid(p0));
        assertTrue(n0dma32.spans(p0));
        assertArrayEquals(plus(before, n0dma32, ZoneStat.NUMA_HIT, n0dma32, ZoneStat.NUMA_LOCAL), numa());

        // asked for node 1 from CPU 0: a hit on node 1, but not local to the CPU
        before = numa();
        long p1 = b.allocPagesNode(1, Gfp.GFP_KERNEL, 0);
        assertEquals(0x100000, p1);
        assertEquals(1, ft.nid(p1));
        assertArrayEquals(plus(before, n1normal, ZoneStat.NUMA_HIT, n1normal, ZoneStat.NUMA_OTHER), numa());

        // allocPages on CPU 2 uses CPU 2's node
        before = numa();
        long p2 = m.runOn(2, () -> b.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(0x100001, p2);
        assertArrayEquals(plus(before, n1normal, ZoneStat.NUMA_HIT, n1normal, ZoneStat.NUMA_LOCAL), numa());
        assertEquals(List.of(), b.check());
    }

    /** Fills node 1 with movable pages without leaving it; returns how many pages that took. */
    private long fillNode1() {
        long pages = 0;
        int gfp = Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_THISNODE;
        for (int order : new int[] {9, 0}) {
            for (long p = b.allocPagesNode(1, gfp, order); p != FrameAllocator.NO_PAGE; p = b.allocPagesNode(1, gfp, order)) {
                assertEquals(1, ft.nid(p), "__GFP_THISNODE never leaves the node");
                pages += 1L << order;
            }
        }
        return pages;
    }

    @Test
    void thisNodeNeverFallsBackAndWithoutItNode0Serves() {
        long[][] node0 = buddyinfo(b, m);
        long[] free0 = {n1normal.freePages(), n1dma32.freePages()};
        int movableIdx = ZoneType.MOVABLE.ordinal();

        long pages = fillNode1();

        assertEquals(n1normal.watermark(Watermark.MIN) + n1normal.lowmemReserve(movableIdx), n1normal.freePages());
        assertEquals(n1dma32.watermark(Watermark.MIN) + n1dma32.lowmemReserve(movableIdx), n1dma32.freePages());
        assertEquals(free0[0] + free0[1] - n1normal.freePages() - n1dma32.freePages(), pages);
        long[][] now = buddyinfo(b, m);
        for (int i = 0; i < m.zones().size(); i++) {
            if (m.zones().get(i).nid() == 0) {
                assertArrayEquals(node0[i], now[i], "node 0 untouched: " + m.zones().get(i));
            }
        }
        assertEquals(FrameAllocator.NO_PAGE, b.allocPagesNode(1, Gfp.GFP_KERNEL | Gfp.__GFP_THISNODE, 0));
        assertEquals(FrameAllocator.NO_PAGE, b.allocPagesNode(1, Gfp.GFP_ATOMIC | Gfp.__GFP_THISNODE, 10));

        // without __GFP_THISNODE node 1's request goes on to node 0: a miss there, foreign for node 1
        long smallestMovable = -1;
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER && smallestMovable < 0; o++) {
            List<Long> l = Fixtures.list(b, n0dma32, o, MOVABLE);
            if (!l.isEmpty()) {
                smallestMovable = l.get(0);
            }
        }
        assertEquals(0x85d00, smallestMovable, "node 0 DMA32's order-7 block");
        long[][] before = numa();
        long p = m.runOn(2, () -> b.allocPagesNode(1, Gfp.GFP_HIGHUSER_MOVABLE, 0));
        assertEquals(smallestMovable, p);
        assertEquals(0, ft.nid(p));
        assertArrayEquals(plus(before, n0dma32, ZoneStat.NUMA_MISS, n1normal, ZoneStat.NUMA_FOREIGN,
                n0dma32, ZoneStat.NUMA_OTHER), numa());

        // the same request from CPU 0: still a miss for node 1's preference, but local to the CPU
        before = numa();
        long q = b.allocPagesNode(1, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        assertEquals(0, ft.nid(q));
        assertArrayEquals(plus(before, n0dma32, ZoneStat.NUMA_MISS, n1normal, ZoneStat.NUMA_FOREIGN,
                n0dma32, ZoneStat.NUMA_LOCAL), numa());

        // node 0 still serves its own __GFP_THISNODE requests
        long r = b.allocPagesNode(0, Gfp.GFP_KERNEL | Gfp.__GFP_THISNODE, 0);
        assertEquals(0, ft.nid(r));
        assertEquals(List.of(), b.check());
    }

    @Test
    void eachNodesPagesOnlyMergeWithinTheNode() {
        // node boundary 0x88000 lies inside DMA32, which both nodes have
        assertEquals(0x88000, n1dma32.startPfn());
        assertEquals(0x88000, m.zone(0, ZoneType.DMA32).endPfn());
        long[][] boot = buddyinfo(b, m);
        long a = b.allocPagesNode(1, Gfp.GFP_DMA32, 10);
        assertEquals(0x88000, a);
        FreeOnePage fop = new FreeOnePage(ft);
        // a free order-10 block of node 0, same zone type, is no buddy of a node-1 frame
        List<Long> n0Blocks = Fixtures.list(b, n0dma32, 10, MOVABLE);
        long n0Block = n0Blocks.get(0);
        assertEquals(n0Block ^ 0x400, n0Blocks.get(1));
        assertTrue(fop.pageIsBuddy(n0Blocks.get(1), n0Block, 10), "same node, same zone");
        assertFalse(fop.pageIsBuddy(0x88000, n0Block, 10), "other node");
        b.freePages(a, 10);
        assertArrayEquals(boot, buddyinfo(b, m));
        assertEquals(List.of(), b.check());
    }
}

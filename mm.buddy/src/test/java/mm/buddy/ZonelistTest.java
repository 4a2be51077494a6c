package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import mm.tck.FreeFigures;

/**
 * The zonelist walk of {@code get_page_from_freelist}: zones above {@code gfp_zone} are skipped,
 * lower zones are used in turn, and each keeps {@code lowmem_reserve[highest_zoneidx]} (the
 * {@code protection} of /proc/zoneinfo) from requests that could have used a higher zone.
 */
class ZonelistTest {

    private static final int DMA = ZoneType.DMA.ordinal();
    private static final int DMA32 = ZoneType.DMA32.ordinal();
    private static final int NORMAL = ZoneType.NORMAL.ordinal();

    /** Where an order-0 fill with no reserve rights stops in a zone: min + lowmem_reserve, or never starts. */
    private static long floor(Zone z, int highestZoneIdx, long bootFree) {
        return Math.min(bootFree, z.watermark(Watermark.MIN) + z.lowmemReserve(highestZoneIdx));
    }

    /** Run-length encoding of the zones the pages of a fill came from: "Normal x 123". */
    private static List<String> runs(MachineImpl m, List<Long> pfns) {
        List<String> out = new ArrayList<>();
        String cur = null;
        long n = 0;
        for (long p : pfns) {
            String name = m.zoneOfPfn(p).name();
            if (!name.equals(cur)) {
                if (cur != null) {
                    out.add(cur + " x " + n);
                }
                cur = name;
                n = 0;
            }
            n++;
        }
        if (cur != null) {
            out.add(cur + " x " + n);
        }
        return out;
    }

    @Test
    void gfpDmaGetsOnlyDmaPagesDownToTheMinWatermark() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone dma = m.zone(0, ZoneType.DMA);
        long[][] boot = buddyinfo(b, m);
        List<Long> got = FreeFigures.fill(b, Gfp.GFP_DMA);
        for (long p : got) {
            assertTrue(dma.spans(p), "pfn " + p);
        }
        assertEquals(dma.watermark(Watermark.MIN) + dma.lowmemReserve(DMA), dma.freePages());
        assertEquals(0, dma.lowmemReserve(DMA));
        assertEquals(3840 - dma.watermark(Watermark.MIN), got.size());
        long[][] now = buddyinfo(b, m);
        for (int i = 1; i < boot.length; i++) {
            assertArrayEquals(boot[i], now[i], "zone " + m.zones().get(i));
        }
        assertEquals(List.of(), b.check());
    }

    @Test
    void gfpDma32NeverGetsNormalPagesAndDmaKeepsItsProtection() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone dma = m.zone(0, ZoneType.DMA);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long dma32Floor = floor(dma32, DMA32, 770560);
        long dmaFloor = floor(dma, DMA32, 3840);
        assertEquals(1525, dma32Floor);
        assertEquals(7 + 3010, dmaFloor);

        List<Long> got = FreeFigures.fill(b, Gfp.GFP_DMA32);

        for (long p : got) {
            assertTrue(p < 0x100000, "pfn " + p);
        }
        assertEquals(245504, normal.freePages());
        assertEquals(dma32Floor, dma32.freePages());
        assertEquals(dmaFloor, dma.freePages());
        // low marks first (fast path), then the min marks (slow path), DMA32 before DMA each time
        long lowDma32 = dma32.watermark(Watermark.LOW) + dma32.lowmemReserve(DMA32);
        long lowDma = dma.watermark(Watermark.LOW) + dma.lowmemReserve(DMA32);
        assertEquals(List.of("DMA32 x " + (770560 - lowDma32), "DMA x " + (3840 - lowDma),
                "DMA32 x " + (lowDma32 - dma32Floor), "DMA x " + (lowDma - dmaFloor)), runs(m, got));
        assertEquals(List.of(), b.check());
    }

    /**
     * On the default machine the DMA zone's protection against Normal-capable requests (3969) is
     * larger than the zone: GFP_KERNEL never gets a DMA page.
     */
    @Test
    void gfpKernelFillsNormalThenDma32AndLeavesExactlyMinPlusProtection() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone dma = m.zone(0, ZoneType.DMA);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(0, normal.lowmemReserve(NORMAL));
        assertEquals(959, dma32.lowmemReserve(NORMAL));
        assertEquals(3969, dma.lowmemReserve(NORMAL));
        long[][] boot = buddyinfo(b, m);

        List<Long> got = FreeFigures.fill(b, Gfp.GFP_KERNEL);

        assertEquals(normal.watermark(Watermark.MIN), normal.freePages());
        assertEquals(dma32.watermark(Watermark.MIN) + dma32.lowmemReserve(NORMAL), dma32.freePages());
        assertEquals(3840, dma.freePages());
        assertArrayEquals(boot[0], buddyinfo(b, m)[0], "DMA untouched");
        long lowNormal = normal.watermark(Watermark.LOW);
        long lowDma32 = dma32.watermark(Watermark.LOW) + dma32.lowmemReserve(NORMAL);
        assertEquals(List.of("Normal x " + (245504 - lowNormal), "DMA32 x " + (770560 - lowDma32),
                "Normal x " + (lowNormal - normal.freePages()), "DMA32 x " + (lowDma32 - dma32.freePages())), runs(m, got));
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(0, normal.watermarkBoost() + dma32.watermarkBoost() + dma.watermarkBoost());

        // a DMA32 request may still go lower in DMA32 (its protection for DMA32 requests is 0) and into DMA
        long p = b.allocPages(Gfp.GFP_DMA32, 0);
        assertTrue(dma32.spans(p));

        // everything back: boot figures
        b.freePages(p, 0);
        FreeFigures.freeAll(b, got);
        assertArrayEquals(boot, buddyinfo(b, m));
        assertEquals(245504, normal.freePages());
        assertEquals(770560, dma32.freePages());
        assertEquals(List.of(), b.check());
    }

    /**
     * A machine whose DMA protection (3087) is below the zone's size: GFP_KERNEL falls back from
     * Normal to DMA32 to DMA, at the low marks first and then at the min marks. Normal's free
     * memory is 19 order-10 blocks and a 384-page remainder (orders 8 and 7) in one movable
     * pageblock: ALLOC_NOFRAGMENT leaves the remainder alone until every zone fails its low mark;
     * then the retry without it claims that pageblock ({@code try_to_claim_block}), which boosts
     * Normal's watermarks by a pageblock and closes Normal after that one page.
     */
    @Test
    void gfpKernelFallsBackNormalDma32DmaAtLowThenAtMin() {
        MachineImpl m = boot(new MachineConfig(Arch.X86_64, 3200L << 20, 2, 1, 0));
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone dma = m.zone(0, ZoneType.DMA);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(List.of(normal, dma32, dma), m.zonelist(0));
        assertEquals(19, b.nrFree(normal, 10));
        assertEquals(1, b.nrFree(normal, 8));
        assertEquals(1, b.nrFree(normal, 7));
        long normalBoot = normal.freePages();
        long wholeBlocks = 19 * 1024;
        assertEquals(wholeBlocks + 384, normalBoot);
        long[] boot = {dma32.freePages(), dma.freePages()};
        Zone[] lower = {dma32, dma};
        long[] low = new long[2];
        long[] min = new long[2];
        for (int i = 0; i < 2; i++) {
            low[i] = lower[i].watermark(Watermark.LOW) + lower[i].lowmemReserve(NORMAL);
            min[i] = lower[i].watermark(Watermark.MIN) + lower[i].lowmemReserve(NORMAL);
            assertTrue(boot[i] > low[i], lower[i] + " usable by GFP_KERNEL");
        }
        long normalHigh = normal.rawWatermark(Watermark.HIGH);
        assertTrue(384 - 1 <= normal.rawWatermark(Watermark.MIN) + Machine.PAGEBLOCK_NR_PAGES);

        List<Long> got = FreeFigures.fill(b, Gfp.GFP_KERNEL);

        assertEquals(List.of(
                "Normal x " + wholeBlocks, "DMA32 x " + (boot[0] - low[0]), "DMA x " + (boot[1] - low[1]),
                "Normal x 1", "DMA32 x " + (low[0] - min[0]), "DMA x " + (low[1] - min[1])), runs(m, got));
        assertEquals(normalBoot - wholeBlocks - 1, normal.freePages());
        assertEquals(Math.min(Machine.PAGEBLOCK_NR_PAGES, Math.max(Machine.PAGEBLOCK_NR_PAGES, normalHigh * 15000 / 10000)),
                normal.watermarkBoost());
        long fragmenting = got.get((int) (wholeBlocks + boot[0] - low[0] + boot[1] - low[1]));
        assertTrue(normal.spans(fragmenting));
        assertEquals(Fixtures.UNMOVABLE, m.frames().pageblockMigratetype(fragmenting), "the remainder's pageblock was claimed");
        for (int i = 0; i < 2; i++) {
            assertEquals(min[i], lower[i].freePages(), lower[i].toString());
        }
        assertEquals(0, dma32.watermarkBoost() + dma.watermarkBoost());
        assertEquals(List.of(), b.check());
    }

    @Test
    void highuserMovableUsesTheProtectionForTheMovableZoneIndex() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        int movableIdx = ZoneType.MOVABLE.ordinal();
        assertEquals(ZoneType.MOVABLE, Gfp.gfpZone(Gfp.GFP_HIGHUSER_MOVABLE));
        // fill with order-9 blocks first to make it quick, then order 0
        while (true) {
            long p = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9);
            if (p == FrameAllocator.NO_PAGE) {
                break;
            }
        }
        FreeFigures.fill(b, Gfp.GFP_HIGHUSER_MOVABLE);
        assertEquals(normal.watermark(Watermark.MIN) + normal.lowmemReserve(movableIdx), normal.freePages());
        assertEquals(dma32.watermark(Watermark.MIN) + dma32.lowmemReserve(movableIdx), dma32.freePages());
        assertEquals(3840, m.zone(0, ZoneType.DMA).freePages());
        assertEquals(List.of(), b.check());
    }
    /** movablecore=256M: ZONE_MOVABLE on the node's top takes only __GFP_HIGHMEM|__GFP_MOVABLE requests. */
    @Test
    void onlyHighuserMovableRequestsReachZoneMovable() {
        MachineImpl m = boot(new MachineConfig(Arch.X86_64, 4L << 30, 2, 1, 256L << 20));
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone movable = m.zone(0, ZoneType.MOVABLE);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(0x130000, movable.startPfn());
        assertEquals(List.of(movable, normal, m.zone(0, ZoneType.DMA32), m.zone(0, ZoneType.DMA)), m.zonelist(0));
        long movableFree = movable.freePages();

        // kernel requests, movable or not, stop at Normal: fill memory with them in order-10 blocks
        int n = 0;
        for (int gfp : new int[] {Gfp.GFP_KERNEL, Gfp.GFP_KERNEL | Gfp.__GFP_MOVABLE, Gfp.GFP_HIGHUSER}) {
            for (long p = b.allocPages(gfp, 10); p != FrameAllocator.NO_PAGE; p = b.allocPages(gfp, 10)) {
                assertTrue(p < movable.startPfn(), Gfp.format(gfp) + " got " + p);
                n++;
            }
        }
        assertTrue(n > 900, "filled " + n);
        assertEquals(movableFree, movable.freePages());
        // Normal's protection against movable-capable requests is Movable's managed pages / 32
        assertEquals(movable.managedPages() / 32, normal.lowmemReserve(ZoneType.MOVABLE.ordinal()));

        long p = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 0);
        assertTrue(movable.spans(p));
        assertEquals(Fixtures.MOVABLE, m.frames().pageblockMigratetype(p));
        assertEquals(List.of(), b.check());
    }

    /** arm64: RAM from 1 GiB (pfn 0x40000); ZONE_DMA covers the first 4 GiB, there is no DMA32 zone. */
    @Test
    void arm64Dma32RequestsAreServedByTheDmaZone() {
        MachineImpl m = boot(new MachineConfig(Arch.ARM64, 4L << 30, 4, 1, 0));
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone dma = m.zone(0, ZoneType.DMA);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(0x40000, m.frames().startPfn());
        assertEquals(0, m.zone(0, ZoneType.DMA32).managedPages());
        assertEquals(List.of(normal, dma), m.zonelist(0));
        assertEquals(0x100000, b.allocPages(Gfp.GFP_KERNEL, 0));
        long p = b.allocPages(Gfp.GFP_DMA32, 0);
        assertTrue(dma.spans(p), "pfn " + p);
        long q = b.allocPages(Gfp.GFP_DMA, 3);
        assertTrue(dma.spans(q));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> b.freePages(0x3ffff, 0));
        assertEquals("pfn 0x3ffff is not a page frame of this machine (frames are 0x40000 to 0x13ffff, holes excluded)",
                e.getMessage());
        b.freePages(p, 0);
        b.freePages(q, 3);
        assertEquals(List.of(), b.check());
    }
}

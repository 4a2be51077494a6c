package mm.bitmap;

import static mm.bitmap.Fixtures.UNMOVABLE;
import static mm.bitmap.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Consumer;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code check()} turns each kind of tampering into problem lines naming the zone and the pfns. */
class CheckTest {

    private MachineImpl m;
    private BitmapAllocator a;
    private FrameTable ft;
    private Zone normal;

    @BeforeEach
    void setUp() {
        m = boot(MachineConfig.DEFAULT);
        a = new BitmapAllocator(m);
        ft = m.frames();
        normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(List.of(), a.check());
    }

    /** Changes Normal's bitmap behind the allocator's back (its lock held, its counts and cache left alone). */
    private void tamper(Consumer<ZoneBitmap> change) {
        ZoneBitmap zb = a.bitmap(normal);
        synchronized (zb) {
            change.accept(zb);
        }
    }

    private static void flip(ZoneBitmap zb, long pfn) {
        long i = pfn - zb.base;
        zb.map[(int) (i >>> 6)] ^= 1L << i;
    }

    private List<String> assertProblems(String... lines) {
        List<String> problems = a.check();
        assertFalse(problems.isEmpty(), "check() found nothing");
        for (String l : lines) {
            assertTrue(problems.contains(l), "no line '" + l + "' in " + problems);
        }
        for (String p : problems) {
            assertFalse(p.contains("\n"), "one line each: " + p);
        }
        return problems;
    }

    @Test
    void aBitSetOnAnAllocatedFrame() {
        long p = a.allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(0x100000, p);
        tamper(zb -> flip(zb, p));
        assertProblems("Node 0, zone Normal: pfn 0x100000 is set in the bitmap but in the allocated order-0 block at 0x100000",
                "Node 0, zone Normal: pageblock at pfn 0x100000 has 512 free frames in the bitmap but counts 511",
                "Node 0, zone Normal: the bitmap holds 245504 free frames but NR_FREE_PAGES is 245503");
        tamper(zb -> {
            flip(zb, p);
            zb.blocks.markDirty(0);
        });
        assertEquals(List.of(), a.check());
    }

    @Test
    void bitsSetInsideAnAllocatedBlockMakeOneLine() {
        long p = a.allocPages(Gfp.GFP_KERNEL, 3);
        tamper(zb -> {
            for (long q = p + 2; q < p + 6; q++) {
                flip(zb, q);
            }
        });
        assertProblems("Node 0, zone Normal: pfns 0x100002-0x100005 are set in the bitmap but in the allocated order-3 block at 0x100000");
    }

    @Test
    void aFreeFrameMissingFromTheBitmap() {
        tamper(zb -> flip(zb, 0x100001));
        assertProblems("Node 0, zone Normal: pfn 0x100001 is free in the frame table but clear in the bitmap",
                "Node 0, zone Normal: the bitmap holds 245503 free frames but NR_FREE_PAGES is 245504");
    }

    @Test
    void bitsOfReservedFramesHolesAndOtherZones() {
        // 0x13ff00.. is reserved at the top of Normal; DMA spans 1..0xfff, its bitmap 0..0xfff
        assertTrue(ft.test(0x13ff00, PageFlags.PG_reserved));
        tamper(zb -> flip(zb, 0x13ff00));
        ZoneBitmap dma = a.bitmap(m.zone(0, ZoneType.DMA));
        synchronized (dma) {
            flip(dma, 0);
        }
        // the PCI hole (3 GiB..4 GiB) lies in DMA32's span and has no frames
        assertFalse(ft.pfnValid(0xc0000));
        ZoneBitmap dma32 = a.bitmap(m.zone(0, ZoneType.DMA32));
        synchronized (dma32) {
            flip(dma32, 0xc0000);
            flip(dma32, 0xc0001);
        }
        assertProblems("Node 0, zone Normal: pfn 0x13ff00 is set in the bitmap but reserved",
                "Node 0, zone DMA: pfn 0x0 is set in the bitmap but outside the zone",
                "Node 0, zone DMA32: pfns 0xc0000-0xc0001 are set in the bitmap but in a hole");
    }

    @Test
    void nrFreePagesTamperedWith() {
        normal.modState(ZoneStat.NR_FREE_PAGES, 1);
        assertProblems("Node 0, zone Normal: the bitmap holds 245504 free frames but NR_FREE_PAGES is 245505",
                "Node 0, zone Normal: 245504 frames are free in the frame table but NR_FREE_PAGES is 245505");
        normal.modState(ZoneStat.NR_FREE_PAGES, -1);
        assertEquals(List.of(), a.check());
    }

    @Test
    void nrFreePagesBlocksTamperedWith() {
        normal.modState(ZoneStat.NR_FREE_PAGES_BLOCKS, -512);
        assertEquals(List.of("Node 0, zone Normal: the bitmap holds 245248 frames in wholly free pageblocks but "
                + "NR_FREE_PAGES_BLOCKS is 244736"), a.check());
    }

    @Test
    void aPageblockCountTamperedWith() {
        tamper(zb -> zb.pageblockFree[3]--);
        assertEquals(List.of("Node 0, zone Normal: pageblock at pfn 0x100600 has 512 free frames in the bitmap but counts 511"),
                a.check());
    }

    @Test
    void pgBuddyOnAFreeFrame() {
        ft.set(0x100010, PageFlags.PG_buddy);
        assertProblems("Node 0, zone Normal: pfn 0x100010 is free but marked PG_buddy, which only a buddy allocator's free lists use");
        ft.clear(0x100010, PageFlags.PG_buddy);
        assertEquals(List.of(), a.check());
    }

    @Test
    void aFreeFrameBelowTheSearchHint() {
        tamper(zb -> zb.hintIdx = 2);
        assertEquals(List.of("Node 0, zone Normal: pfn 0x100000 is free below the search hint (pfn 0x100080)"), a.check());
    }

    /** A pageblock's type changed behind the allocator's back: the cached counts still show it under the old type. */
    @Test
    void staleBlockCounts() {
        assertEquals(239, a.nrFree(normal, 10, Fixtures.MOVABLE));
        ft.setPageblockMigratetype(0x100000, UNMOVABLE);
        assertEquals(List.of("Node 0, zone Normal: free_area[10] counts 0 Unmovable blocks but the bitmap holds 1",
                "Node 0, zone Normal: free_area[10] counts 239 Movable blocks but the bitmap holds 238"), a.check());
        // the next change to that chunk recounts it
        a.freePages(a.allocPages(Gfp.GFP_KERNEL, 0), 0);
        assertEquals(List.of(), a.check());
        assertEquals(1, a.nrFree(normal, 10, UNMOVABLE));
    }

    @Test
    void manyBrokenFramesAreSummedUp() {
        long p = a.allocPages(Gfp.GFP_KERNEL, 10);
        tamper(zb -> {
            for (long q = p; q < p + 1024; q += 2) {
                flip(zb, q);
            }
        });
        List<String> problems = a.check();
        long frameLines = problems.stream().filter(l -> l.contains("set in the bitmap but in the allocated order-10 block")).count();
        assertEquals(BitmapCheck.MAX_LINES, frameLines);
        assertTrue(problems.contains("Node 0, zone Normal: and 494 more frames or pageblocks like the above"), problems.toString());
    }
}

package mm.bitmap;

import static mm.bitmap.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static mm.tck.FreeFigures.pagetypeinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import mm.tck.FreeFigures;

/**
 * Hand-over both ways on one machine while pages are allocated: buddy to bitmap, then bitmap to
 * buddy. Each side frees what the other handed out; the frame table is all they share.
 */
class HandoverTest {

    private static final int[] GFPS = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
        Gfp.GFP_DMA32, Gfp.GFP_DMA, Gfp.GFP_ATOMIC, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_COMP};

    /** Random allocations (and some frees) through {@code a}; returns what is still held, as {pfn, order}. */
    private static List<long[]> churn(FrameAllocator a, Random rnd, int steps) {
        List<long[]> held = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int order = rnd.nextInt(100) < 85 ? rnd.nextInt(4) : rnd.nextInt(FrameAllocator.NR_PAGE_ORDERS);
            long pfn = a.allocPages(GFPS[rnd.nextInt(GFPS.length)], order);
            if (pfn != FrameAllocator.NO_PAGE) {
                held.add(new long[] {pfn, order});
            }
            if (rnd.nextInt(3) == 0 && !held.isEmpty()) {
                long[] h = held.remove(rnd.nextInt(held.size()));
                a.freePages(h[0], (int) h[1]);
            }
        }
        return held;
    }

    private static void freeAll(FrameAllocator a, List<long[]> held) {
        for (long[] h : held) {
            a.freePages(h[0], (int) h[1]);
        }
    }

    /** Per zone and order, the blocks of every migratetype together. */
    private static long[][] perOrder(long[][][] pagetypeinfo) {
        long[][] out = new long[pagetypeinfo.length][];
        for (int z = 0; z < pagetypeinfo.length; z++) {
            out[z] = new long[pagetypeinfo[z].length];
            for (int o = 0; o < pagetypeinfo[z].length; o++) {
                for (long n : pagetypeinfo[z][o]) {
                    out[z][o] += n;
                }
            }
        }
        return out;
    }

    @Test
    void buddyToBitmapAndBackWithPagesAllocated() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator buddy = new BuddyAllocator(m);
        long[][] bootInfo = buddyinfo(buddy, m);
        long[] bootFree = FreeFigures.freePages(m);
        long[] bootBlocks = Fixtures.freePageBlocks(m);
        Random rnd = new Random(31);
        List<long[]> fromBuddy = churn(buddy, rnd, 6000);
        assertTrue(fromBuddy.size() > 2000, "held " + fromBuddy.size());
        assertTrue(buddy.pcpCount(m.zone(0, ZoneType.NORMAL), 0) > 0, "pages wait on per-CPU lists");

        // buddy -> bitmap
        Handover h = buddy.quiesce();
        long[] free = FreeFigures.freePages(m);
        long[] blocks = Fixtures.freePageBlocks(m);
        long[][][] lists = pagetypeinfo(buddy, m);
        FrameAllocator bitmap = new BitmapFactory().create(m);
        bitmap.adopt(h);
        buddy.forwardTo(bitmap);

        assertFalse(buddy.isActive());
        assertEquals(List.of(), bitmap.check());
        assertArrayEquals(free, FreeFigures.freePages(m), "NR_FREE_PAGES recounted to the same figures");
        assertArrayEquals(blocks, Fixtures.freePageBlocks(m));
        assertArrayEquals(lists, pagetypeinfo(bitmap, m), "the bitmap shows the blocks the drained buddy held");

        // a call through the old reference reaches the bitmap: first fit, below what the bitmap hands out next
        long viaOld = buddy.allocPages(Gfp.GFP_KERNEL, 0);
        long next = bitmap.allocPages(Gfp.GFP_KERNEL, 0);
        assertTrue(viaOld < next && m.zoneOfPfn(viaOld) == m.zoneOfPfn(next), viaOld + " then " + next);
        List<long[]> fromBitmap = churn(bitmap, rnd, 6000);
        fromBitmap.add(new long[] {next, 0});
        assertEquals(List.of(), bitmap.check());

        // everything back through the bitmap, including what the buddy handed out
        List<long[]> all = new ArrayList<>(fromBuddy);
        all.addAll(fromBitmap);
        Collections.shuffle(all, rnd);
        freeAll(bitmap, all);
        buddy.freePages(viaOld, 0);
        assertArrayEquals(bootFree, FreeFigures.freePages(m));
        assertArrayEquals(bootBlocks, Fixtures.freePageBlocks(m));
        assertArrayEquals(bootInfo, buddyinfo(bitmap, m));
        assertEquals(List.of(), bitmap.check());

        // bitmap -> buddy, with the bitmap's pages allocated
        List<long[]> held = churn(bitmap, rnd, 6000);
        assertTrue(held.size() > 2000);
        long[][][] bitmapLists = pagetypeinfo(bitmap, m);
        long[] freeNow = FreeFigures.freePages(m);
        Handover back = bitmap.quiesce();
        buddy.adopt(back);
        bitmap.forwardTo(buddy);

        assertTrue(buddy.isActive());
        assertEquals(List.of(), buddy.check());
        assertArrayEquals(freeNow, FreeFigures.freePages(m));
        assertArrayEquals(perOrder(bitmapLists), buddyinfo(buddy, m), "the buddy allocator builds the blocks the bitmap showed");

        // freed through the buddy, half of them through the bitmap's reference
        Collections.shuffle(held, rnd);
        freeAll(buddy, held.subList(0, held.size() / 2));
        freeAll(bitmap, held.subList(held.size() / 2, held.size()));
        buddy.drainAllPages();
        assertArrayEquals(bootInfo, buddyinfo(buddy, m));
        assertArrayEquals(bootFree, FreeFigures.freePages(m));
        assertArrayEquals(bootBlocks, Fixtures.freePageBlocks(m));
        assertEquals(List.of(), buddy.check());
    }

    /**
     * Ten hand-overs in a row, buddy (without per-CPU lists) and bitmap taking turns, with
     * allocations and frees through each between them: every adoption finds the same free counts,
     * check() stays empty, and freeing what all of them handed out restores the boot figures.
     */
    @Test
    void pingPongTenTimesWithAllocationsInBetween() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        FrameAllocator buddy = new BuddyAllocator(m, false);
        FrameAllocator bitmap = new BitmapAllocator(m, false);
        long[][] bootInfo = buddyinfo(buddy, m);
        long[] bootFree = FreeFigures.freePages(m);
        long[] bootBlocks = Fixtures.freePageBlocks(m);
        Random rnd = new Random(77);
        List<long[]> held = new ArrayList<>();
        FrameAllocator active = buddy;
        for (int round = 1; round <= 10; round++) {
            held.addAll(churn(active, rnd, 1500));
            // some of what earlier allocators handed out goes back through this one
            Collections.shuffle(held, rnd);
            freeAll(active, new ArrayList<>(held.subList(0, held.size() / 4)));
            held.subList(0, held.size() / 4).clear();
            assertEquals(List.of(), active.check(), "round " + round + " before the hand-over");

            FrameAllocator next = active == buddy ? bitmap : buddy;
            long[] free = FreeFigures.freePages(m);
            long[] blocks = Fixtures.freePageBlocks(m);
            Handover h = active.quiesce();
            next.adopt(h);
            active.forwardTo(next);
            active = next;

            assertEquals(List.of(), active.check(), "round " + round + " after adopting");
            assertArrayEquals(free, FreeFigures.freePages(m), "round " + round);
            assertArrayEquals(blocks, Fixtures.freePageBlocks(m), "round " + round);
        }
        assertTrue(held.size() > 1000, "held " + held.size());
        assertTrue(active == buddy, "ten hand-overs end where they started");
        freeAll(active, held);
        assertArrayEquals(bootFree, FreeFigures.freePages(m));
        assertArrayEquals(bootBlocks, Fixtures.freePageBlocks(m));
        assertArrayEquals(bootInfo, buddyinfo(active, m));
        assertEquals(List.of(), active.check());
    }

    /** A second bitmap allocator adopting from the first rebuilds the same bitmap, counts and hint from the frame table alone. */
    @Test
    void bitmapToBitmap() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BitmapAllocator first = new BitmapAllocator(m);
        List<long[]> held = churn(first, new Random(5), 8000);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        long[] map;
        short[] counts;
        int hint;
        ZoneBitmap zb = first.bitmap(dma32);
        synchronized (zb) {
            map = zb.map.clone();
            counts = zb.pageblockFree.clone();
            hint = zb.hintIdx;
        }
        long[][][] lists = pagetypeinfo(first, m);
        long[] free = FreeFigures.freePages(m);

        BitmapAllocator second = new BitmapAllocator(m, false);
        second.adopt(first.quiesce());
        first.forwardTo(second);

        ZoneBitmap zb2 = second.bitmap(dma32);
        synchronized (zb2) {
            assertArrayEquals(map, zb2.map);
            assertArrayEquals(counts, zb2.pageblockFree);
            assertTrue(zb2.hintIdx <= hint);
        }
        assertArrayEquals(lists, pagetypeinfo(second, m));
        assertArrayEquals(free, FreeFigures.freePages(m));
        freeAll(first, held);
        assertEquals(List.of(), second.check());
    }
}

package mm.buddy;

import static mm.buddy.Fixtures.SMALL;
import static mm.buddy.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/**
 * The per-CPU page lists ({@code rmqueue_pcplist}, {@code free_frozen_page_commit},
 * {@code nr_pcp_alloc}, {@code nr_pcp_high}, {@code nr_pcp_free}, {@code free_pcppages_bulk},
 * {@code drain_pages_zone}) with the kernel's numbers.
 */
class PerCpuListsTest {

    /** GFP_DMA32 keeps a SMALL machine's allocations in one zone whatever the fallbacks. */
    private static final int GFP = Gfp.GFP_DMA32;

    private static long freeWithPcp(MachineImpl m, BuddyAllocator b) {
        long sum = 0;
        for (Zone z : m.zones()) {
            sum += z.freePages();
            for (int cpu = 0; cpu < m.cpuCount(); cpu++) {
                sum += b.pcpCount(z, cpu);
            }
        }
        return sum;
    }

    @Test
    void anUnusedListTakesOnePageAndTheFirstFreeRaisesHighToHighMin() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        long free = dma32.freePages();
        assertEquals(0, b.pcpHigh(dma32, 0), "a pageset starts with high 0 (BOOT_PAGESET_HIGH)");

        long p = b.allocPages(GFP, 0);
        assertEquals(free - 1, dma32.freePages(), "high < batch: nr_pcp_alloc takes a single page");
        assertEquals(0, b.pcpCount(dma32, 0));

        b.freePages(p, 0);
        assertEquals(dma32.pagesetHighMin(), b.pcpHigh(dma32, 0), "nr_pcp_high clamps high into [high_min, high_max]");
        assertEquals(1, b.pcpCount(dma32, 0), "the page waits on the list");
        assertEquals(free - 1, dma32.freePages(), "pages on per-CPU lists are not in NR_FREE_PAGES");
        assertTrue(m.frames().test(p, PageFlags.PG_pcp));
        assertEquals(0, m.frames().refcount(p));

        assertEquals(p, b.allocPages(GFP, 0), "the hot page comes back first");
        assertEquals(0, b.pcpCount(dma32, 0));
        assertTrue(b.check().isEmpty(), b.check().toString());
    }

    @Test
    void aRefillTakesABatchScaledByTheAllocFactor() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        b.freePages(b.allocPages(GFP, 0), 0);
        b.allocPages(GFP, 0);
        // the list is empty again, high = high_min: nr_pcp_alloc asks for batch << alloc_factor (0),
        // at most high - count - batch, and high grows by the batch while the zone is above its high mark
        int batch = dma32.pagesetBatch();
        int highMin = dma32.pagesetHighMin();
        long free = dma32.freePages();
        b.allocPages(GFP, 0);
        int expected = Math.min(batch, Math.max(Math.min(highMin + batch, dma32.pagesetHighMax()) - batch, batch));
        assertEquals(free - expected, dma32.freePages());
        assertEquals(expected - 1, b.pcpCount(dma32, 0));
        assertEquals(Math.min(highMin + batch, dma32.pagesetHighMax()), b.pcpHigh(dma32, 0));
        // the next refill doubles (alloc_factor 1)
        for (int i = 0; i < expected - 1; i++) {
            b.allocPages(GFP, 0);
        }
        assertEquals(0, b.pcpCount(dma32, 0));
        free = dma32.freePages();
        b.allocPages(GFP, 0);
        assertEquals(free - 2L * batch, dma32.freePages());
        assertTrue(b.check().isEmpty(), b.check().toString());
    }

    @Test
    void freesAboveHighGoBackToTheZoneInBatches() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 3 * dma32.pagesetHighMax(); i++) {
            pages.add(b.allocPages(GFP, 0));
        }
        int maxCount = 0;
        for (long p : pages) {
            b.freePages(p, 0);
            maxCount = Math.max(maxCount, b.pcpCount(dma32, 0));
            assertTrue(b.pcpCount(dma32, 0) < Math.max(b.pcpHigh(dma32, 0), dma32.pagesetHighMin()) + 1,
                    "count stays below high");
        }
        assertTrue(maxCount >= dma32.pagesetHighMin() - dma32.pagesetBatch(), "the list filled up to about high: " + maxCount);
        assertTrue(b.pcpHigh(dma32, 0) <= dma32.pagesetHighMax());
        assertTrue(b.check().isEmpty(), b.check().toString());
    }

    @Test
    void drainingGivesEveryPageBackAndMergesToTheBootLists() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        long[][] bootLists = buddyinfo(b, m);
        long bootFree = m.zoneState(ZoneStat.NR_FREE_PAGES);
        List<long[]> held = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 3000; i++) {
            int order = r.nextInt(4);
            int cpu = r.nextInt(2);
            long p = m.runOn(cpu, () -> b.allocPages(r.nextBoolean() ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE, order));
            assertNotEquals(FrameAllocator.NO_PAGE, p);
            held.add(new long[] {p, order, cpu});
        }
        for (long[] h : held) {
            m.runOn((int) h[2], () -> {
                b.freePages(h[0], (int) h[1]);
                return null;
            });
        }
        assertEquals(bootFree, freeWithPcp(m, b), "every page is free, some on per-CPU lists");
        assertTrue(b.check().isEmpty(), b.check().toString());
        b.drainAllPages();
        for (Zone z : m.zones()) {
            for (int cpu = 0; cpu < 2; cpu++) {
                assertEquals(0, b.pcpCount(z, cpu));
            }
        }
        assertEquals(bootFree, m.zoneState(ZoneStat.NR_FREE_PAGES));
        long[][] after = buddyinfo(b, m);
        for (int z = 0; z < after.length; z++) {
            assertArrayEquals(bootLists[z], after[z], "zone " + m.zones().get(z) + " merged back to its boot lists");
        }
        assertTrue(b.check().isEmpty(), b.check().toString());
    }

    @Test
    void eachCpuHasItsOwnLists() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        long p = m.runOn(0, () -> b.allocPages(GFP, 0));
        m.runOn(0, () -> {
            b.freePages(p, 0);
            return null;
        });
        assertEquals(1, b.pcpCount(dma32, 0));
        assertEquals(0, b.pcpCount(dma32, 1));
        long q = m.runOn(1, () -> b.allocPages(GFP, 0));
        assertNotEquals(p, q, "CPU 1 does not see CPU 0's list");
        assertEquals(1, b.pcpCount(dma32, 0));
    }

    @Test
    void ordersUpToCostlyAndThpUseTheListsOthersDoNot() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        for (int order : new int[] {1, 3, 9}) {
            long p = b.allocPages(GFP, order);
            b.freePages(p, order);
            assertTrue(m.frames().test(p, PageFlags.PG_pcp), "order " + order + " waits on a per-CPU list");
        }
        int countBefore = b.pcpCount(dma32, 0);
        long p = b.allocPages(GFP, 4);
        b.freePages(p, 4);
        assertFalse(m.frames().test(p, PageFlags.PG_pcp), "order 4 goes straight back to the buddy lists");
        assertTrue(m.frames().test(p, PageFlags.PG_buddy));
        assertEquals(countBefore, b.pcpCount(dma32, 0));
        // refills of order > 0 take max(batch >> order, 2) blocks: the lists hold more than was freed
        assertTrue(countBefore > 2 + 8 + 512, "count " + countBefore);
        assertTrue(b.check().isEmpty(), b.check().toString());
    }

    @Test
    void aPageOfAnIsolatedPageblockBypassesTheLists() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        FrameTable ft = m.frames();
        long p = b.allocPages(GFP, 0);
        ft.setPageblockMigratetype(p, MigrateType.ISOLATE.ordinal());
        b.freePages(p, 0);
        assertFalse(ft.test(p, PageFlags.PG_pcp));
        assertTrue(ft.test(p, PageFlags.PG_buddy));
    }

    @Test
    void aDoubleFreeOfAPageOnAListIsRefused() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        long p = b.allocPages(GFP, 0);
        b.freePages(p, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.freePages(p, 0));
        assertEquals(String.format("pfn 0x%x is not allocated: it is free (never allocated, or already freed), on a per-CPU list",
                p), e.getMessage());
        assertTrue(b.check().isEmpty(), b.check().toString());
    }

    @Test
    void highShrinksWhenTheZoneFallsBelowItsHighWatermark() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        // warm the list up: high = high_min
        b.freePages(b.allocPages(GFP, 0), 0);
        assertEquals(dma32.pagesetHighMin(), b.pcpHigh(dma32, 0));
        // eat DMA32 down below its high watermark (the allocator then marks it ZONE_BELOW_HIGH)
        List<Long> held = new ArrayList<>();
        while (dma32.freePages() > dma32.watermark(mm.api.machine.Watermark.HIGH) - 1) {
            held.add(b.allocPages(Gfp.GFP_DMA32 | Gfp.__GFP_HIGH, 3));
        }
        held.add(b.allocPages(GFP, 0));
        assertTrue(b.flags().test(dma32, mm.core.page.ZoneFlags.ZONE_BELOW_HIGH));
        long page = held.remove(held.size() - 1);
        int highBefore = b.pcpHigh(dma32, 0);
        assertTrue(highBefore > dma32.pagesetHighMin(), "refills above the high mark grew high: " + highBefore);
        b.freePages(page, 0);
        assertTrue(b.pcpHigh(dma32, 0) < highBefore, "below the high mark, a free shrinks high");
        assertTrue(b.pcpHigh(dma32, 0) >= dma32.pagesetHighMin());
        assertTrue(b.check().isEmpty(), b.check().toString());
    }

    @Test
    void checkFindsAListThatDisagreesWithTheFrameTable() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        long p = b.allocPages(GFP, 0);
        b.freePages(p, 0);
        PerCpuPages pcp = bPcp(b, dma32, 0);
        pcp.count++;
        List<String> problems = b.check();
        assertTrue(problems.stream().anyMatch(s -> s.contains("cpu 0 per-CPU lists hold 1 pages but count 2")), problems.toString());
        pcp.count--;
        m.frames().clear(p, PageFlags.PG_pcp);
        problems = b.check();
        assertTrue(problems.stream().anyMatch(s -> s.contains("which is not a free order-0 block")), problems.toString());
    }

    private static PerCpuPages bPcp(BuddyAllocator b, Zone z, int cpu) {
        AtomicReference<PerCpuPages> ref = new AtomicReference<>();
        try {
            java.lang.reflect.Field f = BuddyAllocator.class.getDeclaredField("pcpLists");
            f.setAccessible(true);
            ref.set(((PerCpuLists) f.get(b)).pcp(z.nid() * ZoneType.MAX_NR_ZONES + z.type().ordinal(), cpu));
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return ref.get();
    }

    @Test
    void twoCpusAtOnceLoseNoFrame() throws Exception {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        long bootFree = m.zoneState(ZoneStat.NR_FREE_PAGES);
        Thread[] threads = new Thread[2];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < 2; t++) {
            final int cpu = t;
            threads[t] = new Thread(() -> m.runOn(cpu, () -> {
                Random r = new Random(cpu);
                List<long[]> held = new ArrayList<>();
                try {
                    for (int i = 0; i < 20_000; i++) {
                        if (held.isEmpty() || r.nextInt(3) > 0) {
                            int order = r.nextInt(4);
                            long p = b.allocPages(r.nextBoolean() ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE, order);
                            if (p != FrameAllocator.NO_PAGE) {
                                held.add(new long[] {p, order});
                            }
                        } else {
                            long[] h = held.remove(r.nextInt(held.size()));
                            b.freePages(h[0], (int) h[1]);
                        }
                    }
                    for (long[] h : held) {
                        b.freePages(h[0], (int) h[1]);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
                return null;
            }));
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(null, failure.get());
        assertEquals(bootFree, freeWithPcp(m, b));
        b.drainAllPages();
        assertEquals(bootFree, m.zoneState(ZoneStat.NR_FREE_PAGES));
        assertTrue(b.check().isEmpty(), b.check().toString());
    }
}

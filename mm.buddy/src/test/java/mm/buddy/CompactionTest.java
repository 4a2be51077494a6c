package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.FrameTable;
import mm.api.machine.MachineConfig;
import mm.api.machine.MovableOps;
import mm.api.machine.Owners;
import mm.api.machine.PageFlags;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import mm.tck.Fragmentation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Compaction (mm/compaction.c) on the buddy allocator: a zone filled with movable pages, every
 * other one freed, has no free block above order 0; compaction moves the pages of its lower part
 * into the holes of its upper part, with their owner, count and content token, and the freed lower
 * part merges back into pageblock-sized blocks. A 1 GiB machine without per-CPU lists.
 */
class CompactionTest {

    private static final MachineConfig GIB = new MachineConfig(Arch.X86_64, 1L << 30, 2, 1, 0);
    private static final int PID = 4242;

    private MachineImpl m;
    private BuddyAllocator b;
    private FrameTable ft;
    private Zone dma32;
    private Owner owner;
    private AutoCloseable registration;

    /** A process's pages as its rmap would know them: pfn to order. */
    static final class Owner implements MovableOps {
        final Map<Long, Integer> held = new HashMap<>();
        boolean refuse;
        int putbacks;

        @Override
        public boolean isolatePage(long pfn, int order) {
            return !refuse && Integer.valueOf(order).equals(held.get(pfn));
        }

        @Override
        public void migratePage(long src, long dst, int order) {
            assertEquals(order, held.remove(src));
            held.put(dst, order);
        }

        @Override
        public void putbackPage(long pfn, int order) {
            putbacks++;
        }
    }

    @BeforeEach
    void bootAndFragment() throws Exception {
        m = boot(GIB);
        b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        ft = m.frames();
        dma32 = m.zone(0, ZoneType.DMA32);
        owner = new Owner();
        registration = m.registerMovableOps(PID, owner);
    }

    @AfterEach
    void unregister() throws Exception {
        registration.close();
    }

    /** The machine filled with movable pages, every other one freed ({@link Fragmentation}); each kept page gets a token. */
    private void fillAndFreeEveryOther() {
        for (long pfn : Fragmentation.everyOtherPageFree(b, ft, PID)) {
            ft.setContentToken(pfn, token(pfn));
            owner.held.put(pfn, 0);
        }
    }

    /** The token a page got when it was written, remembered by the test. */
    private final Map<Long, Long> tokens = new HashMap<>();

    private long token(long pfn) {
        long t = 0x5eed0000_0000_0000L | pfn;
        tokens.put(pfn, t);
        return t;
    }

    private long freeBlocksFrom(Zone z, int order) {
        long n = 0;
        for (int o = order; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            n += b.nrFree(z, o) << (o - order);
        }
        return n;
    }

    @Test
    void compactMemoryMovesPagesUpAndFreesPageblocksBelow() throws Exception {
        fillAndFreeEveryOther();
        long freeBefore = dma32.state(ZoneStat.NR_FREE_PAGES);
        long pageblocksBefore = freeBlocksFrom(dma32, 9);
        Map<Long, Long> tokenByBlock = new HashMap<>();
        owner.held.keySet().forEach(p -> tokenByBlock.put(p, ft.contentToken(p)));
        int heldBefore = owner.held.size();

        m.tracer().setEnabled("kmem:mm_page_*", true);
        Map<String, Integer> traced = new HashMap<>();
        CompactResult r;
        try (AutoCloseable sink = m.tracer().addSink(t -> traced.merge(t.event(), 1, Integer::sum))) {
            r = b.compactZone(dma32, -1);
        }

        // the kernel's trace of it: each block freed (old places, unused free blocks) prints mm_page_free; nothing is "allocated"
        int freesTraced = traced.getOrDefault("mm_page_free", 0);
        assertTrue(freesTraced >= r.migrated() && freesTraced <= r.isolated(), freesTraced + " frees traced, " + r);
        assertEquals(Map.of("mm_page_free", freesTraced), traced);
        assertEquals(CompactResult.Status.COMPLETE, r.status());
        assertTrue(r.migrated() > 10_000, "migrated " + r.migrated());
        assertEquals(0, r.failed());
        assertTrue(r.migrateScanned() > 0 && r.freeScanned() > 0 && r.isolated() >= 2 * r.migrated(), r.toString());
        assertEquals(freeBefore, dma32.state(ZoneStat.NR_FREE_PAGES), "compaction neither frees nor allocates");
        assertTrue(freeBlocksFrom(dma32, 9) > pageblocksBefore + 20,
                "pageblock-sized free blocks: " + pageblocksBefore + " before, " + freeBlocksFrom(dma32, 9) + " after");
        // every page is where its owner thinks, with the owner, the count and the contents it had
        assertEquals(heldBefore, owner.held.size());
        List<Long> contents = new ArrayList<>(tokenByBlock.values());
        List<Long> now = new ArrayList<>();
        for (long pfn : owner.held.keySet()) {
            assertEquals(PID, ft.owner(pfn));
            assertEquals(1, ft.refcount(pfn));
            now.add(ft.contentToken(pfn));
        }
        contents.sort(null);
        now.sort(null);
        assertEquals(contents, now, "each page's content token moved with it");
        assertEquals(List.of(), b.check());
        assertEquals(0, owner.putbacks);
    }

    @Test
    void everyPageFreedAfterCompactionGivesTheZoneBack() {
        long bootFree = dma32.state(ZoneStat.NR_FREE_PAGES);
        long dmaBootFree = m.zone(0, ZoneType.DMA).state(ZoneStat.NR_FREE_PAGES);
        fillAndFreeEveryOther();
        b.compactZone(dma32, -1);
        for (Map.Entry<Long, Integer> e : owner.held.entrySet()) {
            b.freePages(e.getKey(), e.getValue());
        }
        assertEquals(bootFree, dma32.state(ZoneStat.NR_FREE_PAGES));
        assertEquals(dmaBootFree, m.zone(0, ZoneType.DMA).state(ZoneStat.NR_FREE_PAGES));
        assertEquals(List.of(), b.check());
    }

    @Test
    void pagesWithoutMovableOwnerStayWhereTheyAre() {
        List<Long> kernel = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            long pfn = b.allocPages(Gfp.GFP_KERNEL, 0);
            ft.setOwner(pfn, Owners.KERNEL);
            ft.setContentToken(pfn, i);
            kernel.add(pfn);
        }
        fillAndFreeEveryOther();
        CompactResult r = b.compactZone(dma32, -1);
        assertTrue(r.migrated() > 0);
        for (int i = 0; i < kernel.size(); i++) {
            assertEquals(Owners.KERNEL, ft.owner(kernel.get(i)));
            assertEquals(i, ft.contentToken(kernel.get(i)));
        }
    }

    @Test
    void anOwnerThatRefusesKeepsItsPages() {
        fillAndFreeEveryOther();
        owner.refuse = true;
        Map<Long, Integer> before = new HashMap<>(owner.held);
        CompactResult r = b.compactZone(dma32, -1);
        assertEquals(0, r.migrated());
        assertEquals(CompactResult.Status.COMPLETE, r.status());
        assertEquals(before, owner.held);
    }

    @Test
    void anOrderStopsCompactionOnceABlockOfItIsFree() {
        fillAndFreeEveryOther();
        assertEquals(0, freeBlocksFrom(dma32, 1), "nothing above order 0 is free before");
        CompactResult r = b.compactZone(dma32, 9);
        assertEquals(CompactResult.Status.SUCCESS, r.status());
        assertEquals(1, b.nrFree(dma32, 9) + 2 * b.nrFree(dma32, 10), "one order-9 block, no more");
        CompactResult whole = b.compactZone(dma32, -1);
        assertTrue(whole.migrated() > 10 * r.migrated(), "the whole zone moves far more: " + r + " then " + whole);
    }

    @Test
    void directCompactionLetsACostlyAllocationSucceed() {
        fillAndFreeEveryOther();
        // nothing above order 0 is free below the pageblock-sized blocks: take those first
        List<Long> big = new ArrayList<>();
        for (int o = FrameAllocator.MAX_PAGE_ORDER; o >= 4; o--) {
            while (b.nrFree(dma32, o) > 0 || b.nrFree(m.zone(0, ZoneType.DMA), o) > 0) {
                long pfn = b.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, o);
                if (pfn == FrameAllocator.NO_PAGE) {
                    break;
                }
                big.add(pfn);
            }
        }
        long pfn = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 4);
        assertNotEquals(FrameAllocator.NO_PAGE, pfn, "direct compaction made an order-4 block");
        assertTrue(b.compactionEvents().stall() >= 1);
        assertEquals(1, b.compactionEvents().success());
        assertTrue(b.compactionEvents().migrateSuccess() > 0);
        assertEquals(List.of(), b.check());
    }

    /**
     * Compaction on CPU 0 while CPU 1 allocates and frees movable pages of the same owner and
     * unmovable ones: no page is lost or handed out twice, every token stays with its page, and
     * once everything is freed the zones are back to their boot counts.
     */
    @Test
    void compactionWhileAnotherCpuAllocatesAndFrees() throws Exception {
        b = new BuddyAllocator(m, true);
        long bootFree = dma32.state(ZoneStat.NR_FREE_PAGES) + m.zone(0, ZoneType.DMA).state(ZoneStat.NR_FREE_PAGES);
        ConcurrentOwner co = new ConcurrentOwner();
        registration.close();
        registration = m.registerMovableOps(PID, co);
        for (long pfn : Fragmentation.everyOtherPageFree(b, ft, PID)) {
            co.add(pfn, ft);
        }
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Long> compactions = pool.submit(() -> m.runOn(0, () -> {
                long moved = 0;
                for (int i = 0; i < 8; i++) {
                    moved += b.compactZone(dma32, -1).migrated();
                }
                stop.set(true);
                return moved;
            }));
            Future<Long> churn = pool.submit(() -> m.runOn(1, () -> {
                Random rnd = new Random(42);
                List<Long> unmovable = new ArrayList<>();
                long ops = 0;
                while (!stop.get() || ops < 2000) {
                    if (rnd.nextBoolean()) {
                        long pfn = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 0);
                        if (pfn != FrameAllocator.NO_PAGE) {
                            ft.setOwner(pfn, PID);
                            co.add(pfn, ft);
                        }
                        pfn = b.allocPages(Gfp.GFP_KERNEL, 0);
                        if (pfn != FrameAllocator.NO_PAGE) {
                            unmovable.add(pfn);
                        }
                    } else {
                        Long pfn = co.takeAny(rnd);
                        if (pfn != null) {
                            b.freePages(pfn, 0);
                        }
                        if (!unmovable.isEmpty()) {
                            b.freePages(unmovable.remove(unmovable.size() - 1), 0);
                        }
                    }
                    ops++;
                }
                for (long pfn : unmovable) {
                    b.freePages(pfn, 0);
                }
                return ops;
            }));
            assertTrue(compactions.get() > 0);
            assertTrue(churn.get() >= 2000);
        } finally {
            pool.shutdownNow();
        }
        b.drainAllPages();
        assertEquals(List.of(), b.check());
        co.checkTokens(ft);
        Long pfn;
        while ((pfn = co.takeAny(new Random(1))) != null) {
            b.freePages(pfn, 0);
        }
        b.drainAllPages();
        assertEquals(bootFree, dma32.state(ZoneStat.NR_FREE_PAGES) + m.zone(0, ZoneType.DMA).state(ZoneStat.NR_FREE_PAGES));
        assertEquals(List.of(), b.check());
    }

    /** An owner whose pages another CPU frees while compaction moves them: an isolated page is not freed until it settles. */
    static final class ConcurrentOwner implements MovableOps {
        private final Map<Long, Long> tokenByPfn = new HashMap<>();
        private final Set<Long> isolated = new HashSet<>();
        /** Candidates for {@link #takeAny}: pfns held now or once (stale ones are dropped when met). */
        private final List<Long> pfns = new ArrayList<>();
        private long next = 1;

        synchronized void add(long pfn, FrameTable ft) {
            long token = 0x70000000_00000000L | next++;
            ft.setContentToken(pfn, token);
            tokenByPfn.put(pfn, token);
            pfns.add(pfn);
        }

        /** Takes a page that is not being migrated, or null. */
        synchronized Long takeAny(Random rnd) {
            if (tokenByPfn.isEmpty()) {
                return null;
            }
            for (int tries = 0; tries < 64 && !pfns.isEmpty(); tries++) {
                int i = rnd.nextInt(pfns.size());
                long pfn = pfns.get(i);
                if (!tokenByPfn.containsKey(pfn)) {
                    pfns.set(i, pfns.get(pfns.size() - 1));
                    pfns.remove(pfns.size() - 1);
                } else if (!isolated.contains(pfn)) {
                    tokenByPfn.remove(pfn);
                    return pfn;
                }
            }
            for (Long pfn : tokenByPfn.keySet()) {
                if (!isolated.contains(pfn)) {
                    tokenByPfn.remove(pfn);
                    return pfn;
                }
            }
            return null;
        }

        synchronized void checkTokens(FrameTable ft) {
            assertTrue(isolated.isEmpty());
            for (Map.Entry<Long, Long> e : tokenByPfn.entrySet()) {
                assertEquals(e.getValue(), ft.contentToken(e.getKey()), String.format("token of pfn 0x%x", e.getKey()));
                assertEquals(PID, ft.owner(e.getKey()));
            }
        }

        @Override
        public synchronized boolean isolatePage(long pfn, int order) {
            if (order == 0 && tokenByPfn.containsKey(pfn)) {
                isolated.add(pfn);
                return true;
            }
            return false;
        }

        @Override
        public synchronized void migratePage(long src, long dst, int order) {
            tokenByPfn.put(dst, tokenByPfn.remove(src));
            pfns.add(dst);
            isolated.remove(src);
        }

        @Override
        public synchronized void putbackPage(long pfn, int order) {
            isolated.remove(pfn);
        }
    }

    /** The first pfn of every free block of at least pageblock order in a zone. */
    private List<long[]> freePageblocks(Zone z) {
        List<long[]> out = new ArrayList<>();
        for (long pfn = z.startPfn(); pfn < z.endPfn(); pfn++) {
            if (ft.test(pfn, PageFlags.PG_buddy) && ft.order(pfn) >= 9) {
                out.add(new long[] {pfn, ft.order(pfn)});
                pfn += (1L << ft.order(pfn)) - 1;
            }
        }
        return out;
    }

    /** suitable_migration_target: a pageblock that is a free block already is not filled by compaction. */
    @Test
    void freePageblocksAreNotFilled() {
        fillAndFreeEveryOther();
        // give back a few pageblocks whole, in the middle of the zone
        long[] kept = owner.held.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        long middle = kept[kept.length / 2] & -512L;
        for (long pfn = middle; pfn < middle + 4 * 512; pfn++) {
            if (owner.held.remove(pfn) != null) {
                b.freePages(pfn, 0);
            }
        }
        List<long[]> before = freePageblocks(dma32);
        assertTrue(before.stream().anyMatch(bl -> bl[0] >= middle && bl[0] < middle + 4 * 512), "free pageblocks made");
        CompactResult r = b.compactZone(dma32, -1);
        assertTrue(r.migrated() > 0);
        for (long[] bl : before) {
            for (long pfn = bl[0]; pfn < bl[0] + (1L << bl[1]); pfn++) {
                assertEquals(0, ft.refcount(pfn), String.format("pfn 0x%x of the free order-%d block at 0x%x was filled", pfn, bl[1],
                        bl[0]));
            }
        }
    }

    /** gfp_compaction_allowed: without __GFP_IO no direct compaction, and nothing counted. */
    @Test
    void noDirectCompactionWithoutIo() {
        fillAndFreeEveryOther();
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_NOIO | Gfp.__GFP_NOWARN, 4));
        assertEquals(0, b.compactionEvents().stall());
        assertEquals(0, b.compactionEvents().migrateSuccess());
    }

    /** A direct compaction that every zone skips (too little free memory) counts no stall. */
    @Test
    void skippedEverywhereCountsNoStall() {
        Fragmentation.everyOtherPageFree(b, ft, PID);
        // take the free half again: nothing left to migrate into
        while (b.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC, 0) != FrameAllocator.NO_PAGE) {
            // fill
        }
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 4));
        assertEquals(0, b.compactionEvents().stall());
        assertEquals(0, b.compactionEvents().fail());
    }

    /** Free pages below the min watermark: the free scanner stops, compact_memory ends contended, not complete. */
    @Test
    void freePagesBelowMinEndContended() {
        fillAndFreeEveryOther();
        m.watermarks().writeMinFreeKbytes(900 * 1024);
        assertTrue(dma32.freePages() < dma32.watermark(Watermark.MIN), "free pages now below min");
        CompactResult r = b.compactZone(dma32, -1);
        assertEquals(CompactResult.Status.CONTENDED, r.status());
        assertEquals(0, r.migrated());
        assertEquals(List.of(), b.check());
    }

    @Test
    void anEmptyZoneIsNotSuitable() {
        Zone normal = m.zone(0, ZoneType.NORMAL);
        assertEquals(0, normal.presentPages());
        assertEquals(CompactResult.Status.NOT_SUITABLE_ZONE, b.compactZone(normal, -1).status());
    }

    @Test
    void badOrdersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> b.compactZone(dma32, -2));
        assertThrows(IllegalArgumentException.class, () -> b.compactZone(dma32, 11));
    }

    @Test
    void failedDirectCompactionDefersTheNextAttempts() {
        owner.refuse = true;
        fillAndFreeEveryOther();
        assertEquals(0, b.compactDeferShift(dma32));
        long pfn = b.allocPages(Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 9);
        assertEquals(FrameAllocator.NO_PAGE, pfn);
        assertEquals(1, b.compactDeferShift(dma32), "the sync attempt ran to the end and failed");
        assertEquals(2, b.compactionEvents().stall(), "the async and the sync attempt");
        assertTrue(b.compactionEvents().fail() >= 1);
    }
}

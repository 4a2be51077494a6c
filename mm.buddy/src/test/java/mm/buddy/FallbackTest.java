package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.MOVABLE;
import static mm.buddy.Fixtures.RECLAIMABLE;
import static mm.buddy.Fixtures.SMALL;
import static mm.buddy.Fixtures.UNMOVABLE;
import static mm.buddy.Fixtures.boot;
import static mm.tck.FreeFigures.buddyinfo;
import static mm.buddy.Fixtures.list;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.PageFlags;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Falling back to other migratetypes (6.15+): {@code __rmqueue_claim} takes a whole pageblock
 * for the request's type, {@code __rmqueue_steal} a single block; {@code try_to_claim_block}
 * decides for blocks below pageblock order.
 */
class FallbackTest {

    private static final int DMA_MOVABLE = Gfp.GFP_DMA | Gfp.__GFP_MOVABLE;

    private static long firstFreePfn(Machine m, Zone z) {
        FrameTable ft = m.frames();
        for (long p = z.startPfn(); p < z.endPfn(); p++) {
            if (ft.pfnValid(p) && !ft.test(p, PageFlags.PG_reserved)) {
                return p;
            }
        }
        throw new AssertionError("no free frame in " + z);
    }

    private static long freeBlockPages(BuddyAllocator b, Zone z) {
        long sum = 0;
        for (int o = Machine.PAGEBLOCK_ORDER; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            sum += b.nrFree(z, o) << o;
        }
        return sum;
    }

    @Test
    void theFirstKernelPageClaimsBothPageblocksOfTheFirstOrder10Block() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone normal = m.zone(0, ZoneType.NORMAL);
        long first = firstFreePfn(m, normal);
        assertEquals(0x100000, first);
        // boot: every pageblock of Normal is movable; nothing is on an unmovable list
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            assertEquals(0, b.nrFree(normal, o, UNMOVABLE));
        }
        long[][] boot = buddyinfo(b, m);
        int normalIdx = m.zones().indexOf(normal);

        long pfn = b.allocPages(Gfp.GFP_KERNEL, 0);

        assertEquals(first, pfn);
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x100000));
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x100200));
        assertEquals(MOVABLE, ft.pageblockMigratetype(0x100400));
        for (int o = 0; o < 10; o++) {
            assertEquals(List.of(0x100000L + (1L << o)), list(b, normal, o, UNMOVABLE));
            assertEquals(boot[normalIdx][o] + 1, b.nrFree(normal, o));
        }
        assertEquals(238, b.nrFree(normal, 10, MOVABLE));
        assertEquals(0x100400L, list(b, normal, 10, MOVABLE).get(0));
        assertEquals(245504 - 1, normal.freePages());
        assertEquals(freeBlockPages(b, normal), normal.state(ZoneStat.NR_FREE_PAGES_BLOCKS));
        assertEquals(0, normal.watermarkBoost(), "claiming whole pageblocks does not boost the watermarks");
        // the other zones were not touched
        for (int i = 0; i < boot.length; i++) {
            if (i != normalIdx) {
                assertArrayEquals(boot[i], buddyinfo(b, m)[i]);
            }
        }
        assertEquals(List.of(), b.check());

        // the next kernel pages come from the claimed block, lowest first
        assertEquals(0x100001, b.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(0x100002, b.allocPages(Gfp.GFP_KERNEL, 1));
        assertEquals(0x100004, b.allocPages(Gfp.GFP_KERNEL, 0));
    }

    @Test
    void atEqualOrderUnmovableFallsBackToReclaimableBeforeMovable() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone normal = m.zone(0, ZoneType.NORMAL);
        int reclaimable = Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE;
        long r = b.allocPages(reclaimable, 0);
        assertEquals(0x100000, r);
        assertEquals(RECLAIMABLE, ft.pageblockMigratetype(0x100000));
        b.freePages(r, 0);
        assertEquals(List.of(0x100000L), list(b, normal, 10, RECLAIMABLE));

        // fallbacks[MIGRATE_UNMOVABLE] = {RECLAIMABLE, MOVABLE}: the reclaimable order-10 block wins
        long u = b.allocPages(Gfp.GFP_KERNEL, 0);
        assertEquals(0x100000, u);
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x100000));
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x100200));
        assertEquals(0, b.nrFree(normal, 10, RECLAIMABLE));
        assertEquals(238, b.nrFree(normal, 10, MOVABLE));
        assertEquals(List.of(), b.check());
    }

    /**
     * ALLOC_NOFRAGMENT: while Normal has no free block of pageblock order, a kernel page is taken
     * by claiming a whole pageblock in DMA32 rather than by polluting a movable pageblock of Normal.
     */
    @Test
    void noFragmentPrefersAWholePageblockOfTheNextZone() {
        MachineImpl m = boot(MachineConfig.DEFAULT);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        Zone normal = m.zone(0, ZoneType.NORMAL);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 956; i++) {
            long p = b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 8);
            assertTrue(normal.spans(p), "allocation " + i + " got " + p);
            held.add(p);
        }
        assertEquals(0x13b800L, held.get(955));
        // free the upper quarter of every order-9 pair: order-8 blocks whose buddies stay in use
        for (long p : held) {
            if ((p & 0x100) != 0) {
                b.freePages(p, 8);
            }
        }
        // the only block of pageblock order left in Normal goes to a movable request
        assertEquals(0x13ba00, b.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 9));
        for (int o = Machine.PAGEBLOCK_ORDER; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            assertEquals(0, b.nrFree(normal, o), "order " + o);
        }
        assertTrue(normal.freePages() > 100000, "Normal passes its watermark easily: " + normal.freePages());
        long[][] before = buddyinfo(b, m);
        int normalIdx = m.zones().indexOf(normal);

        long pfn = b.allocPages(Gfp.GFP_KERNEL, 0);

        assertEquals(0x4000, pfn, "DMA32's first order-10 block");
        assertTrue(dma32.spans(pfn));
        assertEquals(UNMOVABLE, m.frames().pageblockMigratetype(0x4000));
        assertEquals(UNMOVABLE, m.frames().pageblockMigratetype(0x4200));
        assertArrayEquals(before[normalIdx], buddyinfo(b, m)[normalIdx], "Normal untouched");
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            assertEquals(0, b.nrFree(normal, o, UNMOVABLE));
        }
        assertEquals(List.of(), b.check());
    }

    /** Takes every movable block of the small machine's DMA zone; leaves the lone unmovable order-8 block. */
    private static void takeDmaMovable(BuddyAllocator b) {
        assertEquals(0x400, b.allocPages(DMA_MOVABLE, 10));
        assertEquals(0x800, b.allocPages(DMA_MOVABLE, 10));
        assertEquals(0xc00, b.allocPages(DMA_MOVABLE, 10));
        assertEquals(0x200, b.allocPages(DMA_MOVABLE, 9));
    }

    @Test
    void aMovableRequestStealsFromAnUnmovableBlockItCannotClaim() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        takeDmaMovable(b);
        assertEquals(256, dma.freePages());
        assertEquals(List.of(0x100L), list(b, dma, 8, UNMOVABLE));
        long high = dma.rawWatermark(Watermark.HIGH);

        long pfn = b.allocPages(DMA_MOVABLE, 0);

        // the unmovable block's pageblock starts at pfn 0, below the zone: it cannot be claimed
        assertEquals(0x100, pfn);
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x100), "stealing leaves the pageblock's type");
        for (int o = 0; o < 8; o++) {
            assertEquals(List.of(0x100L + (1L << o)), list(b, dma, o, UNMOVABLE), "order " + o);
            assertEquals(0, b.nrFree(dma, o, MOVABLE));
        }
        assertEquals(255, dma.freePages());
        // try_to_claim_block boosted the watermarks first: by a pageblock, capped at max(pageblock, high * 150%)
        long maxBoost = Math.max(Machine.PAGEBLOCK_NR_PAGES, high * 15000 / 10000);
        assertEquals(Math.min(Machine.PAGEBLOCK_NR_PAGES, maxBoost), dma.watermarkBoost());
        assertEquals(List.of(), b.check());
    }

    /**
     * The small machine's DMA zone with every movable block taken, the lone unmovable block taken,
     * and pageblock 0x200 handed out page by page: the stage for {@code try_to_claim_block} on a
     * pageblock that lies wholly in the zone.
     */
    private static List<Long> stagePageblock0x200(BuddyAllocator b, Zone dma) {
        assertEquals(0x100, b.allocPages(Gfp.GFP_DMA, 8));
        assertEquals(0x400, b.allocPages(DMA_MOVABLE, 10));
        assertEquals(0x800, b.allocPages(DMA_MOVABLE, 10));
        assertEquals(0xc00, b.allocPages(DMA_MOVABLE, 10));
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < 512; i++) {
            pages.add(b.allocPages(DMA_MOVABLE | Gfp.__GFP_MEMALLOC, 0));
            assertEquals(0x200L + i, pages.get(i));
        }
        assertEquals(0, dma.freePages());
        return pages;
    }

    /**
     * A movable request falling back to an unmovable pageblock with an order-7 free block (128 free
     * pages) claims it iff free + movable (PG_lru) pages reach pageblock_nr_pages / 2 = 256.
     */
    @ParameterizedTest
    @CsvSource({"127, false", "128, true", "300, true"})
    void movableClaimsAnUnmovablePageblockIffFreePlusMovableReachHalf(int lruPages, boolean claimed) {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        List<Long> pages = stagePageblock0x200(b, dma);
        ft.setPageblockMigratetype(0x200, UNMOVABLE);
        for (int i = 0; i < 128; i++) {
            b.freePages(pages.get(i), 0);
        }
        assertEquals(List.of(0x200L), list(b, dma, 7, UNMOVABLE));
        for (int i = 0; i < lruPages; i++) {
            ft.set(0x280 + i, PageFlags.PG_lru);
        }

        long pfn = b.allocPages(DMA_MOVABLE, 0);

        assertEquals(0x200, pfn);
        int expectType = claimed ? MOVABLE : UNMOVABLE;
        assertEquals(expectType, ft.pageblockMigratetype(0x200));
        for (int o = 0; o < 7; o++) {
            assertEquals(List.of(0x200L + (1L << o)), list(b, dma, o, expectType), "order " + o);
        }
        assertEquals(127, dma.freePages());
        assertEquals(512, dma.watermarkBoost(), "the fallback below pageblock order boosted the watermarks");
        assertEquals(List.of(), b.check());
    }

    /**
     * An unmovable request falling back to a movable pageblock counts every page that is neither
     * free nor movable as alike: it claims iff 512 - PG_lru pages reach 256.
     */
    @ParameterizedTest
    @CsvSource({"256, true", "257, false"})
    void unmovableClaimsAMovablePageblockIffAllButItsMovablePagesReachHalf(int lruPages, boolean claimed) {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        List<Long> pages = stagePageblock0x200(b, dma);
        for (int i = 0; i < 128; i++) {
            b.freePages(pages.get(i), 0);
        }
        assertEquals(List.of(0x200L), list(b, dma, 7, MOVABLE));
        for (int i = 0; i < lruPages; i++) {
            ft.set(0x280 + i, PageFlags.PG_lru);
        }

        long pfn = b.allocPages(Gfp.GFP_DMA, 0);

        assertEquals(0x200, pfn);
        int expectType = claimed ? UNMOVABLE : MOVABLE;
        assertEquals(expectType, ft.pageblockMigratetype(0x200));
        for (int o = 0; o < 7; o++) {
            assertEquals(List.of(0x200L + (1L << o)), list(b, dma, o, expectType), "order " + o);
        }
        assertEquals(127, dma.freePages());
        assertEquals(List.of(), b.check());
    }

    /**
     * {@code should_try_claim_block}: a movable request never claims for a block below
     * pageblock_order / 2 = 4, however movable its pageblock is; it steals.
     */
    @Test
    void movableNeverClaimsForABlockBelowOrder4() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        List<Long> pages = stagePageblock0x200(b, dma);
        ft.setPageblockMigratetype(0x200, UNMOVABLE);
        for (int i = 0; i < 8; i++) {
            b.freePages(pages.get(i), 0);
        }
        assertEquals(List.of(0x200L), list(b, dma, 3, UNMOVABLE));
        for (long p = 0x208; p < 0x400; p++) {
            ft.set(p, PageFlags.PG_lru);
        }

        // 8 free pages are below every watermark: __GFP_MEMALLOC lets the request through to rmqueue
        long pfn = b.allocPages(DMA_MOVABLE | Gfp.__GFP_MEMALLOC, 0);

        assertEquals(0x200, pfn);
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x200));
        assertEquals(List.of(0x204L), list(b, dma, 2, UNMOVABLE));
        assertEquals(List.of(0x202L), list(b, dma, 1, UNMOVABLE));
        assertEquals(List.of(0x201L), list(b, dma, 0, UNMOVABLE));
        assertEquals(0, dma.watermarkBoost(), "no claim was tried, so no boost");
        assertEquals(List.of(), b.check());
    }
    /**
     * The high-atomic reserve is never a fallback source: only requests with reserve rights reach
     * it, non-blocking ones when nothing else is left ({@code rmqueue_buddy}); its free pages do not
     * count towards the watermark of requests without such rights.
     */
    @Test
    void theHighatomicReserveServesOnlyRequestsWithReserveRights() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        assertEquals(0x200, b.allocPages(DMA_MOVABLE, 9));
        ft.setPageblockMigratetype(0x200, Fixtures.HIGHATOMIC);
        b.area(dma).nrReservedHighatomic = 512;
        b.freePages(0x200, 9);
        assertEquals(512, b.nrFreeHighatomic(dma));
        // everything else of DMA goes
        assertEquals(0x100, b.allocPages(Gfp.GFP_DMA | Gfp.__GFP_MEMALLOC, 8));
        for (int i = 0; i < 3; i++) {
            assertTrue(b.allocPages(DMA_MOVABLE | Gfp.__GFP_MEMALLOC, 10) != FrameAllocator.NO_PAGE);
        }
        assertEquals(512, dma.freePages());

        // a blocking request has no reserve rights: the 512 high-atomic pages do not count (__GFP_NORETRY: it does
        // not get as far as should_reclaim_retry, which would take the last reserved pageblock back)
        assertEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_DMA | Gfp.__GFP_DIRECT_RECLAIM | Gfp.__GFP_NORETRY, 0));
        assertEquals(FrameAllocator.NO_PAGE,
                b.allocPages(DMA_MOVABLE | Gfp.__GFP_DIRECT_RECLAIM | Gfp.__GFP_MEMALLOC | Gfp.__GFP_NORETRY, 0),
                "ALLOC_NO_WATERMARKS passes the check, but __rmqueue never falls back to MIGRATE_HIGHATOMIC");
        assertEquals(512, dma.freePages());

        // a non-blocking request (ALLOC_NON_BLOCK) may take it once nothing else is left
        long p = b.allocPages(Gfp.GFP_DMA, 0);
        assertEquals(0x200, p);
        assertEquals(511, b.nrFreeHighatomic(dma));
        assertEquals(List.of(0x201L), list(b, dma, 0, Fixtures.HIGHATOMIC));
        assertEquals(Fixtures.HIGHATOMIC, ft.pageblockMigratetype(0x200));
        assertEquals(List.of(), b.check());

        // a blocking request that would fail takes the last reserved pageblock back (unreserve_highatomic_pageblock, force)
        assertEquals(0x201, b.allocPages(Gfp.GFP_DMA | Gfp.__GFP_DIRECT_RECLAIM, 0));
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x200));
        assertEquals(0, b.nrFreeHighatomic(dma));
        assertEquals(0, b.nrReservedHighatomic(dma));
        assertEquals(List.of(), b.check());
    }

    /** A fallback below pageblock order with ALLOC_KSWAPD sets ZONE_BOOSTED_WATERMARK: kswapd is woken after it. */
    @ParameterizedTest
    @CsvSource({"true, 1", "false, 0"})
    void aBoostingFallbackWakesKswapdOnlyForKswapdRequests(boolean kswapd, long wakeups) {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        List<Long> pages = stagePageblock0x200(b, dma);
        ft.setPageblockMigratetype(0x200, UNMOVABLE);
        for (int i = 0; i < 128; i++) {
            b.freePages(pages.get(i), 0);
        }
        int gfp = DMA_MOVABLE | (kswapd ? Gfp.__GFP_KSWAPD_RECLAIM : 0);
        assertEquals(0x200, b.allocPages(gfp, 0));
        assertEquals(512, dma.watermarkBoost());
        assertEquals(wakeups, b.kswapdWakeups(), "the fast path succeeded: only the boost can have woken kswapd");
        // 128 free + 0 movable pages < 256: stolen, not claimed
        assertEquals(UNMOVABLE, ft.pageblockMigratetype(0x200));
    }
    /**
     * {@code should_try_claim_block}: unmovable and reclaimable requests try to claim whatever the
     * size of the block they fall back to (here order 3), so as not to pollute the pageblock.
     */
    @ParameterizedTest
    @CsvSource({"0, 0", "16, 2"})
    void unmovableAndReclaimableClaimEvenForABlockBelowOrder4(int extraGfp, int expectType) {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        FrameTable ft = m.frames();
        Zone dma = m.zone(0, ZoneType.DMA);
        List<Long> pages = stagePageblock0x200(b, dma);
        for (int i = 0; i < 8; i++) {
            b.freePages(pages.get(i), 0);
        }
        assertEquals(List.of(0x200L), list(b, dma, 3, MOVABLE));

        long pfn = b.allocPages(Gfp.GFP_DMA | extraGfp | Gfp.__GFP_MEMALLOC, 0);

        assertEquals(0x200, pfn);
        assertEquals(expectType, ft.pageblockMigratetype(0x200), "8 free + 504 non-movable pages: claimed");
        assertEquals(List.of(0x201L), list(b, dma, 0, expectType));
        assertEquals(List.of(0x204L), list(b, dma, 2, expectType));
        assertEquals(512, dma.watermarkBoost());
        assertEquals(List.of(), b.check());
    }
}

package mm.buddy;

import static mm.buddy.Fixtures.SMALL;
import static mm.buddy.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.api.trace.TraceRecord;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code free_unref_folios} (release_pages): order-0 pages freed in batches of 31, each batch
 * traced as the kernel does — every page's {@code mm_page_free} first, then every page's
 * {@code mm_page_free_batched} —, pages still referenced only dropped, and a batch with a bad page
 * refused whole.
 */
class FreeBatchedTest {

    private MachineImpl m;
    private BuddyAllocator b;

    @BeforeEach
    void bootSmall() {
        m = boot(SMALL);
        b = new BuddyAllocator(m);
    }

    private long[] alloc(int n) {
        long[] pfns = new long[n];
        for (int i = 0; i < n; i++) {
            pfns[i] = b.allocPages(Gfp.GFP_KERNEL, 0);
        }
        return pfns;
    }

    @Test
    void batchesOf31AreTracedAsTheKernelDoes() {
        long[] pfns = alloc(40);
        long free = m.zone(0, ZoneType.DMA32).state(ZoneStat.NR_FREE_PAGES) + b.pcpCount(m.zone(0, ZoneType.DMA32), m.currentCpu());
        m.tracer().setEnabled("mm_page_free*", true);
        b.freePagesBatched(pfns);
        List<TraceRecord> r = m.tracer().records();
        assertEquals(80, r.size());
        for (int i = 0; i < 31; i++) {
            assertEquals("mm_page_free", r.get(i).event(), "line " + i);
            assertEquals("mm_page_free_batched", r.get(31 + i).event(), "line " + (31 + i));
            assertTrue(r.get(31 + i).args().endsWith(String.format("pfn=0x%x order=0", pfns[i])), r.get(31 + i).args());
        }
        assertEquals("mm_page_free", r.get(62).event());
        assertEquals("mm_page_free_batched", r.get(79).event());
        assertEquals(free + 40, m.zone(0, ZoneType.DMA32).state(ZoneStat.NR_FREE_PAGES)
                + b.pcpCount(m.zone(0, ZoneType.DMA32), m.currentCpu()));
        assertEquals(List.of(), b.check());
    }

    @Test
    void aPageStillReferencedIsOnlyDropped() {
        long[] pfns = alloc(3);
        m.frames().setRefcount(pfns[1], 2);
        b.freePagesBatched(pfns);
        assertEquals(1, m.frames().refcount(pfns[1]));
        b.freePages(pfns[1], 0);
        assertEquals(List.of(), b.check());
    }

    @Test
    void aBadPageOrADuplicateRefusesTheWholeBatch() {
        long[] pfns = alloc(3);
        long[] dup = {pfns[0], pfns[1], pfns[0]};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.freePagesBatched(dup));
        assertEquals(String.format("pfn 0x%x is in the batch twice: a double free (accepted: each allocated page once)", pfns[0]),
                e.getMessage());
        long[] bad = {pfns[0], 0x5, pfns[2]};
        e = assertThrows(IllegalArgumentException.class, () -> b.freePagesBatched(bad));
        assertTrue(e.getMessage().endsWith("(in a batch of 3; nothing was freed)"), e.getMessage());
        for (long pfn : pfns) {
            assertEquals(1, m.frames().refcount(pfn), "still allocated");
        }
        b.freePagesBatched(pfns);
        assertEquals(List.of(), b.check());
    }
}

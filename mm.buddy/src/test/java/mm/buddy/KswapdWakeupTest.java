package mm.buddy;

import static mm.buddy.Fixtures.BUDDY_LISTS_ONLY;
import static mm.buddy.Fixtures.SMALL;
import static mm.buddy.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.trace.TraceRecord;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/**
 * {@code wake_all_kswapds} in the slow path: once every zone fails its low watermark, each
 * allocation that may wake kswapd wakes it for its node, traced as the kernel's
 * {@code vmscan:mm_vmscan_wakeup_kswapd}; GFP_NOWAIT (which is __GFP_KSWAPD_RECLAIM) wakes it too,
 * a request without __GFP_KSWAPD_RECLAIM does not.
 */
class KswapdWakeupTest {

    @Test
    void theSlowPathWakesKswapdAndTracesIt() {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m, BUDDY_LISTS_ONLY);
        assertEquals(1, m.tracer().setEnabled("vmscan:mm_vmscan_wakeup_kswapd", true));
        long fast = 0;
        while (b.kswapdWakeups() == 0) {
            long pfn = b.allocPages(Gfp.GFP_KERNEL, 0);
            assertTrue(pfn != FrameAllocator.NO_PAGE, "below low, GFP_KERNEL still succeeds at min");
            fast++;
        }
        assertTrue(fast > 1000);
        List<TraceRecord> records = m.tracer().records();
        assertEquals(1, records.size());
        assertEquals("mm_vmscan_wakeup_kswapd", records.get(0).event());
        assertEquals("nid=0 order=0 gfp_flags=GFP_KERNEL", records.get(0).args());

        b.allocPages((Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC) & ~Gfp.__GFP_KSWAPD_RECLAIM, 3);
        assertEquals(1, b.kswapdWakeups(), "no __GFP_KSWAPD_RECLAIM: kswapd stays asleep");
        b.allocPages(Gfp.GFP_NOWAIT, 2);
        assertEquals(2, b.kswapdWakeups());
        assertEquals("nid=0 order=2 gfp_flags=GFP_NOWAIT", m.tracer().records().get(1).args());
    }
}

package mm.buddy;

import static mm.buddy.Fixtures.SMALL;
import static mm.buddy.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.frame.Gfp;
import mm.api.trace.TraceRecord;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/**
 * {@code mm_page_alloc_zone_locked}'s {@code percpu_refill}: {@code pcp_allowed_order(order) &&
 * migratetype < MIGRATE_PCPTYPES} — orders 0 to 3 and the THP order 9 of the per-CPU types are
 * refills of a CPU's list, other orders come straight from the buddy lists. (Movable requests:
 * at boot every pageblock is movable, so others would fall back instead.)
 */
class ZoneLockedTraceTest {

    private static String zoneLocked(int gfp, int order) {
        MachineImpl m = boot(SMALL);
        BuddyAllocator b = new BuddyAllocator(m);
        assertEquals(1, m.tracer().setEnabled("kmem:mm_page_alloc_zone_locked", true));
        b.allocPages(gfp, order);
        List<TraceRecord> r = m.tracer().records();
        assertTrue(!r.isEmpty(), "an order-" + order + " allocation takes a block from the buddy lists");
        return r.get(0).args();
    }

    @Test
    void perCpuOrdersAreRefills() {
        assertTrue(zoneLocked(Gfp.GFP_HIGHUSER_MOVABLE, 0).endsWith("order=0 migratetype=1 percpu_refill=1"));
        assertTrue(zoneLocked(Gfp.GFP_HIGHUSER_MOVABLE, 3).endsWith("order=3 migratetype=1 percpu_refill=1"));
        assertTrue(zoneLocked(Gfp.GFP_HIGHUSER_MOVABLE, 9).endsWith("order=9 migratetype=1 percpu_refill=1"));
    }

    @Test
    void otherOrdersAreNot() {
        assertTrue(zoneLocked(Gfp.GFP_HIGHUSER_MOVABLE, 4).endsWith("order=4 migratetype=1 percpu_refill=0"));
        assertTrue(zoneLocked(Gfp.GFP_HIGHUSER_MOVABLE, 10).endsWith("order=10 migratetype=1 percpu_refill=0"));
    }
}

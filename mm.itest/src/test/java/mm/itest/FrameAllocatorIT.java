package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.ZoneStat;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.util.Filter;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Allocation and free through the FrameAllocator OSGi service: every frame comes back. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FrameAllocatorIT {

    @Inject
    @Filter("(mm.active=true)")
    FrameAllocator frames;

    @Inject
    Machine machine;

    @Configuration
    public Option[] config() {
        return ItOptions.platform("2G", 4, 2);
    }

    /** Free pages, those waiting on per-CPU lists included. */
    private long freeWithPcp() {
        long pcp = 0;
        for (mm.api.machine.Zone z : machine.zones()) {
            for (int cpu = 0; cpu < machine.cpuCount(); cpu++) {
                pcp += frames.pcpCount(z, cpu);
            }
        }
        return machine.zoneState(ZoneStat.NR_FREE_PAGES) + pcp;
    }

    @Test
    public void allocationsThroughTheServiceAreAllReturned() {
        frames.drainAllPages();
        long freeAtStart = machine.zoneState(ZoneStat.NR_FREE_PAGES);
        long[] nrFreeAtStart = nrFreePerOrder();
        List<long[]> held = new ArrayList<>();
        int[] gfps = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_DMA32, Gfp.GFP_ATOMIC | Gfp.__GFP_ZERO};
        long pages = 0;
        for (int i = 0; i < 2000; i++) {
            int order = i % 5;
            long pfn = frames.allocPagesNode(i % 2, gfps[i % gfps.length], order);
            assertNotEquals("allocation " + i + " failed", FrameAllocator.NO_PAGE, pfn);
            held.add(new long[] {pfn, order});
            pages += 1L << order;
        }
        assertEquals(freeAtStart - pages, freeWithPcp());
        assertTrue(frames.check().toString(), frames.check().isEmpty());
        for (long[] h : held) {
            frames.freePages(h[0], (int) h[1]);
        }
        assertEquals(freeAtStart, freeWithPcp());
        frames.drainAllPages();
        assertEquals(freeAtStart, machine.zoneState(ZoneStat.NR_FREE_PAGES));
        assertEquals("the buddy lists merged back to their boot shape", java.util.Arrays.toString(nrFreeAtStart),
                java.util.Arrays.toString(nrFreePerOrder()));
        assertTrue(frames.check().toString(), frames.check().isEmpty());
    }

    @Test
    public void aBadFreeThroughTheServiceIsRefusedAndChangesNothing() {
        long pfn = frames.allocPages(Gfp.GFP_KERNEL, 2);
        long free = freeWithPcp();
        try {
            frames.freePages(pfn, 3);
            fail("freeing with the wrong order must be refused");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("was allocated with order 2"));
        }
        assertEquals(free, freeWithPcp());
        frames.freePages(pfn, 2);
        try {
            frames.freePages(pfn, 2);
            fail("a double free must be refused");
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("is not allocated"));
        }
        assertTrue(frames.check().toString(), frames.check().isEmpty());
    }

    private long[] nrFreePerOrder() {
        long[] out = new long[machine.zones().size() * FrameAllocator.NR_PAGE_ORDERS];
        int i = 0;
        for (mm.api.machine.Zone z : machine.zones()) {
            for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
                out[i++] = frames.nrFree(z, o);
            }
        }
        return out;
    }
}

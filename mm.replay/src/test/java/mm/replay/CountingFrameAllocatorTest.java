package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyFactory;
import mm.hw.machine.MachineFactoryImpl;
import org.junit.jupiter.api.Test;

/** The counting allocator under the object caches: every way pages come and go keeps its count. */
class CountingFrameAllocatorTest {

    @Test
    void batchedFreesAreCountedAndCompactionIsForwarded() {
        Machine m = new MachineFactoryImpl().boot(FallbackReplayTest.SHAPE);
        FrameAllocator fa = new BuddyFactory().create(m);
        fa.adopt(Handover.BOOT);
        CountingFrameAllocator c = new CountingFrameAllocator(fa);
        long[] pfns = new long[3];
        for (int i = 0; i < pfns.length; i++) {
            pfns[i] = c.allocPages(Gfp.GFP_KERNEL, 0);
        }
        long block = c.allocPages(Gfp.GFP_KERNEL, 2);
        assertEquals(7, c.held);
        c.freePagesBatched(pfns);
        assertEquals(4, c.held);
        c.freePages(block, 2);
        assertEquals(0, c.held);
        Zone z = m.zonelist(0).get(0);
        CompactResult r = c.compactZone(z, -1);
        assertEquals(z, r.zone());
    }
}

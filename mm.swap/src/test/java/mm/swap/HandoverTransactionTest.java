package mm.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.machine.ZoneStat;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Switchboard;
import mm.bitmap.BitmapFactory;
import mm.buddy.BuddyFactory;
import mm.hw.machine.MachineImpl;
import mm.core.page.ForwardingFrameAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hand-over transaction on real allocators: a swap keeps every allocation; a new
 * implementation that throws, breaks an invariant or blocks leaves the old one active, and the
 * message says which step failed.
 */
class HandoverTransactionTest {

    private final Timed timed = new Timed();
    private final HandoverTransaction tx = new HandoverTransaction(timed, 1_000, 1_000, 1_000);
    private MachineImpl m;
    private FrameAllocator buddy;
    private Tracked buddyT;
    private long bootFree;

    @BeforeEach
    void boot() {
        m = MachineImpl.boot(new MachineConfig(mm.api.machine.Arch.X86_64, 512L << 20, 2, 1, 0));
        buddy = new BuddyFactory().create(m);
        buddy.adopt(Handover.BOOT);
        buddyT = tracked("buddy", buddy);
        buddy.drainAllPages();
        bootFree = m.zoneState(ZoneStat.NR_FREE_PAGES);
    }

    @AfterEach
    void close() {
        timed.close();
    }

    private static Tracked tracked(String name, FrameAllocator fa) {
        return new Tracked(FrameAllocator.CONTRACT, name, null, fa);
    }

    @Test
    void aSwapKeepsEveryAllocationAndForwardsTheOldReference() throws Exception {
        List<long[]> held = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            held.add(new long[] {buddy.allocPages(Gfp.GFP_KERNEL, i % 4), i % 4});
        }
        FrameAllocator bitmap = new BitmapFactory().create(m);
        long adoptNanos = 20_000_000;
        // the pause callers see runs from the quiesce to the forwarding: a slow adopt is inside it
        FrameAllocator slowAdopt = new ForwardingFrameAllocator(bitmap) {
            @Override
            public void adopt(Handover from) {
                try {
                    Thread.sleep(adoptNanos / 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                super.adopt(from);
            }
        };
        long before = System.nanoTime();
        Switchboard.Swap s = tx.run(buddyT, tracked("bitmap", slowAdopt));
        long around = System.nanoTime() - before;
        assertEquals("buddy", s.from());
        assertEquals("bitmap", s.to());
        assertTrue(s.pauseNanos() >= adoptNanos && s.pauseNanos() <= around, s.pauseNanos() + " ns of " + around);
        assertEquals(List.of(), bitmap.check());
        for (long[] b : held) {
            buddy.freePages(b[0], (int) b[1]); // through the old reference: forwarded
        }
        assertEquals(bootFree, m.zoneState(ZoneStat.NR_FREE_PAGES));
        assertEquals(List.of(), bitmap.check());
    }

    @Test
    void aNewImplementationWhoseAdoptThrowsLeavesTheOldOneActive() {
        long p = buddy.allocPages(Gfp.GFP_KERNEL, 2);
        FrameAllocator throwing = new ForwardingFrameAllocator(new BitmapFactory().create(m)) {
            @Override
            public void adopt(Handover from) {
                throw new IllegalStateException("no");
            }
        };
        HandoverTransaction.Failed f = assertThrows(HandoverTransaction.Failed.class, () -> tx.run(buddyT, tracked("bad", throwing)));
        assertEquals("bad.adopt threw IllegalStateException: no; buddy is active again", f.getMessage());
        assertTrue(f.rolledBack);
        assertTrue(f.newOneFailed);
        buddy.freePages(p, 2); // the old one answers again
        buddy.drainAllPages();
        assertEquals(bootFree, m.zoneState(ZoneStat.NR_FREE_PAGES));
        assertEquals(List.of(), buddy.check());
    }

    @Test
    void aBrokenInvariantAfterAdoptionRollsBack() {
        FrameAllocator lying = new ForwardingFrameAllocator(new BitmapFactory().create(m)) {
            @Override
            public List<String> check() {
                return List.of("zone Normal: invented problem", "another");
            }
        };
        HandoverTransaction.Failed f = assertThrows(HandoverTransaction.Failed.class, () -> tx.run(buddyT, tracked("liar", lying)));
        assertEquals("liar broke an invariant after adopting the machine: zone Normal: invented problem (and 1 more); "
                + "buddy is active again", f.getMessage());
        assertEquals(List.of(), buddy.check());
    }

    @Test
    void aNewImplementationThatBlocksIsGivenUpOnAtItsTimeLimit() {
        FrameAllocator stuck = new ForwardingFrameAllocator(new BitmapFactory().create(m)) {
            @Override
            public void adopt(Handover from) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        HandoverTransaction.Failed f = assertThrows(HandoverTransaction.Failed.class, () -> tx.run(buddyT, tracked("stuck", stuck)));
        assertEquals("stuck.adopt did not return within 1000 ms; buddy is active again", f.getMessage());
        assertTrue(f.rolledBack);
        assertFalse(buddy.allocPages(Gfp.GFP_KERNEL, 0) == FrameAllocator.NO_PAGE);
    }

    @Test
    void anOldImplementationThatCannotQuiesceStaysActive() {
        FrameAllocator old = new ForwardingFrameAllocator(buddy) {
            @Override
            public Handover quiesce() {
                throw new UnsupportedOperationException("not today");
            }
        };
        HandoverTransaction.Failed f = assertThrows(HandoverTransaction.Failed.class,
                () -> tx.run(tracked("old", old), tracked("bitmap", new BitmapFactory().create(m))));
        assertEquals("old.quiesce threw UnsupportedOperationException: not today; old is still active", f.getMessage());
        assertFalse(f.newOneFailed);
    }
}

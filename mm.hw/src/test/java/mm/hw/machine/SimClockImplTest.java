package mm.hw.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.SimClock;
import org.junit.jupiter.api.Test;

/** The simulated clock: deterministic timer order, cancellation, and what it refuses. */
class SimClockImplTest {

    private final SimClockImpl clock = new SimClockImpl();
    private final List<String> fired = new ArrayList<>();

    private SimClock.Cancellable at(long delay, String name) {
        return clock.schedule(delay, () -> fired.add(name + "@" + clock.nanos()));
    }

    @Test
    void startsAtZero() {
        assertEquals(0, clock.nanos());
        assertEquals(0, clock.jiffies());
    }

    @Test
    void timersFireInTimeOrderThenInSchedulingOrder() {
        at(30, "c");
        at(10, "a1");
        at(20, "b");
        at(10, "a2");
        at(10, "a3");
        clock.advance(100);
        assertEquals(List.of("a1@10", "a2@10", "a3@10", "b@20", "c@30"), fired, "each callback sees its own due time");
        assertEquals(100, clock.nanos());
    }

    @Test
    void onlyDueTimersFire() {
        at(50, "early");
        at(150, "late");
        clock.advance(100);
        assertEquals(List.of("early@50"), fired);
        clock.advance(49);
        assertEquals(List.of("early@50"), fired);
        clock.advance(1);
        assertEquals(List.of("early@50", "late@150"), fired, "a timer due exactly at the target fires");
        assertEquals(150, clock.nanos());
    }

    @Test
    void timersScheduledByCallbacksFireInTheSameAdvanceIfDue() {
        clock.schedule(10, () -> {
            fired.add("outer@" + clock.nanos());
            at(5, "inner");
            at(0, "now");
            at(500, "next");
        });
        at(15, "peer");
        clock.advance(100);
        // inner (due 15) was scheduled after peer (due 15), so it runs after it
        assertEquals(List.of("outer@10", "now@10", "peer@15", "inner@15"), fired);
        clock.advance(1000);
        assertEquals("next@510", fired.get(fired.size() - 1));
    }

    @Test
    void cancelStopsAPendingTimerOnce() {
        SimClock.Cancellable a = at(10, "a");
        SimClock.Cancellable b = at(20, "b");
        assertTrue(a.cancel(), "pending: cancelled");
        assertFalse(a.cancel(), "already cancelled");
        clock.advance(100);
        assertEquals(List.of("b@20"), fired);
        assertFalse(b.cancel(), "already fired");
    }

    @Test
    void aCallbackCanCancelALaterTimer() {
        SimClock.Cancellable[] later = new SimClock.Cancellable[1];
        clock.schedule(10, () -> fired.add("first:" + later[0].cancel()));
        later[0] = at(20, "later");
        clock.advance(100);
        assertEquals(List.of("first:true"), fired);
    }

    @Test
    void negativeAdvanceIsRejected() {
        clock.advance(7);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.advance(-1));
        assertTrue(e.getMessage().contains("cannot move the clock back"), e.getMessage());
        assertEquals(7, clock.nanos(), "the clock did not move");
    }

    @Test
    void timersInThePastAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> clock.schedule(-1, () -> { }));
        assertTrue(e.getMessage().contains("past"), e.getMessage());
    }

    @Test
    void zeroAdvanceRunsTimersDueNow() {
        at(0, "zero");
        clock.advance(0);
        assertEquals(List.of("zero@0"), fired);
    }

    @Test
    void jiffiesCountTicksOfTheHz() {
        long tick = 1_000_000_000L / SimClock.HZ;
        clock.advance(tick - 1);
        assertEquals(0, clock.jiffies());
        clock.advance(1);
        assertEquals(1, clock.jiffies());
        clock.advance(1_000_000_000L);
        assertEquals(SimClock.HZ + 1, clock.jiffies());
    }
}

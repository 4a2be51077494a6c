package mm.hw.machine;

import java.util.PriorityQueue;
import mm.api.machine.SimClock;

/**
 * The simulated clock: a nanosecond counter and a queue of callbacks ordered by due time and, for
 * equal times, by the order they were scheduled, so that runs are deterministic.
 */
public final class SimClockImpl implements SimClock {

    private long now;
    private long seq;
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();

    private final class Timer implements Comparable<Timer>, Cancellable {
        final long due;
        final long order;
        final Runnable callback;
        boolean cancelled;

        Timer(long due, long order, Runnable callback) {
            this.due = due;
            this.order = order;
            this.callback = callback;
        }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }

        @Override
        public boolean cancel() {
            synchronized (SimClockImpl.this) {
                boolean pending = !cancelled && timers.remove(this);
                cancelled = true;
                return pending;
            }
        }
    }

    /** Timers scheduled that have neither run nor been cancelled. */
    public synchronized int pendingTimers() {
        return timers.size();
    }

    @Override
    public synchronized long nanos() {
        return now;
    }

    @Override
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("cannot move the clock back by " + (-nanos) + " ns");
        }
        long target;
        synchronized (this) {
            target = now + nanos;
        }
        while (true) {
            Timer t;
            synchronized (this) {
                t = timers.peek();
                if (t == null || t.due > target) {
                    now = target;
                    return;
                }
                timers.poll();
                now = Math.max(now, t.due);
            }
            t.callback.run();
        }
    }

    @Override
    public synchronized Cancellable schedule(long delayNanos, Runnable callback) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("a timer cannot be due in the past (" + delayNanos + " ns)");
        }
        Timer t = new Timer(now + delayNanos, seq++, callback);
        timers.add(t);
        return t;
    }
}

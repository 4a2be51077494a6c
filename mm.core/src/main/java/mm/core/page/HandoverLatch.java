package mm.core.page;

import mm.api.subsystem.Subsystem;

/**
 * Whether an implementation answers calls, and where calls go when it does not: the state every
 * implementation of a contract keeps across a hand-over. Active between {@link #activate} (an
 * adoption) and {@link #quiesce}; from then on a call waits (at most {@link #SWAP_WAIT_MILLIS})
 * until {@link #forwardTo} names the successor, or the implementation adopts the machine again
 * (a rollback).
 *
 * @param <T> the contract's interface
 */
public final class HandoverLatch<T extends Subsystem> {

    /** How long a call waits for a hand-over to end. */
    public static final long SWAP_WAIT_MILLIS = 5_000;

    private final String contract;
    private volatile boolean active;
    /** True from {@link #quiesce} until the hand-over ends: callers wait rather than fail. */
    private volatile boolean swapping;
    private volatile T successor;
    private final Object monitor = new Object();

    /** A latch for an implementation of {@code contract}, inactive until {@link #activate}. */
    public HandoverLatch(String contract) {
        this.contract = contract;
    }

    /** True if the implementation answers calls. */
    public boolean isActive() {
        return active;
    }

    /** The implementation has adopted the machine: it answers calls, and callers waiting on it go on. */
    public void activate() {
        synchronized (monitor) {
            successor = null;
            active = true;
            swapping = false;
            monitor.notifyAll();
        }
    }

    /** The implementation has quiesced: calls wait for the end of the hand-over. */
    public void quiesce() {
        active = false;
        swapping = true;
    }

    /** The hand-over succeeded: calls go on to {@code next}. */
    public void forwardTo(T next) {
        synchronized (monitor) {
            successor = next;
            swapping = false;
            monitor.notifyAll();
        }
    }

    /**
     * Where a call that found the implementation inactive goes: during a hand-over, after waiting
     * for its end, the successor, or {@code self} if it took the machine back.
     *
     * @throws IllegalStateException if neither happened in time, or the implementation was never active
     */
    public T successorOrWait(T self) {
        synchronized (monitor) {
            long deadline = System.currentTimeMillis() + SWAP_WAIT_MILLIS;
            while (!active && successor == null && swapping) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    monitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (active) {
                return self;
            }
            if (successor != null) {
                return successor;
            }
        }
        throw new IllegalStateException(contract + " '" + self.implName() + "' is not active"
                + (swapping ? " and its hand-over did not end within " + SWAP_WAIT_MILLIS / 1000 + " s" : ""));
    }
}

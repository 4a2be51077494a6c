package mm.api.machine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The machine's simulated clock. Simulated time advances only when something says so (a command,
 * a simulated stall), so that a script prints the same output on every run; mechanisms that run
 * on time (kswapd wake-ups, PSI averaging, lmkd polling, writeback) schedule themselves on it.
 */
@ProviderType
public interface SimClock {

    /** HZ: timer ticks per second (CONFIG_HZ_250, the kernel's default). */
    int HZ = 250;

    /** Nanoseconds since boot ({@code ktime_get}). */
    long nanos();

    /** Ticks since boot ({@code jiffies}, without the kernel's initial offset). */
    default long jiffies() {
        return nanos() / (1_000_000_000L / HZ);
    }

    /**
     * Advances the clock, running every callback that falls due, in time order and, for equal
     * times, in the order they were scheduled.
     *
     * @throws IllegalArgumentException if {@code nanos} is negative
     */
    void advance(long nanos);

    /**
     * Schedules a callback {@code delayNanos} from now ({@code mod_timer}, {@code queue_delayed_work}).
     *
     * @return a handle that cancels it
     */
    Cancellable schedule(long delayNanos, Runnable callback);

    /** A scheduled callback. */
    @FunctionalInterface
    interface Cancellable {
        /** Cancels the callback if it has not run; returns true if it was still pending. */
        boolean cancel();
    }
}

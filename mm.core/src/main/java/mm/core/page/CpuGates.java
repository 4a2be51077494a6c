package mm.core.page;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * One lock per simulated CPU, held for the length of an allocator call on that CPU: what the
 * kernel gets from disabling preemption around its per-CPU page lists ({@code pcp_spin_lock}).
 * It protects the CPU's own per-CPU data, and it lets a hand-over stop the machine's allocator
 * calls ({@code stop_machine}): whoever takes every gate knows no call is in flight. Not
 * reentrant: an allocator never calls out while holding one.
 */
public final class CpuGates {

    /** Ints between two gates, so that CPUs do not share a cache line. */
    private static final int STRIDE = 16;

    private final AtomicIntegerArray locks;
    /**
     * How many {@link #lockAll} calls are taking the gates: while one is, callers let it pass
     * rather than take their gate again at once (a spinning caller would otherwise win almost
     * every race for its gate, and a hand-over would wait for as long as the load lasts).
     */
    private final AtomicInteger stoppers = new AtomicInteger();
    private final int cpus;

    /** Gates for {@code cpus} CPUs. */
    public CpuGates(int cpus) {
        this.cpus = cpus;
        this.locks = new AtomicIntegerArray(cpus * STRIDE);
    }

    /** Takes a CPU's gate, spinning (then yielding) while another thread holds it or every gate is being taken. */
    public void lock(int cpu) {
        int i = cpu * STRIDE;
        if (stoppers.get() == 0 && locks.compareAndSet(i, 0, 1)) {
            return;
        }
        int spins = 0;
        while (stoppers.get() != 0 || !locks.compareAndSet(i, 0, 1)) {
            spins = pause(spins);
        }
    }

    private static int pause(int spins) {
        if (spins < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
        return spins + 1;
    }

    /** Releases a CPU's gate. */
    public void unlock(int cpu) {
        locks.lazySet(cpu * STRIDE, 0);
    }

    /** Takes every gate, in CPU order: no allocator call is in flight until {@link #unlockAll}. */
    public void lockAll() {
        stoppers.incrementAndGet();
        try {
            for (int c = 0; c < cpus; c++) {
                int i = c * STRIDE;
                int spins = 0;
                while (!locks.compareAndSet(i, 0, 1)) {
                    spins = pause(spins);
                }
            }
        } finally {
            stoppers.decrementAndGet();
        }
    }

    /** Releases every gate. */
    public void unlockAll() {
        for (int c = cpus - 1; c >= 0; c--) {
            unlock(c);
        }
    }
}

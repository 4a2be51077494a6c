package mm.core.page;

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
    private final int cpus;

    /** Gates for {@code cpus} CPUs. */
    public CpuGates(int cpus) {
        this.cpus = cpus;
        this.locks = new AtomicIntegerArray(cpus * STRIDE);
    }

    /** Takes a CPU's gate, spinning (then yielding) while another thread holds it. */
    public void lock(int cpu) {
        int i = cpu * STRIDE;
        if (locks.compareAndSet(i, 0, 1)) {
            return;
        }
        int spins = 0;
        while (!locks.compareAndSet(i, 0, 1)) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Releases a CPU's gate. */
    public void unlock(int cpu) {
        locks.lazySet(cpu * STRIDE, 0);
    }

    /** Takes every gate, in CPU order: no allocator call is in flight until {@link #unlockAll}. */
    public void lockAll() {
        for (int c = 0; c < cpus; c++) {
            lock(c);
        }
    }

    /** Releases every gate. */
    public void unlockAll() {
        for (int c = cpus - 1; c >= 0; c--) {
            unlock(c);
        }
    }
}

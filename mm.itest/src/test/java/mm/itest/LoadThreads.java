package mm.itest;

import static org.junit.Assert.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import mm.api.machine.Machine;

/**
 * Threads that load a contract from CPUs of the machine, one per CPU, each counting the operations
 * it completed, so that a test can prove calls were made before and after a swap: start, wait for
 * more operations, stop (the first failure of a thread is rethrown, and no thread is left alive).
 * Closing stops them too, without asserting anything, for a test that failed before its stop().
 */
final class LoadThreads implements AutoCloseable {

    /** One thread's work: a step per operation, and what it does once stopped. */
    interface Load {
        /** One operation; {@code i} counts this thread's operations from 0. */
        void step(int i) throws Exception;

        /** Once stopped (or failed): hands over what the thread holds. */
        void finish();
    }

    private static final long JOIN_MS = 30_000;

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<AtomicLong> ops = new ArrayList<>();

    private LoadThreads() {
    }

    /** Starts one thread on each of {@code cpus}, running the load {@code load} makes for that CPU. */
    static LoadThreads start(Machine machine, int[] cpus, IntFunction<Load> load) {
        LoadThreads l = new LoadThreads();
        for (int cpu : cpus) {
            Load work = load.apply(cpu);
            AtomicLong done = new AtomicLong();
            l.ops.add(done);
            Thread th = new Thread(() -> machine.runOn(cpu, () -> {
                try {
                    while (!l.stop.get()) {
                        work.step((int) done.get());
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    l.failure.compareAndSet(null, e);
                } finally {
                    work.finish();
                }
                return null;
            }), "load-cpu" + cpu);
            l.threads.add(th);
            th.start();
        }
        return l;
    }

    /** Waits until every thread completed {@code n} more operations than when called; fails if a thread failed. */
    void awaitOps(long n) throws InterruptedException {
        long[] from = ops.stream().mapToLong(AtomicLong::get).toArray();
        Await.until("each load thread did " + n + " more operations", () -> {
            if (failure.get() != null) {
                throw new AssertionError("a load thread failed: " + failure.get(), failure.get());
            }
            for (int i = 0; i < from.length; i++) {
                if (ops.get(i).get() < from[i] + n) {
                    return false;
                }
            }
            return true;
        }, () -> ops.toString());
    }

    /** Stops the threads, asserts none is still alive, and rethrows the first failure of one. */
    void stop() throws InterruptedException {
        stop.set(true);
        for (Thread th : threads) {
            th.join(JOIN_MS);
            assertFalse(th.getName() + " is still running " + JOIN_MS / 1000 + " s after it was told to stop", th.isAlive());
        }
        if (failure.get() != null) {
            throw new AssertionError("a load thread failed: " + failure.get(), failure.get());
        }
    }

    /** Stops the threads and waits for them, asserting nothing (stop() is where a test asserts). */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        for (Thread th : threads) {
            th.join(JOIN_MS);
        }
    }
}

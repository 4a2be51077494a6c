package mm.tck;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import mm.api.machine.Machine;

/**
 * Two threads running at once on CPUs 0 and 1 of a machine, as the concurrency checks of both
 * suites run them: each gets three quarters of the check's time limit, the first problem (one a
 * share reported, an exception, or a thread that did not finish) fails the check.
 */
final class TwoCpus {

    private TwoCpus() {
    }

    /**
     * Runs {@code share} on CPUs 0 and 1 at once, each in a daemon thread of its own bound to its CPU
     * ({@link Machine#runOn}), and waits for both; a share reports a problem by setting
     * {@code problem} (the first one stays). Fails the check ("two CPUs at once: ...") with the
     * first problem, an exception a share threw, or a thread still running at 3/4 of {@code timeLimit}
     * (then both are interrupted).
     */
    static void run(Machine m, Duration timeLimit, String name, AtomicReference<String> problem, IntConsumer share)
            throws InterruptedException {
        Thread[] workers = new Thread[2];
        for (int c = 0; c < workers.length; c++) {
            int cpu = c;
            workers[c] = new Thread(() -> {
                try {
                    m.runOn(cpu, () -> {
                        share.accept(cpu);
                        return null;
                    });
                } catch (Throwable e) {
                    problem.compareAndSet(null, "on cpu " + cpu + ": " + ConformanceCheck.reason(e));
                }
            }, name + " cpu " + cpu);
            workers[c].setDaemon(true);
        }
        for (Thread w : workers) {
            w.start();
        }
        long deadline = System.nanoTime() + timeLimit.toNanos() * 3 / 4;
        for (int c = 0; c < workers.length; c++) {
            workers[c].join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (workers[c].isAlive()) {
                StackTraceElement[] stack = workers[c].getStackTrace();
                problem.compareAndSet(null, "the thread on cpu " + c + " did not finish" + (stack.length == 0 ? "" : ": it is in "
                        + stack[0]));
                for (Thread w : workers) {
                    w.interrupt();
                }
            }
        }
        if (problem.get() != null) {
            throw Expect.fail("two CPUs at once: %s", problem.get());
        }
    }
}

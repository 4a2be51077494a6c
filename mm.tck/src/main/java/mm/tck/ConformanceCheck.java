package mm.tck;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One property of a contract, proved by running its body against an implementation: the body
 * passes if it returns, and fails if an assertion fails ({@link AssertionError}: its message is the
 * reason) or anything else is thrown (the exception is the reason). A body that cannot run calls
 * {@link #skip}. {@link #run(Duration)} runs the body in a thread of its own with a time limit, so
 * that an implementation that hangs fails the check instead of stopping the suite.
 *
 * @param name a short name saying what is proved, in words a student understands
 *     ({@code frees-return-every-page})
 * @param description one line: what the check does and what it proves
 * @param body the check itself
 */
public record ConformanceCheck(String name, String description, Body body) {

    /** What a check runs. */
    @ConsumerType
    @FunctionalInterface
    public interface Body {
        /**
         * Runs the check: returns if the property holds.
         *
         * @throws AssertionError with a one-line message saying what does not hold
         * @throws Exception anything the implementation threw
         */
        void run() throws Exception;
    }

    /** Thrown by {@link #skip}: the check cannot run, for the reason given. */
    public static final class Skipped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** A skip, and why. */
        public Skipped(String reason) {
            super(reason);
        }
    }

    /** The kit's own classes, passed over when saying where an exception came from. */
    private static final Set<String> KIT_CLASSES = Stream.of(ConformanceCheck.class, AllocatorRig.class,
            FrameAllocatorConformance.class, FrameCensus.class, Expect.class, Subject.class, Workload.class, AdoptionChecks.class,
            AllocationChecks.class, FreeChecks.class, ExhaustionChecks.class, HandoverChecks.class, ConcurrencyChecks.class,
            CorruptionChecks.class, ObjectCacheConformance.class, SlabSubject.class, SlabRig.class, SlabBootChecks.class,
            KmallocChecks.class, SlabCacheChecks.class, SlabObjectChecks.class, SlabDebugChecks.class, SlabHandoverChecks.class,
            SlabConcurrencyChecks.class).map(Class::getName).collect(Collectors.toUnmodifiableSet());

    /** Validates. */
    public ConformanceCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(body, "body");
    }

    /** Ends the running check as skipped: it could not run, for this reason. */
    public static void skip(String reason) {
        throw new Skipped(reason);
    }

    /**
     * Runs the body in a new daemon thread and waits at most {@code timeLimit} for it. An
     * {@link AssertionError} becomes a failure with its message, {@link Skipped} a skip, any other
     * exception a failure naming it and where it was thrown, and a body still running at the time
     * limit a failure saying where it was stuck (the thread is interrupted and left behind).
     */
    public CheckResult run(Duration timeLimit) {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "mm.tck " + name);
        t.setDaemon(true);
        t.start();
        try {
            t.join(Math.max(1, timeLimit.toMillis()));
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            return CheckResult.fail(name, "interrupted while waiting for the check to finish");
        }
        if (t.isAlive()) {
            StackTraceElement[] stack = t.getStackTrace();
            t.interrupt();
            TimeoutException stuck = new TimeoutException("where the check was at its time limit");
            stuck.setStackTrace(stack);
            return CheckResult.fail(name, "did not finish within " + seconds(timeLimit) + " (a call that never returns?)"
                    + (stack.length == 0 ? "" : "; it was running " + where(stack, false)), stuck);
        }
        Throwable e = thrown.get();
        if (e == null) {
            return CheckResult.pass(name);
        }
        if (e instanceof Skipped) {
            return CheckResult.skip(name, e.getMessage());
        }
        return CheckResult.fail(name, reason(e), e);
    }

    /** The one-line reason for a throwable: an assertion's message, else the exception and where it was thrown. */
    static String reason(Throwable e) {
        if (e instanceof AssertionError && e.getMessage() != null) {
            return e.getMessage();
        }
        String text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        StackTraceElement[] stack = e.getStackTrace();
        return text + (stack.length == 0 ? "" : " (thrown " + where(stack, true) + ")");
    }

    /** The innermost frame outside the JDK (and the kit's own main classes, if asked), or the innermost frame. */
    private static String where(StackTraceElement[] stack, boolean skipKit) {
        for (StackTraceElement f : stack) {
            String c = f.getClassName();
            boolean kit = KIT_CLASSES.contains(c.indexOf('$') < 0 ? c : c.substring(0, c.indexOf('$')));
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.") && !(skipKit && kit)) {
                return "in " + f;
            }
        }
        return "in " + stack[0];
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}

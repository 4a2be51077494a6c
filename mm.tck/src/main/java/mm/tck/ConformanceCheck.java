package mm.tck;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
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

    /** Where the kit's own classes come from (its jar or bundle, or its classes directory), or null if unknown. */
    private static final URL KIT_LOCATION = location(ConformanceCheck.class);

    /** Whether a class, by name, is the kit's (cached). */
    private static final Map<String, Boolean> KIT = new ConcurrentHashMap<>();

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
            boolean kit = skipKit && isKitClass(c);
            if (!c.startsWith("java.") && !c.startsWith("jdk.") && !c.startsWith("sun.") && !kit) {
                return "in " + f;
            }
        }
        return "in " + stack[0];
    }

    /**
     * Whether the class named {@code className} is one of the kit's own: loaded from where this class
     * was (the same jar, bundle or classes directory), not merely in its package (the kit's own
     * tests put broken implementations there, from another directory).
     */
    static boolean isKitClass(String className) {
        return className.startsWith("mm.tck.") && KIT.computeIfAbsent(className, n -> {
            try {
                URL at = location(Class.forName(n, false, ConformanceCheck.class.getClassLoader()));
                return KIT_LOCATION == null ? at == null : KIT_LOCATION.equals(at);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        });
    }

    private static URL location(Class<?> c) {
        ProtectionDomain pd = c.getProtectionDomain();
        CodeSource cs = pd == null ? null : pd.getCodeSource();
        return cs == null ? null : cs.getLocation();
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}

package mm.itest;

import java.util.function.BooleanSupplier;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/** Waiting for what happens on other threads of the framework (FileInstall's scans, a bundle's restart), with a limit. */
final class Await {

    static final long LIMIT_MS = 20_000;

    private Await() {
    }

    /** Polls until the condition holds; fails after {@link #LIMIT_MS}. */
    static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(what, condition, () -> "");
    }

    /** Polls until the condition holds; fails after {@link #LIMIT_MS}, saying what was last seen. */
    static void until(String what, BooleanSupplier condition, java.util.function.Supplier<String> seen) throws InterruptedException {
        long deadline = System.currentTimeMillis() + LIMIT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("waited " + LIMIT_MS / 1000 + " s for: " + what + "; last seen: " + seen.get());
            }
            Thread.sleep(50);
        }
    }

    /** A service, waiting for it to be registered. */
    static <T> T service(BundleContext ctx, Class<T> type, String filter) {
        try {
            ServiceTracker<T, T> t = filter == null ? new ServiceTracker<>(ctx, type, null)
                    : new ServiceTracker<>(ctx, ctx.createFilter("(&(objectClass=" + type.getName() + ")" + filter + ")"), null);
            t.open();
            try {
                if (t.waitForService(LIMIT_MS) == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " service within " + LIMIT_MS / 1000 + " s");
                }
                // got through the context, not the tracker: the object stays valid once the tracker closes
                return ctx.getService(t.getServiceReference());
            } finally {
                t.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}

package mm.swap;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs an implementation's method with a time limit, on a worker thread: a student's
 * implementation that blocks forever must not take the shell with it. The stuck thread cannot be
 * killed; it is abandoned, and the caller is told.
 */
final class Timed implements AutoCloseable {

    /** A call that did not come back, or came back with an exception; the message is one line. */
    static final class CallFailed extends Exception {
        private static final long serialVersionUID = 1L;

        CallFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "mm-handover");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param what a description for the message: {@code bitmap.adopt}
     * @throws CallFailed if it threw (the message names the exception) or took longer than {@code millis}
     */
    <T> T call(String what, long millis, Callable<T> work) throws CallFailed {
        Future<T> f = workers.submit(work);
        try {
            return f.get(millis, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new CallFailed(what + " did not return within " + millis + " ms", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new CallFailed(what + " threw " + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage()), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed(what + " was interrupted", e);
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}

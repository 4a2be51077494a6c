package mm.console.commands;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import mm.api.machine.Machine;
import mm.api.subsystem.ContractViolation;
import mm.api.subsystem.Switchboard;

/**
 * How a command calls the active implementation of a contract, which may be a student's: with a
 * time limit, on a worker thread that runs as the caller's simulated CPU. Complaints about the
 * input ({@link IllegalArgumentException}) and about the state ({@link IllegalStateException})
 * become the command's one-line error; the exceptions the contract names as outcomes of a call
 * (a {@code SlabCorruptionException}: the debugging checks caught someone else's bug) reach the
 * command unchanged, for it to report. Anything else — a {@link ContractViolation}, another
 * exception, a call that does not return — means the implementation misbehaved: the switchboard
 * deactivates it and restores the reference implementation, and the command says so. A stuck
 * worker is abandoned (a thread cannot be killed) and a new one takes its place.
 */
final class ActiveCall implements AutoCloseable {

    /** The time limit of a call that allocates or frees: the simulated machine answers in microseconds. */
    static final long CALL_MS = 2_000;
    /** The time limit of a call that scans the whole frame table (a check, a /proc view of a big machine). */
    static final long SCAN_MS = 20_000;

    private final String name;
    private final List<Class<? extends RuntimeException>> outcomes;
    private ExecutorService worker;

    /**
     * @param name names the worker thread: {@code mm-console-NAME}
     * @param outcomes exceptions that are a result of the call, not a misbehaviour: rethrown as they are
     */
    ActiveCall(String name, List<Class<? extends RuntimeException>> outcomes) {
        this.name = name;
        this.outcomes = List.copyOf(outcomes);
        this.worker = newWorker();
    }

    private ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "mm-console-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs {@code work} against the active implementation of {@code contract}.
     *
     * @param switchboard the switchboard, or null (then a misbehaving implementation is only reported)
     * @param impl the implementation's name, for the messages
     * @param op what is called: {@code allocPages}
     */
    <T> T call(Switchboard switchboard, Machine machine, String contract, String impl, String op, long limitMs,
            Supplier<T> work) {
        int cpu = machine.currentCpu();
        Future<T> f;
        synchronized (this) {
            f = worker.submit(() -> machine.runOn(cpu, work));
        }
        String reason;
        try {
            return f.get(limitMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            synchronized (this) {
                worker.shutdownNow();
                worker = newWorker();
            }
            reason = op + " did not return within " + (limitMs >= 1000 ? limitMs / 1000 + " s" : limitMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandError(op + " was interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CommandError ce) {
                throw ce;
            }
            for (Class<? extends RuntimeException> outcome : outcomes) {
                if (outcome.isInstance(c)) {
                    throw outcome.cast(c);
                }
            }
            if ((c instanceof IllegalArgumentException || c instanceof IllegalStateException) && c.getMessage() != null) {
                throw new CommandError(c.getMessage());
            }
            reason = c instanceof ContractViolation ? c.getMessage()
                    : op + " threw " + c.getClass().getName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
        }
        if (switchboard == null) {
            throw new CommandError(contract + ": " + impl + " misbehaved: " + reason);
        }
        throw new CommandError(switchboard.fail(contract, reason));
    }

    @Override
    public synchronized void close() {
        worker.shutdownNow();
    }
}

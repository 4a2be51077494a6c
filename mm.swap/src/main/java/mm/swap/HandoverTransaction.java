package mm.swap;

import java.util.List;
import java.util.Map;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Switchboard;

/**
 * The hand-over from the active implementation of a contract to another, as a transaction: the
 * old one quiesces and exports what the frame table cannot say; the new one adopts it and its
 * invariants are checked; then the old one forwards the callers that still reach it. If a step
 * throws, breaks an invariant or overruns its time limit, the old one adopts the machine again.
 * Each step runs with a time limit ({@link Timed}): an implementation that blocks cannot block
 * the switchboard.
 */
final class HandoverTransaction {

    /** Time limits, in milliseconds. */
    static final long QUIESCE_MS = 5_000;
    static final long ADOPT_MS = 10_000;
    static final long CHECK_MS = 10_000;
    static final long FORWARD_MS = 1_000;

    /** A hand-over that did not happen. */
    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        /** True if the old implementation took the machine back. */
        final boolean rolledBack;
        /** True if the new implementation is to blame (false: the old one failed to quiesce). */
        final boolean newOneFailed;

        Failed(String message, boolean rolledBack, boolean newOneFailed) {
            super(message);
            this.rolledBack = rolledBack;
            this.newOneFailed = newOneFailed;
        }
    }

    private final Timed timed;
    private final long quiesceMs;
    private final long adoptMs;
    private final long checkMs;

    HandoverTransaction(Timed timed) {
        this(timed, QUIESCE_MS, ADOPT_MS, CHECK_MS);
    }

    /** With other time limits (the tests' implementations that block need not be waited for 10 s). */
    HandoverTransaction(Timed timed, long quiesceMs, long adoptMs, long checkMs) {
        this.timed = timed;
        this.quiesceMs = quiesceMs;
        this.adoptMs = adoptMs;
        this.checkMs = checkMs;
    }

    /**
     * Hands the machine from {@code old} to {@code next}.
     *
     * @return the swap, with the pause callers saw: from the start of the quiesce to the old one
     *     forwarding to the new one
     * @throws Failed with one line saying which step failed and what the machine runs now
     */
    Switchboard.Swap run(Tracked old, Tracked next) throws Failed {
        String contract = old.contract;
        long start = System.nanoTime();
        Handover handover;
        try {
            handover = quiesce(old, quiesceMs);
        } catch (Timed.CallFailed e) {
            String back = readopt(old, empty(old));
            throw new Failed(e.getMessage() + "; " + (back == null ? old.impl + " is still active" : back), back == null, false);
        }
        try {
            adoptAndCheck(next, handover);
        } catch (Timed.CallFailed e) {
            String back = readopt(old, handover);
            throw new Failed(e.getMessage() + "; " + (back == null ? old.impl + " is active again" : back), back == null, true);
        }
        forward(old, next);
        return new Switchboard.Swap(contract, old.impl, next.impl, System.nanoTime() - start);
    }

    /** An empty hand-over from {@code t}: the frame table says the rest. */
    static Handover empty(Tracked t) {
        return new Handover(t.contract, t.impl, Map.of());
    }

    /**
     * Stops {@code t} within {@code ms}.
     *
     * @return its hand-over, or an empty one if it gave none
     * @throws Timed.CallFailed if quiesce threw or overran
     */
    Handover quiesce(Tracked t, long ms) throws Timed.CallFailed {
        Handover h = timed.call(t.impl + ".quiesce", ms, t.service::quiesce);
        return h == null ? empty(t) : h;
    }

    /**
     * {@code old} forwards its callers to {@code next}, within {@link #FORWARD_MS}; if it does not,
     * callers still holding it wait out their own limit and get a clear error.
     */
    void forward(Tracked old, Tracked next) {
        try {
            timed.call(old.impl + ".forwardTo", FORWARD_MS, () -> {
                old.service.forwardTo(next.service);
                return null;
            });
        } catch (Timed.CallFailed e) {
            // see above
        }
    }

    /**
     * Makes {@code next} adopt the machine and checks its invariants.
     *
     * @throws Timed.CallFailed if adopt threw or overran, or an invariant is broken
     */
    void adoptAndCheck(Tracked next, Handover from) throws Timed.CallFailed {
        timed.call(next.impl + ".adopt", adoptMs, () -> {
            next.service.adopt(from);
            return null;
        });
        List<String> problems = timed.call(next.impl + ".check", checkMs, next.service::check);
        if (problems != null && !problems.isEmpty()) {
            throw new Timed.CallFailed(next.impl + " broke an invariant after adopting the machine: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""), null);
        }
    }

    /** Gives the machine back to {@code old}; null if that worked, else what went wrong. */
    private String readopt(Tracked old, Handover from) {
        try {
            timed.call(old.impl + ".adopt", adoptMs, () -> {
                old.service.adopt(from);
                return null;
            });
            return null;
        } catch (Timed.CallFailed e) {
            return "and taking the machine back failed too: " + e.getMessage();
        }
    }
}

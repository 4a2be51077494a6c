package mm.tck;

import java.util.List;
import mm.api.subsystem.Handover;

/**
 * The kit's assertions: each failure is an {@link AssertionError} whose message is the one line a
 * student reads in the report. No JUnit here, so that the suites run inside OSGi without it.
 */
final class Expect {

    private Expect() {
    }

    /** Fails with the formatted message unless {@code condition} holds. */
    static void that(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new AssertionError(args.length == 0 ? format : String.format(format, args));
        }
    }

    /** Fails with the formatted message. */
    static AssertionError fail(String format, Object... args) {
        throw new AssertionError(args.length == 0 ? format : String.format(format, args));
    }

    /** Fails unless {@code check()}'s answer is empty, quoting the first problem. */
    static void noProblems(List<String> problems, String when) {
        if (problems == null) {
            throw new AssertionError("check() " + when + " returned null instead of a list");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("check() " + when + " reports " + problems.size() + " problem"
                    + (problems.size() == 1 ? "" : "s") + ": " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        }
    }

    /** A call the contract says must throw {@link IllegalArgumentException}. */
    @FunctionalInterface
    interface Call {
        void run();
    }

    /**
     * Fails unless {@code call} throws {@link IllegalArgumentException}: returning normally, or
     * throwing anything else, is a failure naming the call.
     */
    static void illegalArgument(String call, Call body) {
        try {
            body.run();
        } catch (IllegalArgumentException expected) {
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(call + " threw " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")
                    + ": the contract requires IllegalArgumentException");
        }
        throw new AssertionError(call + " was accepted: the contract requires IllegalArgumentException");
    }

    /**
     * Fails unless {@code call} throws {@link IllegalArgumentException} or
     * {@link mm.api.slab.SlabCorruptionException} (a bad free found by slab debugging): returning
     * normally, or throwing anything else, is a failure naming the call and saying what it was.
     */
    static void rejected(String call, String what, Call body) {
        try {
            body.run();
        } catch (IllegalArgumentException | mm.api.slab.SlabCorruptionException expected) {
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(call + " (" + what + ") threw " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")
                    + ": the contract requires IllegalArgumentException or SlabCorruptionException");
        }
        throw new AssertionError(call + " (" + what + ") was accepted: the contract requires IllegalArgumentException or "
                + "SlabCorruptionException");
    }

    /** The factory's implName() is not empty (it is the {@code mm.impl} property the shell names an implementation by). */
    static void factoryNamed(String factoryName) {
        that(factoryName != null && !factoryName.isBlank(), "the factory's implName() is empty");
    }

    /**
     * {@code name}, the implName() of {@code what} ("the allocator", "the object cache"), is not
     * empty, is its factory's {@code factoryName}, and has no blanks.
     */
    static void sameName(String what, String name, String factoryName) {
        that(name != null && !name.isBlank(), "implName() of %s is empty", what);
        that(name.equals(factoryName), "implName() of %s is '%s' but its factory's is '%s': both are its mm.impl property", what,
                name, factoryName);
        that(!name.matches(".*\\s.*"), "implName() '%s' contains blanks: the shell names implementations by it", name);
    }

    /**
     * {@code h}, what {@code quiesce()} of an implementation named {@code fromImpl} returned, is a
     * Handover of {@code contract} from it. (SlabHandoverChecks still spells this out; its owner may
     * call this instead.)
     */
    static void handover(Handover h, String contract, String fromImpl) {
        that(h != null, "quiesce() returned null: it returns the Handover for the successor");
        that(contract.equals(h.contract()) && fromImpl.equals(h.fromImpl()), "quiesce() returned a Handover of contract '%s' "
                + "from '%s', not of '%s' from '%s'", h.contract(), h.fromImpl(), contract, fromImpl);
    }

    /** A pfn as the kernel prints it. */
    static String hex(long pfn) {
        return pfn < 0 ? Long.toString(pfn) : "0x" + Long.toHexString(pfn);
    }
}

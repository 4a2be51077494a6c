package mm.tck;

import java.util.Objects;

/**
 * The outcome of one {@link ConformanceCheck}: passed, failed with a one-line reason (the failing
 * assertion's message, or the exception the implementation threw), or skipped with the reason it
 * could not run (a check that needs something the caller did not supply).
 *
 * @param name the check's name
 * @param status passed, failed or skipped
 * @param reason one line: why it failed or was skipped; empty when it passed
 * @param cause the failed assertion or the exception behind a failure, for its stack trace; null
 *     otherwise (the shell prints only the reason)
 */
public record CheckResult(String name, Status status, String reason, Throwable cause) {

    /** What became of a check. */
    public enum Status {
        /** Every assertion of the check held. */
        PASS,
        /** An assertion failed, the implementation threw, or the check ran out of time. */
        FAIL,
        /** The check could not run; it counts neither for nor against the implementation. */
        SKIP
    }

    /** Validates; the reason becomes one line (line breaks and runs of blanks turn into one space). */
    public CheckResult {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        reason = oneLine(reason);
    }

    /** A result without a cause. */
    public CheckResult(String name, Status status, String reason) {
        this(name, status, reason, null);
    }

    /** A check that passed. */
    public static CheckResult pass(String name) {
        return new CheckResult(name, Status.PASS, "");
    }

    /** A check that failed, and why. */
    public static CheckResult fail(String name, String reason) {
        return new CheckResult(name, Status.FAIL, reason);
    }

    /** A check that failed, why, and the assertion or exception behind it. */
    public static CheckResult fail(String name, String reason, Throwable cause) {
        return new CheckResult(name, Status.FAIL, reason, cause);
    }

    /** A check that could not run, and why. */
    public static CheckResult skip(String name, String reason) {
        return new CheckResult(name, Status.SKIP, reason);
    }

    /** True if the check passed. */
    public boolean passed() {
        return status == Status.PASS;
    }

    /** True if the check failed. */
    public boolean failed() {
        return status == Status.FAIL;
    }

    /** True if the check was skipped. */
    public boolean skipped() {
        return status == Status.SKIP;
    }

    /** One line: {@code PASS name}, {@code FAIL name: reason} or {@code SKIP name: reason}. */
    public String format() {
        return switch (status) {
            case PASS -> "PASS " + name;
            case FAIL -> "FAIL " + name + ": " + reason;
            case SKIP -> "SKIP " + name + ": " + reason;
        };
    }

    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        return text.strip().replaceAll("\\s+", " ");
    }
}

package mm.tck;

import java.util.List;
import java.util.Objects;

/**
 * The results of a conformance suite for one implementation, and its score: the share of the
 * checks that ran (skipped ones excepted) that passed.
 *
 * @param contract the contract graded ({@code FrameAllocator})
 * @param implementation the implementation's name ({@code mm.impl})
 * @param results one per check, in the suite's order
 */
public record ConformanceReport(String contract, String implementation, List<CheckResult> results) {

    /** Validates and copies. */
    public ConformanceReport {
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(implementation, "implementation");
        results = List.copyOf(results);
    }

    /** True if no check failed (skipped ones do not count against the implementation). */
    public boolean passed() {
        return failedCount() == 0;
    }

    /** How many checks passed. */
    public int passedCount() {
        return (int) results.stream().filter(CheckResult::passed).count();
    }

    /** How many checks failed. */
    public int failedCount() {
        return (int) results.stream().filter(CheckResult::failed).count();
    }

    /** How many checks were skipped. */
    public int skippedCount() {
        return (int) results.stream().filter(CheckResult::skipped).count();
    }

    /** The checks that count: every one that was not skipped. */
    public int total() {
        return results.size() - skippedCount();
    }

    /** Passed over {@link #total()}, from 0 to 1; 1 when nothing ran. */
    public double score() {
        int total = total();
        return total == 0 ? 1.0 : (double) passedCount() / total;
    }

    /**
     * The report as the shell prints it: one line per check ({@code PASS name},
     * {@code FAIL name: reason}, {@code SKIP name: reason}), then
     * {@code score: N/M (P%)} with the percentage rounded down (so that 100% means every check
     * passed). Lines are separated by {@code \n}; there is no newline after the last.
     */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (CheckResult r : results) {
            sb.append(r.format()).append('\n');
        }
        return sb.append(scoreLine()).toString();
    }

    /**
     * The last line of {@link #format()}: {@code score: N/M (P%)}, the percentage rounded down (so
     * that 100% means every check passed).
     */
    public String scoreLine() {
        int total = total();
        int passed = passedCount();
        long percent = total == 0 ? 100 : passed * 100L / total;
        return "score: " + passed + "/" + total + " (" + percent + "%)";
    }
}

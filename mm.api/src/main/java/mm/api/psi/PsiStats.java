package mm.api.psi;

/**
 * One pressure file's contents.
 *
 * @param some the {@code some} line: at least one task stalled
 * @param full the {@code full} line: all non-idle tasks stalled at once
 */
public record PsiStats(Line some, Line full) {

    /**
     * One line: averages in the kernel's fixed point (FIXED_1 = 2048 means 100 %), total in microseconds.
     *
     * @param avg10 the 10 s average
     * @param avg60 the 60 s average
     * @param avg300 the 300 s average
     * @param totalUs cumulative stall time
     */
    public record Line(long avg10, long avg60, long avg300, long totalUs) {
    }
}

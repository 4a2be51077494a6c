package mm.api.slab;

import java.util.List;

/**
 * A corruption found by slab debugging: double free, use after free, an overwritten red zone.
 * The message is the report's first line that starts with {@code BUG}, as the kernel prints it
 * ({@code BUG kmalloc-64 (Not tainted): Right Redzone overwritten}); {@link #report()} is the whole
 * report, from the kernel's line of {@code =} on.
 */
public class SlabCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> report;

    /** A corruption with its full report; the first line is the message. */
    public SlabCorruptionException(List<String> report) {
        super(report.stream().filter(l -> l.startsWith("BUG ")).findFirst().orElse(report.isEmpty() ? "slab corruption" : report.get(0)));
        this.report = List.copyOf(report);
    }

    /** Every line of the report. */
    public List<String> report() {
        return report;
    }
}

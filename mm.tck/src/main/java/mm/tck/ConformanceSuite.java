package mm.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A contract's conformance suite for one implementation: its checks, each independent of the
 * others, run one by one with the suite's time limit. {@link FrameAllocatorConformance} and
 * {@link ObjectCacheConformance} are the suites; the shell ({@code mm:tck}) and the JUnit adapters
 * run any of them alike.
 */
@ProviderType
public interface ConformanceSuite {

    /** The time a check may run before it fails as hung, unless a suite is given another. */
    Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(20);

    /** The contract graded ({@code FrameAllocator}, {@code ObjectCache}). */
    String contract();

    /** The name of the implementation graded, as its factory gives it. */
    String implementation();

    /** The checks, in the order they are best read. */
    List<ConformanceCheck> checks();

    /** The time each check may run before it fails as hung. */
    Duration timeLimit();

    /** Runs one check with the suite's time limit. */
    default CheckResult runCheck(ConformanceCheck check) {
        return check.run(timeLimit());
    }

    /** The name an implementation's factory gives, or what went wrong asking it (a report names the graded one always). */
    static String nameOf(java.util.function.Supplier<String> implName) {
        try {
            String n = implName.get();
            return n == null || n.isBlank() ? "(unnamed)" : n;
        } catch (RuntimeException e) {
            return "(implName() threw " + e.getClass().getSimpleName() + ")";
        }
    }

    /** Runs every check, in order. */
    default ConformanceReport run() {
        return run(r -> { });
    }

    /** Runs every check, in order, telling {@code progress} each result as it comes (the shell prints them). */
    default ConformanceReport run(Consumer<CheckResult> progress) {
        List<CheckResult> results = new ArrayList<>();
        for (ConformanceCheck c : checks()) {
            CheckResult r = runCheck(c);
            results.add(r);
            progress.accept(r);
        }
        return new ConformanceReport(contract(), implementation(), results);
    }
}

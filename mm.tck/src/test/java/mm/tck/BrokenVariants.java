package mm.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mm.api.machine.MachineFactory;
import mm.tck.CheckResult.Status;
import org.junit.jupiter.api.DynamicTest;

/**
 * What the kit's tests of broken implementations share: the machines they boot, a check looked up
 * by name, a result that must fail with given words, and the table of which broken variant fails
 * which check, with the checks no variant has been shown to fail yet.
 */
final class BrokenVariants {

    /** Boots the machines of every suite run here. */
    static final MachineFactory MACHINES = ServiceLoader.load(MachineFactory.class).findFirst().orElseThrow();

    private BrokenVariants() {
    }

    /**
     * One row of a table: the suite grading a broken variant (named for the test's display) must
     * fail {@code check} with a one-line reason containing each of {@code words}.
     */
    record Row(String variant, ConformanceSuite suite, String check, List<String> words) {
        Row(String variant, ConformanceSuite suite, String check, String... words) {
            this(variant, suite, check, List.of(words));
        }
    }

    /** The check of {@code suite} named {@code name}; an assertion error naming every check if there is none. */
    static ConformanceCheck check(ConformanceSuite suite, String name) {
        return suite.checks().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(
                "no check named " + name + "; checks are " + names(suite)));
    }

    /** Runs the check of {@code suite} named {@code name}. */
    static CheckResult run(ConformanceSuite suite, String name) {
        return suite.runCheck(check(suite, name));
    }

    /** {@code r} failed, with a one-line reason holding each of {@code words}. */
    static void fails(CheckResult r, List<String> words) {
        assertEquals(Status.FAIL, r.status(), r.format());
        for (String w : words) {
            assertTrue(r.reason().contains(w), "'" + w + "' is not in: " + r.reason());
        }
        assertFalse(r.reason().contains("\n"), r.reason());
    }

    /** One dynamic test per row: its variant fails its check with its words. */
    static Stream<DynamicTest> eachFails(List<Row> rows) {
        return rows.stream().map(row -> DynamicTest.dynamicTest(row.variant() + " fails " + row.check(),
                () -> fails(run(row.suite(), row.check()), row.words())));
    }

    /**
     * The checks of {@code suite} no row shows failing are exactly {@code allowList}: a new check
     * comes with a broken variant, or is put on the list by decision.
     */
    static void uncoveredAreExactly(ConformanceSuite suite, List<Row> rows, Set<String> allowList) {
        Set<String> all = new TreeSet<>(names(suite));
        for (Row row : rows) {
            assertTrue(all.contains(row.check()), "no check named " + row.check() + "; checks are " + all);
        }
        for (String name : allowList) {
            assertTrue(all.contains(name), "the allow-list names " + name + ", which is no check; checks are " + all);
        }
        Set<String> uncovered = new TreeSet<>(all);
        rows.forEach(row -> uncovered.remove(row.check()));
        assertEquals(new TreeSet<>(allowList), uncovered, "the checks no broken variant fails are not the allow-list");
    }

    private static List<String> names(ConformanceSuite suite) {
        return suite.checks().stream().map(ConformanceCheck::name).collect(Collectors.toList());
    }
}

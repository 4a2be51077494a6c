package mm.tck.junit;

import java.util.ServiceLoader;
import java.util.stream.Stream;
import mm.api.machine.MachineFactory;
import mm.tck.CheckResult;
import mm.tck.ConformanceSuite;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * What the JUnit adapters share: a suite as dynamic tests, an optional factory made by class name,
 * and the machine factory found on the class path.
 */
final class ConformanceTests {

    private ConformanceTests() {
    }

    /**
     * One dynamic test per check of {@code suite}, named after it: failing with the check's name and
     * one-line reason, aborted (with its reason) if the check is skipped.
     */
    static Stream<DynamicTest> tests(ConformanceSuite suite) {
        return suite.checks().stream().map(check -> DynamicTest.dynamicTest(check.name(), () -> {
            CheckResult r = suite.runCheck(check);
            if (r.skipped()) {
                Assumptions.abort(r.name() + ": " + r.reason());
            }
            if (r.failed()) {
                Assertions.fail(r.name() + ": " + r.reason(), r.cause());
            }
        }));
    }

    /**
     * A new instance of {@code className} through its public no-argument constructor, loaded by
     * {@code loader}, or null if it is not there, cannot be made or is not a {@code type}.
     */
    static <T> T instantiate(String className, Class<T> type, ClassLoader loader) {
        try {
            Object o = Class.forName(className, true, loader).getConstructor().newInstance();
            return type.isInstance(o) ? type.cast(o) : null;
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    /** The first {@link MachineFactory} provider {@code loader} sees. */
    static MachineFactory firstMachineFactory(ClassLoader loader) {
        return ServiceLoader.load(MachineFactory.class, loader).findFirst()
                .orElseThrow(() -> new IllegalStateException("no MachineFactory on the class path to boot machines with: "
                        + "add mm.hw as a test dependency"));
    }
}

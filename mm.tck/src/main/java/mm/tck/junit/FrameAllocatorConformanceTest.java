package mm.tck.junit;

import java.util.ServiceLoader;
import java.util.stream.Stream;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;
import mm.tck.FrameAllocatorConformance;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@link mm.api.frame.FrameAllocator} conformance suite as JUnit 5 tests: one dynamic test per
 * check of {@link FrameAllocatorConformance}, named after it and failing with the check's name and
 * one-line reason (a skipped check is reported as aborted). An implementation proves it keeps the contract in its own build:
 *
 * <pre>{@code
 * class MyAllocatorConformanceTest extends FrameAllocatorConformanceTest {
 *     @Override
 *     protected FrameAllocatorFactory factory() {
 *         return new MyAllocatorFactory();
 *     }
 * }
 * }</pre>
 *
 * with {@code mm.tck} and {@code mm.hw} (which boots the machines) as test dependencies, and
 * {@code mm.buddy} too to compare hand-overs with the reference implementation.
 */
public abstract class FrameAllocatorConformanceTest {

    /** The class of the reference implementation's factory, used when it is on the class path. */
    static final String REFERENCE_FACTORY = "mm.buddy.BuddyFactory";

    /** The factory of the implementation under test. */
    protected abstract FrameAllocatorFactory factory();

    /**
     * The reference implementation to hand over to and from: by default the buddy allocator's
     * factory ({@code mm.buddy.BuddyFactory}) when it is on the test class path, else null, which
     * skips the check that needs it.
     */
    protected FrameAllocatorFactory referenceFactory() {
        return ConformanceTests.instantiate(REFERENCE_FACTORY, FrameAllocatorFactory.class, getClass().getClassLoader());
    }

    /**
     * Boots the machines the checks run on: by default the first {@link ServiceLoader} provider of
     * {@link MachineFactory} on the class path ({@code mm.hw} is one).
     *
     * @throws IllegalStateException if there is none
     */
    protected MachineFactory machines() {
        return ConformanceTests.firstMachineFactory(getClass().getClassLoader());
    }

    /** The suite these tests run; override to change its time limit. */
    protected FrameAllocatorConformance conformance() {
        return new FrameAllocatorConformance(machines(), factory(), referenceFactory());
    }

    /** One test per check, named after it. */
    @TestFactory
    public Stream<DynamicTest> frameAllocatorConformance() {
        return ConformanceTests.tests(conformance());
    }
}

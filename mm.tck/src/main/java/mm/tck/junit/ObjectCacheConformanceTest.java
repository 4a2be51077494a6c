package mm.tck.junit;

import java.util.stream.Stream;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;
import mm.api.slab.ObjectCacheFactory;
import mm.tck.ObjectCacheConformance;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@link mm.api.slab.ObjectCache} conformance suite as JUnit 5 tests: one dynamic test per
 * check of {@link ObjectCacheConformance}, named after it and failing with the check's name and
 * one-line reason (a skipped check is reported as aborted). An implementation proves it keeps the
 * contract in its own build:
 *
 * <pre>{@code
 * class MySlabConformanceTest extends ObjectCacheConformanceTest {
 *     @Override
 *     protected ObjectCacheFactory factory() {
 *         return new MySlabFactory();
 *     }
 * }
 * }</pre>
 *
 * with {@code mm.tck}, {@code mm.hw} (which boots the machines) and {@code mm.buddy} (the page
 * allocator under the object caches) as test dependencies, and {@code mm.slub} too to compare
 * hand-overs with the reference implementation.
 */
public abstract class ObjectCacheConformanceTest {

    /** The class of the frame allocator factory used by default, when it is on the class path. */
    static final String FRAME_ALLOCATOR_FACTORY = FrameAllocatorConformanceTest.REFERENCE_FACTORY;
    /** The class of the reference object cache's factory, used when it is on the class path. */
    static final String REFERENCE_FACTORY = "mm.slub.SlubFactory";

    /** The factory of the implementation under test. */
    protected abstract ObjectCacheFactory factory();

    /**
     * The page allocator under the object caches, a fresh one per machine: by default the buddy
     * allocator's factory ({@code mm.buddy.BuddyFactory}).
     *
     * @throws IllegalStateException if it is not on the test class path
     */
    protected FrameAllocatorFactory frameAllocatorFactory() {
        FrameAllocatorFactory f = ConformanceTests.instantiate(FRAME_ALLOCATOR_FACTORY, FrameAllocatorFactory.class,
                getClass().getClassLoader());
        if (f == null) {
            throw new IllegalStateException("no " + FRAME_ALLOCATOR_FACTORY + " on the class path to make the page allocator "
                    + "under the object caches: add mm.buddy as a test dependency, or override frameAllocatorFactory()");
        }
        return f;
    }

    /**
     * The reference implementation to hand over to and from: by default SLUB's factory
     * ({@code mm.slub.SlubFactory}) when it is on the test class path, else null, which skips the
     * check that needs it.
     */
    protected ObjectCacheFactory referenceFactory() {
        return ConformanceTests.instantiate(REFERENCE_FACTORY, ObjectCacheFactory.class, getClass().getClassLoader());
    }

    /**
     * Boots the machines the checks run on: by default the first
     * {@link java.util.ServiceLoader} provider of {@link MachineFactory} on the class path
     * ({@code mm.hw} is one).
     */
    protected MachineFactory machines() {
        return ConformanceTests.firstMachineFactory(getClass().getClassLoader());
    }

    /** The suite these tests run; override to change its time limit. */
    protected ObjectCacheConformance conformance() {
        return new ObjectCacheConformance(machines(), factory(), frameAllocatorFactory(), referenceFactory());
    }

    /** One test per check, named after it. */
    @TestFactory
    public Stream<DynamicTest> objectCacheConformance() {
        return ConformanceTests.tests(conformance());
    }
}

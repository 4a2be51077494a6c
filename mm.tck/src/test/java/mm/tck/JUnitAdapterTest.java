package mm.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import mm.api.frame.FrameAllocatorFactory;
import mm.tck.junit.FrameAllocatorConformanceTest;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit adapter turns each check into a dynamic test named after it: a failing check fails
 * with its name, its reason and the assertion behind it; a skipped one is aborted; a passing one
 * passes.
 */
class JUnitAdapterTest {

    private static List<DynamicTest> tests(FrameAllocatorFactory f) {
        FrameAllocatorConformanceTest adapter = new FrameAllocatorConformanceTest() {
            @Override
            protected FrameAllocatorFactory factory() {
                return f;
            }
        };
        return adapter.frameAllocatorConformance().collect(Collectors.toList());
    }

    private static DynamicTest named(List<DynamicTest> tests, String name) {
        return tests.stream().filter(t -> t.getDisplayName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void oneTestPerCheckNamedAfterIt() {
        FrameAllocatorFactory f = BitmapAllocator.factory("lowest-fit", false);
        List<String> names = tests(f).stream().map(DynamicTest::getDisplayName).collect(Collectors.toList());
        List<String> checks = new FrameAllocatorConformance(new mm.hw.machine.MachineFactoryImpl(), f).checks().stream()
                .map(ConformanceCheck::name).collect(Collectors.toList());
        assertFalse(checks.isEmpty());
        assertEquals(checks, names);
    }

    @Test
    void objectCacheSuiteOneTestPerCheckAndAFailingOneFailsWithItsReason() {
        mm.tck.junit.ObjectCacheConformanceTest adapter = new mm.tck.junit.ObjectCacheConformanceTest() {
            @Override
            protected mm.api.slab.ObjectCacheFactory factory() {
                return BrokenSlab.factory(SimpleSlab.factory("simple", false), BrokenSlab.ZeroIsNull::new);
            }

            @Override
            protected FrameAllocatorFactory frameAllocatorFactory() {
                return BitmapAllocator.factory("lowest-fit", false);
            }
        };
        List<DynamicTest> tests = adapter.objectCacheConformance().collect(Collectors.toList());
        List<String> checks = new ObjectCacheConformance(new mm.hw.machine.MachineFactoryImpl(), SimpleSlab.factory("simple", false),
                BitmapAllocator.factory("lowest-fit", false)).checks().stream().map(ConformanceCheck::name)
                .collect(Collectors.toList());
        assertFalse(checks.isEmpty());
        assertEquals(checks, tests.stream().map(DynamicTest::getDisplayName).collect(Collectors.toList()));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> named(tests, "kmalloc-zero-size").getExecutable().execute());
        assertTrue(e.getMessage().startsWith("kmalloc-zero-size: kmalloc(0, GFP_KERNEL) returned 0x0000000000000000"),
                e.getMessage());
        TestAbortedException skipped = assertThrows(TestAbortedException.class,
                () -> named(tests, "handover-across-implementations").getExecutable().execute());
        assertTrue(skipped.getMessage().contains("no reference implementation"), skipped.getMessage());
    }

    @Test
    void aFailingCheckFailsWithItsNameReasonAndCause() {
        List<DynamicTest> tests = tests(Broken.factory(BitmapAllocator.factory("lowest-fit", false), Broken.IgnoresZero::new));
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> named(tests, "gfp-zero-clears-content").getExecutable().execute());
        assertTrue(e.getMessage().startsWith("gfp-zero-clears-content: allocPages(GFP_KERNEL|__GFP_ZERO, 0) returned "),
                e.getMessage());
        assertInstanceOf(AssertionError.class, e.getCause());
    }

    @Test
    void aSkippedCheckIsAbortedAndAPassingOnePasses() throws Throwable {
        List<DynamicTest> tests = tests(BitmapAllocator.factory("lowest-fit", false));
        TestAbortedException e = assertThrows(TestAbortedException.class,
                () -> named(tests, "handover-across-implementations").getExecutable().execute());
        assertEquals("handover-across-implementations: no reference implementation was supplied to hand over to and from",
                e.getMessage());
        named(tests, "impl-name-matches-factory").getExecutable().execute();
    }
}

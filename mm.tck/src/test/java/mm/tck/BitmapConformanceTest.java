package mm.tck;

import mm.api.frame.FrameAllocatorFactory;
import mm.tck.junit.FrameAllocatorConformanceTest;

/**
 * The suite grades through the contract, not an algorithm: a bitmap allocator that takes the
 * lowest free aligned run, with no per-CPU lists and no migratetypes, passes every check, and
 * hands over to and from a second algorithm (the highest free aligned run) as its reference.
 * Also proves the JUnit adapter: one dynamic test per check.
 */
class BitmapConformanceTest extends FrameAllocatorConformanceTest {

    @Override
    protected FrameAllocatorFactory factory() {
        return BitmapAllocator.factory("lowest-fit", false);
    }

    @Override
    protected FrameAllocatorFactory referenceFactory() {
        return BitmapAllocator.factory("highest-fit", true);
    }
}

package mm.buddy;

import mm.api.frame.FrameAllocatorFactory;
import mm.tck.junit.FrameAllocatorConformanceTest;

/**
 * The reference implementation keeps the {@code FrameAllocator} contract: every check of the
 * conformance kit passes for the buddy allocator, including the hand-over to and from another
 * instance of itself as the reference.
 */
class BuddyConformanceTest extends FrameAllocatorConformanceTest {

    @Override
    protected FrameAllocatorFactory factory() {
        return new BuddyFactory();
    }
}

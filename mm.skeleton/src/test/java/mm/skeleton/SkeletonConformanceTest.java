package mm.skeleton;

import mm.api.frame.FrameAllocatorFactory;
import mm.tck.junit.FrameAllocatorConformanceTest;

/**
 * The conformance suite, run at every build: each check of the FrameAllocator contract is a test
 * ({@code mvn package} fails if one does). {@code mm:tck FrameAllocator skeleton} runs the same
 * checks from the shell.
 */
class SkeletonConformanceTest extends FrameAllocatorConformanceTest {

    @Override
    protected FrameAllocatorFactory factory() {
        return new SkeletonFactory();
    }
}

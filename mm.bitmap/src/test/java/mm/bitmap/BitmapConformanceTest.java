package mm.bitmap;

import mm.api.frame.FrameAllocatorFactory;
import mm.tck.junit.FrameAllocatorConformanceTest;

/** The FrameAllocator conformance suite on the bitmap allocator, hand-overs to and from the buddy allocator included. */
class BitmapConformanceTest extends FrameAllocatorConformanceTest {

    @Override
    protected FrameAllocatorFactory factory() {
        return new BitmapFactory();
    }
}

package mm.slub;

import mm.api.frame.FrameAllocatorFactory;
import mm.api.slab.ObjectCacheFactory;
import mm.buddy.BuddyFactory;
import mm.tck.junit.ObjectCacheConformanceTest;

/** The ObjectCache conformance suite on SLUB, over the buddy allocator, hand-overs to and from a second SLUB included. */
class SlubConformanceTest extends ObjectCacheConformanceTest {

    @Override
    protected ObjectCacheFactory factory() {
        return new SlubFactory();
    }

    @Override
    protected FrameAllocatorFactory frameAllocatorFactory() {
        return new BuddyFactory();
    }
}

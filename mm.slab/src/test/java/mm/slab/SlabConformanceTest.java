package mm.slab;

import mm.api.frame.FrameAllocatorFactory;
import mm.api.slab.ObjectCacheFactory;
import mm.buddy.BuddyFactory;
import mm.tck.junit.ObjectCacheConformanceTest;

/**
 * The ObjectCache conformance suite on SLAB, over the buddy allocator; its hand-over checks swap
 * SLAB with the reference, SLUB (mm.slub is a test dependency), both ways.
 */
class SlabConformanceTest extends ObjectCacheConformanceTest {

    @Override
    protected ObjectCacheFactory factory() {
        return new SlabFactory();
    }

    @Override
    protected FrameAllocatorFactory frameAllocatorFactory() {
        return new BuddyFactory();
    }
}

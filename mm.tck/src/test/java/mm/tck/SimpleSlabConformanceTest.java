package mm.tck;

import mm.api.frame.FrameAllocatorFactory;
import mm.api.slab.ObjectCacheFactory;
import mm.tck.junit.ObjectCacheConformanceTest;

/**
 * The ObjectCache suite grades through the contract, not an algorithm: a one-lock object cache
 * without per-CPU slabs (the lowest free object of the first slab with room) passes every check on
 * the bitmap frame allocator, and hands over to and from a second geometry (larger slabs) as its
 * reference. Also proves the JUnit adapter: one dynamic test per check.
 */
class SimpleSlabConformanceTest extends ObjectCacheConformanceTest {

    @Override
    protected ObjectCacheFactory factory() {
        return SimpleSlab.factory("simple", false);
    }

    @Override
    protected FrameAllocatorFactory frameAllocatorFactory() {
        return BitmapAllocator.factory("lowest-fit", false);
    }

    @Override
    protected ObjectCacheFactory referenceFactory() {
        return SimpleSlab.factory("simple-big", true);
    }
}

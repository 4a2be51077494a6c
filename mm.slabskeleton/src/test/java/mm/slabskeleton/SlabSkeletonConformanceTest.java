package mm.slabskeleton;

import mm.api.slab.ObjectCacheFactory;
import mm.tck.junit.ObjectCacheConformanceTest;

/**
 * The conformance suite, run at every build: each check of the ObjectCache contract is a test
 * ({@code mvn package} fails if one does). {@code mm:tck ObjectCache slabskeleton} runs the same
 * checks from the shell.
 */
class SlabSkeletonConformanceTest extends ObjectCacheConformanceTest {

    @Override
    protected ObjectCacheFactory factory() {
        return new SlabSkeletonFactory();
    }
}

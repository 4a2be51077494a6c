package mm.replay;

import mm.api.frame.FrameAllocator;
import mm.core.page.ForwardingFrameAllocator;

/**
 * The frame allocator the replay puts under the object caches: passes every call on, and counts
 * the pages the object caches hold (taken minus given back), so that the replay can account for
 * every page of the machine.
 */
final class CountingFrameAllocator extends ForwardingFrameAllocator {

    /** Pages taken minus pages given back through this allocator. */
    long held;

    CountingFrameAllocator(FrameAllocator delegate) {
        super(delegate);
    }

    @Override
    public long allocPages(int gfp, int order) {
        long pfn = delegate.allocPages(gfp, order);
        if (pfn != NO_PAGE) {
            held += 1L << order;
        }
        return pfn;
    }

    @Override
    public long allocPagesNode(int nid, int gfp, int order) {
        long pfn = delegate.allocPagesNode(nid, gfp, order);
        if (pfn != NO_PAGE) {
            held += 1L << order;
        }
        return pfn;
    }

    @Override
    public void freePages(long pfn, int order) {
        delegate.freePages(pfn, order);
        held -= 1L << order;
    }

    /** All or none: counted once the delegate freed them. */
    @Override
    public void freePagesBatched(long[] pfns) {
        delegate.freePagesBatched(pfns);
        held -= pfns.length;
    }
}

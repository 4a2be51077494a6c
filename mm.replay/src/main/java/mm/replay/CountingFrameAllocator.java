package mm.replay;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;

/**
 * The frame allocator the replay puts under the object caches: passes every call on, and counts
 * the pages the object caches hold (taken minus given back), so that the replay can account for
 * every page of the machine.
 */
final class CountingFrameAllocator implements FrameAllocator {

    private final FrameAllocator delegate;
    /** Pages taken minus pages given back through this allocator. */
    long held;

    CountingFrameAllocator(FrameAllocator delegate) {
        this.delegate = delegate;
    }

    @Override
    public String implName() {
        return delegate.implName();
    }

    @Override
    public void adopt(Handover from) {
        delegate.adopt(from);
    }

    @Override
    public Handover quiesce() {
        return delegate.quiesce();
    }

    @Override
    public List<String> check() {
        return delegate.check();
    }

    @Override
    public void forwardTo(Subsystem successor) {
        delegate.forwardTo(successor);
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

    @Override
    public long nrFree(Zone zone, int order) {
        return delegate.nrFree(zone, order);
    }

    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        return delegate.nrFree(zone, order, migratetype);
    }

    @Override
    public int pcpCount(Zone zone, int cpu) {
        return delegate.pcpCount(zone, cpu);
    }

    @Override
    public int pcpHigh(Zone zone, int cpu) {
        return delegate.pcpHigh(zone, cpu);
    }

    @Override
    public void drainAllPages() {
        delegate.drainAllPages();
    }
}

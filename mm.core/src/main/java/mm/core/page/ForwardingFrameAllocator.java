package mm.core.page;

import java.util.List;
import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;

/**
 * A frame allocator that passes every call on to another: the base of variants that change one
 * call, for instance a deliberately broken allocator that proves a check or a hand-over catches
 * what it breaks.
 */
public class ForwardingFrameAllocator implements FrameAllocator {

    /** The allocator that does the work. */
    protected final FrameAllocator delegate;

    /** Passes every call on to {@code delegate}. */
    public ForwardingFrameAllocator(FrameAllocator delegate) {
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
        return delegate.allocPages(gfp, order);
    }

    @Override
    public long allocPagesNode(int nid, int gfp, int order) {
        return delegate.allocPagesNode(nid, gfp, order);
    }

    @Override
    public void freePages(long pfn, int order) {
        delegate.freePages(pfn, order);
    }

    @Override
    public void freePagesBatched(long[] pfns) {
        delegate.freePagesBatched(pfns);
    }

    @Override
    public CompactResult compactZone(Zone zone, int order) {
        return delegate.compactZone(zone, order);
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

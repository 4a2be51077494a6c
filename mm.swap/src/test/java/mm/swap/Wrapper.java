package mm.swap;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;

/** A FrameAllocator that passes every call on: tests override the one call that misbehaves. */
class Wrapper implements FrameAllocator {

    private final FrameAllocator inner;

    Wrapper(FrameAllocator inner) {
        this.inner = inner;
    }

    @Override
    public String implName() {
        return inner.implName();
    }

    @Override
    public void adopt(Handover from) {
        inner.adopt(from);
    }

    @Override
    public Handover quiesce() {
        return inner.quiesce();
    }

    @Override
    public List<String> check() {
        return inner.check();
    }

    @Override
    public void forwardTo(Subsystem successor) {
        inner.forwardTo(successor instanceof Wrapper w ? w.inner : successor);
    }

    @Override
    public long allocPages(int gfp, int order) {
        return inner.allocPages(gfp, order);
    }

    @Override
    public long allocPagesNode(int nid, int gfp, int order) {
        return inner.allocPagesNode(nid, gfp, order);
    }

    @Override
    public void freePages(long pfn, int order) {
        inner.freePages(pfn, order);
    }

    @Override
    public long nrFree(Zone zone, int order) {
        return inner.nrFree(zone, order);
    }

    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        return inner.nrFree(zone, order, migratetype);
    }

    @Override
    public int pcpCount(Zone zone, int cpu) {
        return inner.pcpCount(zone, cpu);
    }

    @Override
    public int pcpHigh(Zone zone, int cpu) {
        return inner.pcpHigh(zone, cpu);
    }

    @Override
    public void drainAllPages() {
        inner.drainAllPages();
    }
}

package mm.broken;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import mm.core.slab.SlabGeometry;
import mm.slub.SlubAllocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * An object cache (SLUB underneath) whose kmalloc throws a NullPointerException from the third
 * call on, and whose quiesce throws too: it fails without handing its objects over.
 */
@Component(service = ObjectCache.class,
        property = {Subsystem.PROP_CONTRACT + "=" + ObjectCache.CONTRACT, Subsystem.PROP_IMPL + "=slab-throws"})
public class SlabThrows extends SlubAllocator {

    private int calls;

    @Activate
    public SlabThrows(@Reference Machine machine) {
        super(machine, null, SlabGeometry.Tunables.DEFAULT);
    }

    /** The active frame allocator, rebound when it is swapped. */
    @Reference(target = "(" + Switchboard.PROP_ACTIVE + "=true)", policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPages(FrameAllocator frames) {
        setPageAllocator(frames);
    }

    void unbindPages(FrameAllocator frames) {
        // the successor is bound first
    }

    @Override
    public String implName() {
        return "slab-throws";
    }

    @Override
    public long kmalloc(long size, int gfp) {
        if (++calls > 2) {
            throw new NullPointerException("deliberately broken: kmalloc dereferences null");
        }
        return super.kmalloc(size, gfp);
    }

    @Override
    public synchronized Handover quiesce() {
        throw new IllegalStateException("deliberately broken: quiesce always throws");
    }
}

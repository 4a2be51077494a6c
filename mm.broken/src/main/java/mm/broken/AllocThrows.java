package mm.broken;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.subsystem.Subsystem;
import mm.skeleton.SkeletonAllocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Throws a NullPointerException from every allocation, as a bug would. */
@Component(service = FrameAllocator.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=alloc-throws"})
public class AllocThrows extends SkeletonAllocator {

    @Activate
    public AllocThrows(@Reference Machine machine) {
        super(machine);
    }

    @Override
    public String implName() {
        return "alloc-throws";
    }

    @Override
    protected long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        throw new NullPointerException("deliberately broken: rmqueue dereferences null");
    }
}

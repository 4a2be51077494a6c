package mm.broken;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.subsystem.Subsystem;
import mm.skeleton.SkeletonAllocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Hands the same block out a second time: the shared allocation path must catch it (Bad page state). */
@Component(service = FrameAllocator.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=hands-twice"})
public class HandsTwice extends SkeletonAllocator {

    private long last = NO_PAGE;

    @Activate
    public HandsTwice(@Reference Machine machine) {
        super(machine);
    }

    @Override
    public String implName() {
        return "hands-twice";
    }

    @Override
    protected long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        if (last != NO_PAGE) {
            return last;
        }
        last = super.rmqueue(preferred, zone, order, migratetype, allocFlags, cpu);
        return last;
    }
}

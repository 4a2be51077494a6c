package mm.broken;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.skeleton.SkeletonAllocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Throws from {@code adopt}: the hand-over must roll back to the allocator that was active. */
@Component(service = FrameAllocator.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=adopt-throws"})
public class AdoptThrows extends SkeletonAllocator {

    @Activate
    public AdoptThrows(@Reference Machine machine) {
        super(machine);
    }

    @Override
    public String implName() {
        return "adopt-throws";
    }

    @Override
    public synchronized void adopt(Handover from) {
        throw new IllegalStateException("deliberately broken: adopt always throws");
    }
}

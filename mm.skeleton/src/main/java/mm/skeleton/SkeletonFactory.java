package mm.skeleton;

import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.api.subsystem.Subsystem;
import org.osgi.service.component.annotations.Component;

/** New allocators on machines of the caller's choice: how {@code mm:tck} grades this implementation without touching the running one. */
@Component(service = FrameAllocatorFactory.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=" + SkeletonAllocator.NAME})
public class SkeletonFactory implements FrameAllocatorFactory {

    @Override
    public String implName() {
        return SkeletonAllocator.NAME;
    }

    @Override
    public FrameAllocator create(Machine machine) {
        return new SkeletonAllocator(machine);
    }
}

package mm.buddy;

import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.api.subsystem.Subsystem;
import org.osgi.service.component.annotations.Component;

/** New, dormant buddy allocators on machines of the caller's choice: how the conformance kit grades the buddy allocator. */
@Component(service = FrameAllocatorFactory.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=" + BuddyAllocator.NAME})
public class BuddyFactory implements FrameAllocatorFactory {

    @Override
    public String implName() {
        return BuddyAllocator.NAME;
    }

    @Override
    public FrameAllocator create(Machine machine) {
        return new BuddyAllocator(machine, true, false);
    }
}

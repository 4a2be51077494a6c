package mm.bitmap;

import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.api.subsystem.Subsystem;
import org.osgi.service.component.annotations.Component;

/** New, dormant bitmap allocators on machines of the caller's choice: how the conformance kit grades the bitmap allocator. */
@Component(service = FrameAllocatorFactory.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=" + BitmapAllocator.NAME})
public class BitmapFactory implements FrameAllocatorFactory {

    @Override
    public String implName() {
        return BitmapAllocator.NAME;
    }

    @Override
    public FrameAllocator create(Machine machine) {
        return new BitmapAllocator(machine, false);
    }
}

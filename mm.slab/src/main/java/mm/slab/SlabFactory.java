package mm.slab;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.subsystem.Subsystem;
import mm.core.slab.SlabGeometry;
import org.osgi.service.component.annotations.Component;

/** New, dormant SLAB instances on machines of the caller's choice: how the conformance kit grades SLAB. */
@Component(service = ObjectCacheFactory.class,
        property = {Subsystem.PROP_CONTRACT + "=" + ObjectCache.CONTRACT, Subsystem.PROP_IMPL + "=" + SlabAllocator.NAME})
public class SlabFactory implements ObjectCacheFactory {

    @Override
    public String implName() {
        return SlabAllocator.NAME;
    }

    @Override
    public ObjectCache create(Machine machine, FrameAllocator frames) {
        return new SlabAllocator(machine, frames, SlabGeometry.Tunables.DEFAULT);
    }
}

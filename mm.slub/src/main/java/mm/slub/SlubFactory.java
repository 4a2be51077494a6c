package mm.slub;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.subsystem.Subsystem;
import mm.core.slab.SlabGeometry;
import org.osgi.service.component.annotations.Component;

/** New, dormant SLUB instances on machines of the caller's choice: how the conformance kit grades SLUB. */
@Component(service = ObjectCacheFactory.class,
        property = {Subsystem.PROP_CONTRACT + "=" + ObjectCache.CONTRACT, Subsystem.PROP_IMPL + "=" + SlubAllocator.NAME})
public class SlubFactory implements ObjectCacheFactory {

    @Override
    public String implName() {
        return SlubAllocator.NAME;
    }

    @Override
    public ObjectCache create(Machine machine, FrameAllocator frames) {
        return new SlubAllocator(machine, frames, SlabGeometry.Tunables.DEFAULT);
    }
}

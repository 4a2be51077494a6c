package mm.slabskeleton;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.subsystem.Subsystem;
import org.osgi.service.component.annotations.Component;

/** New, dormant instances on machines of the caller's choice: how the conformance kit grades this object cache. */
@Component(service = ObjectCacheFactory.class,
        property = {Subsystem.PROP_CONTRACT + "=" + ObjectCache.CONTRACT, Subsystem.PROP_IMPL + "=slabskeleton"})
public class SlabSkeletonFactory implements ObjectCacheFactory {

    @Override
    public String implName() {
        return "slabskeleton";
    }

    @Override
    public ObjectCache create(Machine machine, FrameAllocator frames) {
        return new SlabSkeletonCache(machine, frames);
    }
}

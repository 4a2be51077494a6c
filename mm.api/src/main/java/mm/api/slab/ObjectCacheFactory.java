package mm.api.slab;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes new instances of one object cache implementation, registered as a service beside it with
 * the same {@code mm.contract} and {@code mm.impl} properties. The conformance kit
 * ({@code mm:tck ObjectCache IMPL}) grades an implementation through its factory, on fresh
 * machines, without touching the one the platform runs.
 */
@ProviderType
public interface ObjectCacheFactory {

    /** The implementation's name, as its {@code mm.impl} property. */
    String implName();

    /**
     * A new object cache on {@code machine} that takes its slab pages from {@code frames}, dormant:
     * it answers calls only after {@link ObjectCache#adopt adopt} ({@code Handover.BOOT} for a
     * machine just booted, which creates the kmalloc caches).
     */
    ObjectCache create(Machine machine, FrameAllocator frames);
}

package mm.api.frame;

import mm.api.machine.Machine;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes new instances of one frame allocator implementation, registered as a service beside it
 * with the same {@code mm.contract} and {@code mm.impl} properties. The conformance kit
 * ({@code mm:tck}) grades an implementation through its factory, on fresh machines, without
 * touching the one the platform runs.
 */
@ProviderType
public interface FrameAllocatorFactory {

    /** The implementation's name, as its {@code mm.impl} property. */
    String implName();

    /**
     * A new allocator bound to {@code machine}, dormant: it answers calls only after
     * {@link FrameAllocator#adopt adopt} ({@code Handover.BOOT} for a machine just booted).
     */
    FrameAllocator create(Machine machine);
}

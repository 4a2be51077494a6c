package mm.api.machine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Boots fresh machines, apart from the one the platform runs: the conformance kit grades an
 * implementation on machines of its own. {@code mm.hw} registers it as a service, and as a
 * {@link java.util.ServiceLoader} provider for plain Java use (a student's unit tests).
 */
@ProviderType
public interface MachineFactory {

    /**
     * Boots a machine of this shape, its free memory handed to the frame table
     * ({@code memblock_free_all}); no frame allocator has adopted it yet.
     */
    Machine boot(MachineConfig config);
}

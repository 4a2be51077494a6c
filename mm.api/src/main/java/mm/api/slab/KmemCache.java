package mm.api.slab;

import org.osgi.annotation.versioning.ProviderType;

/** A cache's geometry: the fields of {@code struct kmem_cache} that /sys/kernel/slab/ shows. */
@ProviderType
public interface KmemCache {
    /** The name. */
    String name();

    /** The size the creator asked for ({@code object_size}). */
    int objectSize();

    /** The stride between objects, metadata included ({@code size}; slabinfo's objsize). */
    int size();

    /** The alignment ({@code align}). */
    int align();

    /** The {@link SlabFlags}. */
    long flags();

    /** The page order of a slab ({@code oo_order(s->oo)}). */
    int order();

    /** Objects per slab ({@code oo_objects(s->oo)}). */
    int objectsPerSlab();
}

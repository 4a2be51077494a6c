package mm.core.slab;

import mm.api.slab.KmemCache;
import mm.api.slab.ObjectConstructor;

/**
 * What every implementation knows of a cache: its name, geometry and constructor. Implementations
 * extend it with their lists and per-CPU state.
 */
public abstract class SlabCache implements KmemCache {

    private final String name;
    private final SlabGeometry geometry;
    private final ObjectConstructor ctor;
    /** The instance the cache is registered with, while it is ({@link ObjectCacheCore}). */
    volatile Object owner;

    /** A cache. */
    protected SlabCache(String name, SlabGeometry geometry, ObjectConstructor ctor) {
        this.name = name;
        this.geometry = geometry;
        this.ctor = ctor;
    }

    /** The geometry. */
    public final SlabGeometry geometry() {
        return geometry;
    }

    /** True if the cache has the flag. */
    public final boolean has(long flag) {
        return geometry.has(flag);
    }

    /** The constructor, or null. */
    public final ObjectConstructor ctor() {
        return ctor;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int objectSize() {
        return geometry.objectSize();
    }

    @Override
    public final int size() {
        return geometry.size();
    }

    @Override
    public final int align() {
        return geometry.align();
    }

    @Override
    public final long flags() {
        return geometry.flags();
    }

    @Override
    public final int order() {
        return geometry.order();
    }

    @Override
    public final int objectsPerSlab() {
        return geometry.objects();
    }

    /** Slabs of the cache now ({@code nr_slabs} over the nodes). */
    public abstract long nrSlabs();

    /** Objects in all slabs ({@code total_objects}). */
    public abstract long totalObjects();

    @Override
    public String toString() {
        return name;
    }
}

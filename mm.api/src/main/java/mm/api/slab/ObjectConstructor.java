package mm.api.slab;

import org.osgi.annotation.versioning.ConsumerType;

/** A cache's constructor, run on each object when its slab is created ({@code ctor}). */
@ConsumerType
@FunctionalInterface
public interface ObjectConstructor {
    /** Initialises the object at {@code addr}. */
    void construct(long addr);
}

package mm.tck;

import java.time.Duration;
import java.util.Objects;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.api.machine.MachineFactory;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;

/**
 * What every check of the {@link ObjectCacheConformance} suite works on: the implementation graded
 * (its factory), the factory that boots the machines, the frame allocator the object caches take
 * their slab pages from (a fresh instance per machine), the reference implementation to hand over
 * with (null if none), and the time a check may run.
 *
 * @param machines boots a fresh machine for each check
 * @param factory makes new instances of the object cache graded
 * @param frames makes the frame allocator under it (the buddy allocator's factory)
 * @param reference the reference object cache's factory, or null
 * @param timeLimit the time a check may run before it fails as hung
 */
record SlabSubject(MachineFactory machines, ObjectCacheFactory factory, FrameAllocatorFactory frames, ObjectCacheFactory reference,
        Duration timeLimit) {

    /** Validates: the machines and the factory graded are required, the time limit must be positive. */
    SlabSubject {
        Objects.requireNonNull(machines, "a MachineFactory boots the machines the checks run on");
        Objects.requireNonNull(factory, "the factory of the implementation to grade");
        Objects.requireNonNull(frames, "a FrameAllocatorFactory makes the page allocator under the object caches");
        Objects.requireNonNull(timeLimit, "the time limit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit " + timeLimit + " is not positive");
        }
    }

    /** A fresh small machine, its frame allocator and a new instance of the implementation graded, adopted at boot. */
    SlabRig rig() {
        return SlabRig.boot(this, factory);
    }

    /** A new, dormant instance of {@code f} on the rig's machine and frame allocator. */
    static ObjectCache create(ObjectCacheFactory f, Machine m, FrameAllocator frames) {
        ObjectCache c = f.create(m, frames);
        Expect.that(c != null, "the factory of '%s' returned null from create(machine, frames)", f.implName());
        return c;
    }
}

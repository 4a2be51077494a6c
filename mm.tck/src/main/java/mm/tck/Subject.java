package mm.tck;

import java.time.Duration;
import java.util.Objects;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MachineFactory;

/**
 * What every check of the {@link FrameAllocatorConformance} suite works on: the implementation
 * graded (its factory), the factory that boots the machines it runs on, the reference
 * implementation to hand over with (null if none), and the time a check may run.
 *
 * @param machines boots a fresh machine for each check
 * @param factory makes new instances of the implementation graded
 * @param reference the reference implementation's factory (the buddy allocator's), or null
 * @param timeLimit the time a check may run before it fails as hung
 */
record Subject(MachineFactory machines, FrameAllocatorFactory factory, FrameAllocatorFactory reference, Duration timeLimit) {

    /** Validates: the machines and the factory graded are required, the time limit must be positive. */
    Subject {
        Objects.requireNonNull(machines, "a MachineFactory boots the machines the checks run on");
        Objects.requireNonNull(factory, "the factory of the implementation to grade");
        Objects.requireNonNull(timeLimit, "the time limit");
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit " + timeLimit + " is not positive");
        }
    }

    /** Boots a fresh machine of this shape. */
    Machine boot(MachineConfig config) {
        return AllocatorRig.boot(machines, config);
    }

    /** A new, dormant instance of the implementation graded. */
    FrameAllocator create(Machine m) {
        return AllocatorRig.create(factory, m);
    }

    /** A fresh machine of this shape, adopted by a new instance of the implementation graded at boot. */
    AllocatorRig rig(MachineConfig config) {
        return AllocatorRig.adopt(machines, config, factory);
    }
}

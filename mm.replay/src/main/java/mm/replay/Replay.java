package mm.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MachineFactory;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.subsystem.Handover;

/**
 * A replay set up: a fresh machine of a given shape, a new frame allocator from its factory and,
 * optionally, a new object cache from its factory on top, all adopted at boot. The running machine
 * is never touched.
 */
public final class Replay {

    private final Machine machine;
    private final FrameAllocator frames;
    private final ObjectCache caches;
    private final CountingFrameAllocator slabFrames;
    private final ReplayOptions options;

    private Replay(Machine machine, FrameAllocator frames, ObjectCache caches, CountingFrameAllocator slabFrames, ReplayOptions options) {
        this.machine = machine;
        this.frames = frames;
        this.caches = caches;
        this.slabFrames = slabFrames;
        this.options = options;
    }

    /**
     * Boots a fresh machine of {@code shape} and makes the implementations on it.
     *
     * @param cacheFactory the object cache's factory, or null to leave object events out (counted as not re-enacted)
     * @throws IllegalStateException if a factory returns null
     */
    public static Replay prepare(MachineFactory machines, MachineConfig shape, FrameAllocatorFactory frameFactory,
            ObjectCacheFactory cacheFactory, ReplayOptions options) {
        Machine m = machines.boot(shape);
        if (m == null) {
            throw new IllegalStateException("the MachineFactory returned no machine for " + shape.summary());
        }
        FrameAllocator fa = frameFactory.create(m);
        if (fa == null) {
            throw new IllegalStateException("the factory of '" + frameFactory.implName() + "' returned no allocator");
        }
        fa.adopt(Handover.BOOT);
        ObjectCache oc = null;
        CountingFrameAllocator counting = null;
        if (cacheFactory != null) {
            counting = new CountingFrameAllocator(fa);
            oc = cacheFactory.create(m, counting);
            if (oc == null) {
                throw new IllegalStateException("the factory of '" + cacheFactory.implName() + "' returned no object cache");
            }
            oc.adopt(Handover.BOOT);
        }
        return new Replay(m, fa, oc, counting, options);
    }

    /** The fresh machine. */
    public Machine machine() {
        return machine;
    }

    /** The frame allocator replayed through. */
    public FrameAllocator frames() {
        return frames;
    }

    /** The object cache replayed through, or null. */
    public ObjectCache caches() {
        return caches;
    }

    /** Replays a trace file (plain or .xz). Once per Replay: the machine keeps what the trace left. */
    public ReplayReport run(Path file, Consumer<String> progress) throws IOException {
        try (TraceInput in = TraceInput.open(file)) {
            return run(in, String.valueOf(file.getFileName()), progress);
        }
    }

    /** Replays an opened trace. */
    public ReplayReport run(TraceInput in, String source, Consumer<String> progress) throws IOException {
        return new Replayer(machine, frames, caches, slabFrames, options).run(in, source, progress);
    }
}

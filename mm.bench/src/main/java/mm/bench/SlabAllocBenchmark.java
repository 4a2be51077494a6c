package mm.bench;

import java.util.concurrent.TimeUnit;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyAllocator;
import mm.core.slab.SlabGeometry;
import mm.hw.machine.MachineImpl;
import mm.slub.SlubAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code kmalloc} + {@code kfree} pairs per second on the default machine: SLUB called directly,
 * SLUB as the active {@code ObjectCache} service of the real bundles in Felix, and
 * {@code kmem_cache_alloc} + {@code kmem_cache_free} on a cache of its own.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SlabAllocBenchmark {

    /** SLUB on the buddy allocator, constructed directly. */
    @State(Scope.Benchmark)
    public static class Direct {
        ObjectCache slab;
        KmemCache cache;

        @Setup(Level.Trial)
        public void boot() {
            MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT);
            SlubAllocator s = new SlubAllocator(m, new BuddyAllocator(m), SlabGeometry.Tunables.DEFAULT);
            s.adopt(Handover.BOOT);
            slab = s;
            cache = s.kmemCacheCreate("bench-64", 64, 0, 0, null);
        }
    }

    /** SLUB as the ObjectCache service in Felix. */
    @State(Scope.Benchmark)
    public static class Service {
        EmbeddedPlatform platform;
        ObjectCache slab;

        @Setup(Level.Trial)
        public void start() throws Exception {
            platform = new EmbeddedPlatform("4G", 4, jar -> !jar.equals("mm.bitmap.jar"));
            slab = platform.service(ObjectCache.class, "(mm.active=true)");
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            platform.close();
        }
    }

    @Benchmark
    public long kmallocDirect(Direct s) {
        long p = s.slab.kmalloc(64, Gfp.GFP_KERNEL);
        s.slab.kfree(p);
        return p;
    }

    @Benchmark
    public long kmallocService(Service s) {
        long p = s.slab.kmalloc(64, Gfp.GFP_KERNEL);
        s.slab.kfree(p);
        return p;
    }

    @Benchmark
    public long kmemCacheDirect(Direct s) {
        long p = s.slab.kmemCacheAlloc(s.cache, Gfp.GFP_KERNEL);
        s.slab.kmemCacheFree(s.cache, p);
        return p;
    }
}

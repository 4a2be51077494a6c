package mm.bench;

import java.util.concurrent.TimeUnit;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
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
 * Order-0 allocation + free pairs per second on the default machine (x86_64, 4 GiB, 4 CPUs): the
 * buddy allocator called directly, the same allocator through its OSGi service in Felix, the
 * buddy lists alone (no per-CPU lists), and a trivial Java free list of pfns as the floor of what
 * a page allocator costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PageAllocBenchmark {

    /** The buddy allocator, constructed directly on a booted machine. */
    @State(Scope.Benchmark)
    public static class Direct {
        FrameAllocator frames;

        @Setup(Level.Trial)
        public void boot() {
            frames = new BuddyAllocator(MachineImpl.boot(MachineConfig.DEFAULT));
        }
    }

    /** The buddy allocator without per-CPU lists: every pair splits and merges through the zone's free lists. */
    @State(Scope.Benchmark)
    public static class BuddyListsOnly {
        FrameAllocator frames;

        @Setup(Level.Trial)
        public void boot() {
            frames = new BuddyAllocator(MachineImpl.boot(MachineConfig.DEFAULT), false);
        }
    }

    /** The buddy allocator as the FrameAllocator service of the real bundles in Felix. */
    @State(Scope.Benchmark)
    public static class Service {
        EmbeddedPlatform platform;
        FrameAllocator frames;

        @Setup(Level.Trial)
        public void start() throws Exception {
            // the buddy allocator alone, as in the direct benchmark: with a second allocator class loaded the JIT can no
            // longer bind PageAllocatorCore's calls to the buddy's methods by class hierarchy, in either benchmark
            platform = new EmbeddedPlatform("4G", 4, jar -> !jar.equals("mm.bitmap.jar"));
            frames = platform.service(FrameAllocator.class, "(mm.active=true)");
        }

        @TearDown(Level.Trial)
        public void stop() throws Exception {
            platform.close();
        }
    }

    /** The baseline: free pfns on an int stack, pop to allocate, push to free. */
    @State(Scope.Benchmark)
    public static class Baseline {
        int[] stack;
        int top;

        @Setup(Level.Trial)
        public void fill() {
            stack = new int[1 << 20];
            for (int i = 0; i < stack.length; i++) {
                stack[i] = stack.length - i;
            }
            top = stack.length;
        }

        int alloc() {
            return top == 0 ? -1 : stack[--top];
        }

        void free(int pfn) {
            stack[top++] = pfn;
        }
    }

    @Benchmark
    public long direct(Direct s) {
        long pfn = s.frames.allocPages(Gfp.GFP_KERNEL, 0);
        s.frames.freePages(pfn, 0);
        return pfn;
    }

    @Benchmark
    public long buddyListsOnly(BuddyListsOnly s) {
        long pfn = s.frames.allocPages(Gfp.GFP_KERNEL, 0);
        s.frames.freePages(pfn, 0);
        return pfn;
    }

    @Benchmark
    public long service(Service s) {
        long pfn = s.frames.allocPages(Gfp.GFP_KERNEL, 0);
        s.frames.freePages(pfn, 0);
        return pfn;
    }

    @Benchmark
    public int baseline(Baseline s) {
        int pfn = s.alloc();
        s.free(pfn);
        return pfn;
    }
}

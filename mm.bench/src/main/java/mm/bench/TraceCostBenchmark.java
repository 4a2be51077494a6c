package mm.bench;

import java.util.concurrent.TimeUnit;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What the kmem tracepoints cost: order-0 alloc+free pairs and kmalloc(64)+kfree pairs on the
 * buddy allocator and SLUB constructed directly (as PageAllocBenchmark.direct and
 * SlabAllocBenchmark.kmallocDirect), with tracing {@code off} (every event disabled: one volatile
 * read per tracepoint passed) and {@code on} (every kmem event enabled, records formatted into the
 * machine's ring buffer, which wraps).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TraceCostBenchmark {

    /** The machine, its buddy allocator and SLUB on top, tracing off or on. */
    @State(Scope.Benchmark)
    public static class Traced {
        @Param({"off", "on"})
        public String tracing;

        FrameAllocator frames;
        ObjectCache slab;

        @Setup(Level.Trial)
        public void boot() {
            MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT);
            BuddyAllocator b = new BuddyAllocator(m);
            SlubAllocator s = new SlubAllocator(m, b, SlabGeometry.Tunables.DEFAULT);
            s.adopt(Handover.BOOT);
            frames = b;
            slab = s;
            m.tracer().setEnabled("kmem:*", tracing.equals("on"));
        }
    }

    @Benchmark
    public long order0Pair(Traced s) {
        long pfn = s.frames.allocPages(Gfp.GFP_KERNEL, 0);
        s.frames.freePages(pfn, 0);
        return pfn;
    }

    @Benchmark
    public long kmallocPair(Traced s) {
        long p = s.slab.kmalloc(64, Gfp.GFP_KERNEL);
        s.slab.kfree(p);
        return p;
    }
}

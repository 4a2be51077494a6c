package mm.bench;

import java.util.concurrent.TimeUnit;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Allocation cost against the machine's size: the buddy allocator (per-CPU lists on) called
 * directly on a booted x86_64 machine of 1 GiB and of 256 GiB (4 CPUs, 1 node). Order-0
 * GFP_KERNEL alloc+free pairs, and a mix of orders 0-3 where 64 blocks stay live and each
 * operation frees the oldest and allocates the next order of 0, 1, 2, 3 in turn. The target is
 * that the large machine costs at most 1.2x the small one per operation.
 *
 * <p>The 256 GiB machine's frame table takes about 1 GB of heap (about 15 bytes a frame): the
 * fork runs with {@code -Xmx3g} so that the benchmark does not depend on the default heap, a
 * quarter of the host's memory.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class MachineSizeBenchmark {

    /** A booted machine of the size given, the buddy allocator adopted. */
    @State(Scope.Benchmark)
    public static class Machine {
        @Param({"1", "256"})
        public int gib;

        FrameAllocator frames;
        final long[] live = new long[64];
        final int[] liveOrder = new int[64];
        int next;

        @Setup(Level.Trial)
        public void boot() {
            frames = new BuddyAllocator(MachineImpl.boot(new MachineConfig(Arch.X86_64, (long) gib << 30, 4, 1, 0)));
            for (int i = 0; i < live.length; i++) {
                liveOrder[i] = i & 3;
                live[i] = frames.allocPages(Gfp.GFP_KERNEL, liveOrder[i]);
            }
        }
    }

    @Benchmark
    public long order0Pairs(Machine s) {
        long pfn = s.frames.allocPages(Gfp.GFP_KERNEL, 0);
        s.frames.freePages(pfn, 0);
        return pfn;
    }

    @Benchmark
    public long ordersMixed(Machine s) {
        int i = s.next;
        s.next = (i + 1) & 63;
        s.frames.freePages(s.live[i], s.liveOrder[i]);
        long pfn = s.frames.allocPages(Gfp.GFP_KERNEL, s.liveOrder[i]);
        s.live[i] = pfn;
        return pfn;
    }
}

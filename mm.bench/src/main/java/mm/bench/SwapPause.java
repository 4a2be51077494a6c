package mm.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.subsystem.Switchboard;

/**
 * The pause callers see while the frame allocator of a 4 GiB machine is swapped under load. The
 * real bundles run in Felix (switchboard, buddy, bitmap); two threads, on simulated CPUs 0 and 1,
 * allocate and free blocks of orders 0 to 3 without stopping, through the allocator they were
 * given before the swaps (calls during a swap wait, calls after it are forwarded), while the
 * switchboard swaps buddy and bitmap back and forth. For each swap it records the switchboard's
 * own pause (quiesce to forward) and the longest call any load thread saw meanwhile.
 *
 * <p>Run alone: {@code java -cp mm.bench/target/benchmarks.jar mm.bench.SwapPause [SWAPS]}.
 */
public final class SwapPause {

    /** Swaps measured; as many again warm the code up first. */
    static final int DEFAULT_SWAPS = 40;

    /** The figures: milliseconds, per swap. */
    record Result(double[] switchboardMs, double[] callersMs, long calls) {
        static double median(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s[s.length / 2];
        }

        static double max(double[] v) {
            return Arrays.stream(v).max().orElse(0);
        }

        static double p90(double[] v) {
            double[] s = v.clone();
            Arrays.sort(s);
            return s[(int) Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)];
        }
    }

    private SwapPause() {
    }

    public static void main(String[] args) throws Exception {
        int swaps = args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_SWAPS;
        print(measure(swaps));
    }

    static void print(Result r) {
        System.out.println("swap pause, 4 GiB machine, buddy <-> bitmap, 2 threads allocating orders 0-3 ("
                + r.switchboardMs().length + " swaps measured, " + r.calls() + " calls)");
        System.out.printf("  switchboard pause (quiesce to forward)  median %.2f ms   p90 %.2f ms   max %.2f ms%n",
                Result.median(r.switchboardMs()), Result.p90(r.switchboardMs()), Result.max(r.switchboardMs()));
        System.out.printf("  longest call a caller saw in a swap     median %.2f ms   p90 %.2f ms   max %.2f ms   target <= 20 ms%n",
                Result.median(r.callersMs()), Result.p90(r.callersMs()), Result.max(r.callersMs()));
    }

    static Result measure(int swaps) throws Exception {
        try (EmbeddedPlatform platform = new EmbeddedPlatform("4G", 4)) {
            Switchboard sb = platform.service(Switchboard.class);
            Machine machine = platform.service(Machine.class);
            FrameAllocator frames = platform.service(FrameAllocator.class, "(mm.active=true)");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong longestNanos = new AtomicLong();
            AtomicLong calls = new AtomicLong();
            List<Thread> load = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                final int cpu = t;
                Thread th = new Thread(() -> machine.runOn(cpu, () -> {
                    run(frames, stop, longestNanos, calls);
                    return null;
                }), "swap-load-" + t);
                th.setDaemon(true);
                load.add(th);
                th.start();
            }
            double[] board = new double[swaps];
            double[] callers = new double[swaps];
            for (int i = -swaps; i < swaps; i++) {
                Thread.sleep(20);
                longestNanos.set(0);
                Switchboard.Swap s = sb.use(FrameAllocator.CONTRACT, (i & 1) == 0 ? "bitmap" : "buddy");
                Thread.sleep(5);
                if (i >= 0) {
                    board[i] = s.pauseNanos() / 1e6;
                    callers[i] = longestNanos.get() / 1e6;
                }
            }
            stop.set(true);
            for (Thread th : load) {
                th.join(10_000);
            }
            sb.use(FrameAllocator.CONTRACT, "buddy");
            return new Result(board, callers, calls.get());
        }
    }

    /** Allocates and frees without stopping, keeping up to 256 blocks, timing each call. */
    private static void run(FrameAllocator frames, AtomicBoolean stop, AtomicLong longest, AtomicLong calls) {
        long[] held = new long[256];
        int[] orders = new int[256];
        int n = 0;
        long i = 0;
        while (!stop.get()) {
            long t0 = System.nanoTime();
            if (n < held.length && (i & 1) == 0) {
                int order = (int) (i % 4);
                long pfn = frames.allocPages(Gfp.GFP_KERNEL, order);
                if (pfn != FrameAllocator.NO_PAGE) {
                    held[n] = pfn;
                    orders[n++] = order;
                }
            } else if (n > 0) {
                n--;
                frames.freePages(held[n], orders[n]);
            }
            long d = System.nanoTime() - t0;
            longest.accumulateAndGet(d, Math::max);
            i++;
        }
        calls.addAndGet(i);
        while (n > 0) {
            n--;
            frames.freePages(held[n], orders[n]);
        }
    }
}

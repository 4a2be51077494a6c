package mm.bench;

import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The one command of the benchmarks: {@code java -jar mm.bench/target/benchmarks.jar}. Runs the
 * JMH throughput benchmarks on one thread (among them the allocation cost on a 1 GiB against a
 * 256 GiB machine, {@link MachineSizeBenchmark}), then measures heap bytes per frame of a 64 GiB machine
 * ({@link HeapPerFrame}), the pause of a live swap ({@link SwapPause}), heap bytes per live kmalloc-64
 * object ({@link HeapPerObject}), the replay speed of the captured trace when it is readable
 * ({@link ReplaySpeed}) and the compaction speed ({@link CompactionSpeed}), and prints the figures
 * beside the targets. Arguments, if any, go to JMH instead (for example
 * {@code -l} to list, or a benchmark name).
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        Options opts = new OptionsBuilder()
                .include(PageAllocBenchmark.class.getName())
                .include(MachineSizeBenchmark.class.getName())
                .include(SlabAllocBenchmark.class.getName())
                .include(TraceCostBenchmark.class.getName())
                .forks(1).threads(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .build();
        Collection<RunResult> results = new Runner(opts).run();
        Map<String, Double> score = new TreeMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark();
            String param = r.getParams().getParam("gib");
            if (param == null) {
                param = r.getParams().getParam("tracing");
            }
            score.put(name.substring(name.lastIndexOf('.') + 1) + (param == null ? "" : ":" + param), r.getPrimaryResult().getScore());
        }
        HeapPerFrame.Result heap = HeapPerFrame.measure(64L << 30);
        SwapPause.Result swap = SwapPause.measure(SwapPause.DEFAULT_SWAPS);
        HeapPerObject.Result perObject = HeapPerObject.measure(64, 1_000_000);
        java.nio.file.Path trace = java.nio.file.Paths.get(ReplaySpeed.DEFAULT_TRACE);
        ReplaySpeed.Result replay = java.nio.file.Files.isReadable(trace) ? ReplaySpeed.measure(trace, ReplaySpeed.DEFAULT_ROUNDS) : null;
        CompactionSpeed.Result compaction = CompactionSpeed.measure(CompactionSpeed.DEFAULT_ROUNDS);

        double direct = score.getOrDefault("direct", 0.0);
        double service = score.getOrDefault("service", 0.0);
        double baseline = score.getOrDefault("baseline", 0.0);
        double buddyOnly = score.getOrDefault("buddyListsOnly", 0.0);
        System.out.println();
        System.out.println("mm-platform benchmarks (order-0 alloc+free pairs, one thread; 4 GiB machine)");
        System.out.printf("  direct call        %,14.0f pairs/s   target >= 20,000,000%n", direct);
        System.out.printf("  OSGi service       %,14.0f pairs/s   service/direct cost %.3fx (target <= 1.05x)%n", service,
                direct / Math.max(service, 1));
        System.out.printf("  buddy lists only   %,14.0f pairs/s   (no per-CPU lists: split and merge every time)%n", buddyOnly);
        System.out.printf("  Java free list     %,14.0f pairs/s   (baseline: the buddy costs %.1fx a bare free list)%n",
                baseline, baseline / Math.max(direct, 1));
        System.out.println("heap per frame, 64 GiB machine, buddy allocator adopted");
        System.out.printf("  %,d frames in the table (%,d present): %,d heap bytes = %.2f bytes/frame (%.2f per present frame), "
                + "frame table's own account %,d bytes; target <= 16%n", heap.frames(), heap.presentFrames(), heap.heapBytes(),
                heap.perFrame(), heap.perPresentFrame(), heap.tableBytes());
        System.out.println("allocation cost against machine size (buddy, direct, 4 CPUs; ops/s, cost = small/large)");
        for (String bench : new String[] {"order0Pairs", "ordersMixed"}) {
            double small = score.getOrDefault(bench + ":1", 0.0);
            double large = score.getOrDefault(bench + ":256", 0.0);
            System.out.printf("  %-12s 1 GiB %,14.0f   256 GiB %,14.0f   256 GiB costs %.2fx (target <= 1.2x)%n", bench, small, large,
                    small / Math.max(large, 1));
        }
        SwapPause.print(swap);
        System.out.println("kmalloc(64) + kfree pairs, one thread, SLUB on the buddy allocator");
        System.out.printf("  direct call        %,14.0f pairs/s   target >= 20,000,000%n", score.getOrDefault("kmallocDirect", 0.0));
        System.out.printf("  OSGi service       %,14.0f pairs/s   target >= 20,000,000%n", score.getOrDefault("kmallocService", 0.0));
        System.out.printf("  kmem_cache direct  %,14.0f pairs/s   (a cache of its own: no size-class lookup)%n",
                score.getOrDefault("kmemCacheDirect", 0.0));
        System.out.println("kmem tracepoints (buddy + SLUB called directly; off: every event disabled, on: every kmem event recorded)");
        System.out.printf("  order-0 pairs      %,14.0f off  %,14.0f on  pairs/s%n", score.getOrDefault("order0Pair:off", 0.0),
                score.getOrDefault("order0Pair:on", 0.0));
        System.out.printf("  kmalloc(64) pairs  %,14.0f off  %,14.0f on  pairs/s%n", score.getOrDefault("kmallocPair:off", 0.0),
                score.getOrDefault("kmallocPair:on", 0.0));
        System.out.printf("heap per live object: %,d kmalloc-64 objects cost %,d heap bytes = %.2f bytes/object%n", perObject.objects(),
                perObject.heapBytes(), perObject.perObject());
        if (replay != null) {
            ReplaySpeed.print(replay);
        } else {
            System.out.println("replay speed: not measured (" + trace + " not found: run from the repository's root)");
        }
        CompactionSpeed.print(compaction);
    }
}

package mm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Objects;
import mm.api.machine.MachineConfig;
import mm.buddy.BuddyFactory;
import mm.hw.machine.MachineFactoryImpl;
import mm.replay.Replay;
import mm.replay.ReplayOptions;
import mm.replay.ReplayReport;
import mm.replay.TraceInput;
import mm.replay.TraceParser;
import mm.slub.SlubFactory;

/**
 * Replay speed: events per second of {@code mm.replay} on the plain-text kernel trace (parse and
 * simulate: the buddy allocator and SLUB on a fresh default machine, 4 GiB). Each round boots a
 * fresh machine (not timed), then replays the whole trace from memory (timed: reading the lines,
 * parsing, re-enacting, sampling fragmentation). Also the parser alone.
 *
 * <pre>
 * java -cp mm.bench/target/benchmarks.jar mm.bench.ReplaySpeed [FILE [ROUNDS]]
 * </pre>
 */
public final class ReplaySpeed {

    /** The real capture, from the repository's root. */
    static final String DEFAULT_TRACE = "mm.testdata/src/main/resources/kernel-data/trace/kmem-sample-java-version.txt";
    static final int DEFAULT_ROUNDS = 100;

    /** Events per second: the median and the best measured round (after as many warm-up rounds). */
    public record Result(long events, double median, double best, double parseOnlyMedian, long sink) {
    }

    private ReplaySpeed() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Paths.get(args.length > 0 ? args[0] : DEFAULT_TRACE);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_ROUNDS;
        print(measure(file, rounds));
    }

    public static Result measure(Path file, int rounds) throws IOException {
        byte[] text = Files.readAllBytes(file);
        ReplayOptions opts = new ReplayOptions(9, 1000, Long.MAX_VALUE);
        MachineFactoryImpl machines = new MachineFactoryImpl();
        double[] rates = new double[rounds];
        double[] parse = new double[rounds];
        long events = 0;
        long sink = 0; // every parsed event folded in and printed, so that no parse can be optimized away
        for (int i = 0; i < 2 * rounds; i++) {
            Replay r = Replay.prepare(machines, MachineConfig.DEFAULT, new BuddyFactory(), new SlubFactory(), opts);
            System.gc(); // the boot's garbage, not the replay's
            ReplayReport rep = r.run(TraceInput.of(text), "bench", null);
            events = rep.parse().events();
            long t0 = System.nanoTime();
            TraceParser p = new TraceParser();
            try (TraceInput in = TraceInput.of(text)) {
                String line;
                while ((line = in.readLine()) != null) {
                    sink = 31 * sink + Objects.hashCode(p.parse(line));
                }
            }
            long parseNs = System.nanoTime() - t0;
            if (i >= rounds) {
                rates[i - rounds] = rep.eventsPerSecond();
                parse[i - rounds] = p.stats().events() * 1e9 / parseNs;
            }
        }
        Arrays.sort(rates);
        Arrays.sort(parse);
        return new Result(events, rates[rounds / 2], rates[rounds - 1], parse[rounds / 2], sink);
    }

    static void print(Result r) {
        System.out.println("replay of the plain-text kernel trace (" + r.events() + " events), buddy + SLUB, fresh 4 GiB machine");
        System.out.printf("  parse + simulate   %,14.0f events/s median, %,.0f best   target >= 2,000,000%n", r.median(), r.best());
        System.out.printf("  parse alone        %,14.0f events/s median (sink %x)%n", r.parseOnlyMedian(), r.sink());
    }
}

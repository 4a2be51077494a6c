package mm.bench;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import mm.api.frame.CompactResult;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MovableOps;
import mm.api.machine.Zone;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
import mm.tck.Fragmentation;

/**
 * Compaction speed: a fresh 4 GiB machine (buddy allocator, per-CPU lists) filled with movable
 * order-0 pages, every other one freed and the per-CPU lists drained (not timed); then every zone
 * compacted as {@code compact_memory} does (timed). Prints pages migrated per second and frames
 * scanned (migrate and free scanners) per second: the median and best of the measured rounds,
 * after as many warm-up rounds.
 *
 * <pre>
 * java -cp mm.bench/target/benchmarks.jar mm.bench.CompactionSpeed [ROUNDS]
 * </pre>
 */
public final class CompactionSpeed {

    private static final int OWNER = 4242;

    private CompactionSpeed() {
    }

    /** The owner's side of migration: a set of the pages it holds. */
    private static final class Owner implements MovableOps {
        final Set<Long> held = new HashSet<>();

        @Override
        public boolean isolatePage(long pfn, int order) {
            return held.contains(pfn);
        }

        @Override
        public void migratePage(long src, long dst, int order) {
            held.remove(src);
            held.add(dst);
        }

        @Override
        public void putbackPage(long pfn, int order) {
        }
    }

    /** Pages migrated and frames scanned per second: medians and bests of the measured rounds. */
    public record Result(long pagesPerRound, double migratedMedian, double migratedBest, double scannedMedian, double scannedBest) {
    }

    /** The default number of rounds (and as many warm-up rounds before them). */
    static final int DEFAULT_ROUNDS = 10;

    public static void main(String[] args) throws Exception {
        print(measure(args.length > 0 ? Integer.parseInt(args[0]) : DEFAULT_ROUNDS));
    }

    public static Result measure(int rounds) throws Exception {
        double[] migrated = new double[rounds];
        double[] scanned = new double[rounds];
        long pages = 0;
        for (int r = -rounds; r < rounds; r++) {
            Machine m = MachineImpl.boot(MachineConfig.DEFAULT);
            BuddyAllocator b = new BuddyAllocator(m);
            Owner owner = new Owner();
            m.registerMovableOps(OWNER, owner);
            fragment(m, b, owner);
            long start = System.nanoTime();
            long moved = 0;
            long looked = 0;
            for (Zone z : m.zones()) {
                CompactResult c = b.compactZone(z, -1);
                moved += c.migrated();
                looked += c.migrateScanned() + c.freeScanned();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (r >= 0) {
                migrated[r] = moved / seconds;
                scanned[r] = looked / seconds;
                pages = moved;
            }
        }
        Arrays.sort(migrated);
        Arrays.sort(scanned);
        return new Result(pages, migrated[rounds / 2], migrated[rounds - 1], scanned[rounds / 2], scanned[rounds - 1]);
    }

    /** Movable order-0 pages on every free frame, then every other one (by pfn) freed and the per-CPU lists drained. */
    private static void fragment(Machine m, BuddyAllocator b, Owner owner) {
        owner.held.addAll(Fragmentation.everyOtherPageFree(b, m.frames(), OWNER));
    }

    static void print(Result r) {
        System.out.println("compaction of a fragmented 4 GiB machine (every other page free), buddy, compact_memory");
        System.out.printf("  pages migrated     %,14.0f pages/s median, %,.0f best (%,d pages a round)%n", r.migratedMedian(),
                r.migratedBest(), r.pagesPerRound());
        System.out.printf("  frames scanned     %,14.0f frames/s median, %,.0f best%n", r.scannedMedian(), r.scannedBest());
    }
}

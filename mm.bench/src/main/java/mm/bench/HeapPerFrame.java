package mm.bench;

import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.Node;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;

/**
 * Heap bytes per simulated frame of a booted 64 GiB machine with the buddy allocator: measured as
 * the growth of the used heap after full collections, and as the frame table's own account.
 */
public final class HeapPerFrame {

    /** The measured figures. */
    record Result(long frames, long presentFrames, long heapBytes, long tableBytes) {
        double perFrame() {
            return (double) heapBytes / frames;
        }

        double perPresentFrame() {
            return (double) heapBytes / presentFrames;
        }
    }

    private HeapPerFrame() {
    }

    /** Just the memory figure: {@code java -cp mm.bench/target/benchmarks.jar mm.bench.HeapPerFrame [GiB]}. */
    public static void main(String[] args) {
        long gib = args.length > 0 ? Long.parseLong(args[0]) : 64;
        Result r = measure(gib << 30);
        System.out.printf("%d GiB machine: %,d frames in the table (%,d present), %,d heap bytes: %.2f bytes/frame "
                + "(%.2f per present frame); the frame table accounts for %,d bytes%n", gib, r.frames(), r.presentFrames(),
                r.heapBytes(), r.perFrame(), r.perPresentFrame(), r.tableBytes());
    }

    /** The heap a collection leaves in use (the least of five). */
    static long usedAfterGc() {
        return usedAfterGc(ManagementFactory.getMemoryMXBean());
    }

    static Result measure(long memBytes) {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(mx);
        MachineImpl machine = MachineImpl.boot(new MachineConfig(Arch.X86_64, memBytes, 4, 1, 0));
        BuddyAllocator frames = new BuddyAllocator(machine);
        long after = usedAfterGc(mx);
        long present = 0;
        for (Node n : machine.nodes()) {
            present += n.presentPages();
        }
        long tableFrames = machine.frames().endPfn() - machine.frames().startPfn();
        Result r = new Result(tableFrames, present, after - before, machine.frames().heapBytes());
        Reference.reachabilityFence(frames); // the allocator (and its machine) measured alive, not collected
        Reference.reachabilityFence(machine);
        return r;
    }

    private static long usedAfterGc(MemoryMXBean mx) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return used;
    }
}

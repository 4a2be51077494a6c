package mm.bench;

import java.lang.ref.Reference;
import mm.api.frame.Gfp;
import mm.api.machine.MachineConfig;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyAllocator;
import mm.core.slab.SlabGeometry;
import mm.hw.machine.MachineImpl;
import mm.slub.SlubAllocator;

/**
 * Heap bytes of overhead per live kmalloc object with SLUB: the heap the simulator spends to keep
 * a million objects of a size allocated (slab descriptors and free chains), per object.
 */
public final class HeapPerObject {

    /** The figures for one size. */
    record Result(int size, long objects, long heapBytes) {
        double perObject() {
            return (double) heapBytes / objects;
        }
    }

    private HeapPerObject() {
    }

    /** {@code java -cp mm.bench/target/benchmarks.jar mm.bench.HeapPerObject [SIZE [COUNT]]}. */
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        long count = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        Result r = measure(size, count);
        System.out.printf("%,d kmalloc-%d objects: %,d heap bytes, %.2f bytes per object%n", r.objects(), size, r.heapBytes(), r.perObject());
    }

    static Result measure(int size, long count) {
        MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT);
        SlubAllocator slub = new SlubAllocator(m, new BuddyAllocator(m), SlabGeometry.Tunables.DEFAULT);
        slub.adopt(Handover.BOOT);
        long before = HeapPerFrame.usedAfterGc();
        long[] keep = new long[(int) count];
        long arrayBytes = 16 + 8L * count;
        for (int i = 0; i < count; i++) {
            keep[i] = slub.kmalloc(size, Gfp.GFP_KERNEL);
        }
        long after = HeapPerFrame.usedAfterGc();
        if (keep[(int) count - 1] == 0) {
            throw new IllegalStateException("out of memory after " + count + " objects of " + size + " bytes");
        }
        Reference.reachabilityFence(slub); // the allocator (and its machine) measured alive, not collected
        Reference.reachabilityFence(m);
        return new Result(size, count, after - before - arrayBytes);
    }
}

package mm.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;

/**
 * A seeded random walk of allocations and frees on one frame allocator, for an implementation's
 * own stress tests: biased towards allocating for the first half and freeing for the second, so
 * that the run reaches the watermarks and fragments the zones. Every few steps it checks what
 * every allocator must keep (the allocator's {@code check()}, and no frame lost: free pages plus
 * pages held equal the managed pages) and lets the caller check its own indexes; at the end it
 * frees everything. A broken invariant is an {@link AssertionError} naming the step.
 */
public final class RandomWalk {

    /** The flags of the walk, common ones and zone-restricted ones. */
    static final int[] GFPS = {Gfp.GFP_KERNEL, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
        Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT, Gfp.GFP_DMA, Gfp.GFP_DMA32, Gfp.GFP_KERNEL | Gfp.__GFP_HIGH};

    private RandomWalk() {
    }

    /**
     * Walks {@code steps} steps from {@code seed}, checking every {@code checkEvery} steps (and
     * calling {@code atCheck} with the step), then frees every block still held.
     *
     * @return how many allocations failed (the walk reached the watermarks if it is above 0)
     */
    public static int run(Machine machine, FrameAllocator a, long seed, int steps, int checkEvery, IntConsumer atCheck) {
        long managed = machine.totalramPages();
        Random rnd = new Random(seed);
        List<long[]> held = new ArrayList<>();
        long heldPages = 0;
        int failures = 0;
        for (int step = 1; step <= steps; step++) {
            boolean alloc = held.isEmpty() || rnd.nextInt(100) < (step < steps / 2 ? 65 : 35);
            if (alloc) {
                int order = randomOrder(rnd);
                long pfn = a.allocPages(GFPS[rnd.nextInt(GFPS.length)], order);
                if (pfn == FrameAllocator.NO_PAGE) {
                    failures++;
                } else {
                    Expect.that((pfn & ((1L << order) - 1)) == 0, "step " + step + ": pfn 0x" + Long.toHexString(pfn) + " is not aligned to order " + order);
                    Expect.that(machine.frames().refcount(pfn) == 1, "step " + step + ": pfn 0x" + Long.toHexString(pfn) + " has count "
                            + machine.frames().refcount(pfn) + ", not 1");
                    held.add(new long[] {pfn, order});
                    heldPages += 1L << order;
                }
            } else {
                long[] h = held.remove(rnd.nextInt(held.size()));
                a.freePages(h[0], (int) h[1]);
                heldPages -= 1L << h[1];
            }
            if (step % checkEvery == 0) {
                List<String> problems = a.check();
                Expect.that(problems.isEmpty(), "step " + step + ": " + problems);
                long free = FrameCensus.total(FrameCensus.accountedFree(machine, a));
                Expect.that(free + heldPages == managed, "step " + step + ": " + free + " free + " + heldPages + " held != " + managed + " managed");
                atCheck.accept(step);
            }
        }
        for (long[] h : held) {
            a.freePages(h[0], (int) h[1]);
        }
        return failures;
    }

    /** Orders 0 most often, then 1–3, rarely up to 10. */
    static int randomOrder(Random rnd) {
        int r = rnd.nextInt(100);
        return r < 70 ? 0 : r < 95 ? 1 + rnd.nextInt(3) : rnd.nextInt(FrameAllocator.NR_PAGE_ORDERS);
    }

}

package mm.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongConsumer;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;

/**
 * How the checks drive an implementation through an {@link AllocatorRig}: a seeded mix of
 * allocations and frees of varied orders and flags, allocating until nothing is left, and an
 * allocation that must succeed. Every call goes through the rig, so every block is verified as it
 * returns and every free as it gives its pages back. Randomness comes from {@link #SEED}: a run is
 * the same every time.
 */
final class Workload {

    /** The seed of every check's randomness (each check adds its own offset). */
    static final long SEED = 0x6d6d2d74636bL;
    /** Flags that ignore the watermarks ({@code ALLOC_NO_WATERMARKS}): every free frame is within reach. */
    static final int NO_WATERMARKS = Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC;
    /** The flags of a mixed workload, the common ones most often. */
    static final int[] MIX_GFP = {
        Gfp.GFP_KERNEL, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL, Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT, Gfp.GFP_DMA32,
        Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE, Gfp.GFP_DMA,
        Gfp.GFP_KERNEL | Gfp.__GFP_COMP, Gfp.GFP_USER | Gfp.__GFP_ZERO,
    };

    private Workload() {
    }

    /** {@code allocPages} through the rig, failing the check if it returns NO_PAGE where plenty of memory is free. */
    static long mustAlloc(AllocatorRig rig, int gfp, int order) {
        long pfn = rig.alloc(gfp, order);
        Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(%s, %d) returned NO_PAGE on a machine with plenty of free memory",
                Gfp.format(gfp), order);
        return pfn;
    }

    /**
     * Allocates until NO_PAGE, and once more after {@code drainAllPages()} (pages on another CPU's
     * per-CPU lists are out of reach until drained), until that fails too.
     *
     * @param nid the node for allocPagesNode, or -1 for allocPages
     */
    static List<Long> exhaust(AllocatorRig rig, int nid, int gfp, int order, long bound, String what) {
        return exhaust(rig, nid, gfp, order, bound, what, pfn -> { });
    }

    /** {@link #exhaust}, showing each block to {@code each} as it comes. */
    static List<Long> exhaust(AllocatorRig rig, int nid, int gfp, int order, long bound, String what, LongConsumer each) {
        List<Long> got = new ArrayList<>();
        long pages = 0;
        while (true) {
            long pfn = nid < 0 ? rig.alloc(gfp, order) : rig.allocNode(nid, gfp, order);
            if (pfn == FrameAllocator.NO_PAGE) {
                rig.active.drainAllPages();
                pfn = nid < 0 ? rig.alloc(gfp, order) : rig.allocNode(nid, gfp, order);
                if (pfn == FrameAllocator.NO_PAGE) {
                    return got;
                }
            }
            each.accept(pfn);
            got.add(pfn);
            pages += 1L << order;
            Expect.that(pages <= bound, "%s handed out more than the %d pages that were free", what, bound);
        }
    }

    /**
     * A seeded mix of {@code ops} operations through the rig: allocations ({@code allocPercent} of
     * them while fewer than {@code maxPages} pages are held) of varied orders and flags, which may
     * fail, and frees of random live blocks.
     */
    static void mix(AllocatorRig rig, Random rnd, int ops, int allocPercent, long maxPages) {
        List<Long> held = new ArrayList<>(rig.live.keySet());
        long pages = rig.live.values().stream().mapToLong(o -> 1L << o).sum();
        for (int i = 0; i < ops; i++) {
            if (held.isEmpty() || rnd.nextInt(100) < allocPercent && pages < maxPages) {
                int order = pickOrder(rnd);
                long pfn = rig.alloc(MIX_GFP[rnd.nextInt(MIX_GFP.length)], order);
                if (pfn != FrameAllocator.NO_PAGE) {
                    held.add(pfn);
                    pages += 1L << order;
                }
            } else {
                int i2 = rnd.nextInt(held.size());
                long pfn = held.get(i2);
                held.set(i2, held.get(held.size() - 1));
                held.remove(held.size() - 1);
                pages -= 1L << rig.live.get(pfn);
                rig.free(pfn);
            }
        }
    }

    /** Orders 0 to 10, small ones most often. */
    static int pickOrder(Random rnd) {
        int r = rnd.nextInt(100);
        if (r < 50) {
            return 0;
        }
        if (r < 80) {
            return 1 + rnd.nextInt(3);
        }
        if (r < 95) {
            return 4 + rnd.nextInt(5);
        }
        return 9 + rnd.nextInt(2);
    }
}

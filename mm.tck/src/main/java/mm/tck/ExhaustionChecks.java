package mm.tck;

import static mm.tck.Expect.hex;
import static mm.tck.Machines.SMALL;
import static mm.tck.Workload.NO_WATERMARKS;
import static mm.tck.Workload.SEED;
import static mm.tck.Workload.exhaust;
import static mm.tck.Workload.mustAlloc;

import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.function.LongUnaryOperator;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;

/**
 * The checks of running out of memory, and of coming back from it.
 *
 * <p>They mirror the watermark checks of mm/page_alloc.c: {@code __zone_watermark_ok()} refuses a
 * zone at its min watermark plus lowmem reserve; {@code gfp_to_alloc_flags()} lets
 * {@code GFP_ATOMIC} go further ({@code ALLOC_MIN_RESERVE} and {@code ALLOC_NON_BLOCK}); and
 * {@code __GFP_MEMALLOC} ignores the watermarks altogether ({@code ALLOC_NO_WATERMARKS}), so that
 * every free frame is handed out. {@code __rmqueue_smallest()} finds a free block of the order asked
 * for whenever one exists.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record ExhaustionChecks(Subject subject) {

    /**
     * {@code watermarks-stop-allocations}: {@code GFP_KERNEL} stops at the min watermark,
     * {@code GFP_ATOMIC} at 3/8 of it.
     */
    void watermarksStopAllocations() {
        AllocatorRig rig = subject.rig(SMALL);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        int hz = Gfp.gfpZone(Gfp.GFP_KERNEL).ordinal();
        List<Zone> allowed = FrameCensus.allowedZones(m, 0, Gfp.GFP_KERNEL);
        long bound = FrameCensus.total(FrameCensus.freeFrames(m)) + 1;

        long kernel = allocateDownTo(rig, allowed, Gfp.GFP_KERNEL, "allocPages(GFP_KERNEL, 0)", LongUnaryOperator.identity(),
                "its min watermark", bound);
        Expect.that(kernel > 0, "allocPages(GFP_KERNEL, 0) failed on a fresh machine");
        for (Zone z : allowed) {
            long floor = z.watermark(Watermark.MIN) + z.lowmemReserve(hz);
            Expect.that(z.freePages() <= floor, "allocPages(GFP_KERNEL, 0) returned NO_PAGE while %s had %d free pages, above its "
                    + "min watermark + lowmem reserve (%d)", FrameCensus.name(z), z.freePages(), floor);
        }

        long atomic = allocateDownTo(rig, allowed, Gfp.GFP_ATOMIC, "allocPages(GFP_ATOMIC, 0)", ExhaustionChecks::atomicMin,
                "3/8 of its min watermark", bound - kernel);
        Expect.that(atomic > 0, "allocPages(GFP_ATOMIC, 0) got nothing once GFP_KERNEL had failed: __GFP_HIGH without direct "
                + "reclaim may use the reserve down to 3/8 of the min watermark");
        for (Zone z : allowed) {
            long floor = atomicMin(z.rawWatermark(Watermark.MIN)) + z.lowmemReserve(hz);
            Expect.that(z.freePages() <= floor, "allocPages(GFP_ATOMIC, 0) returned NO_PAGE while %s had %d free pages, above 3/8 of "
                    + "its min watermark + lowmem reserve (%d)", FrameCensus.name(z), z.freePages(), floor);
        }
        Expect.that(rig.alloc(Gfp.GFP_KERNEL, 0) == FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, 0) succeeded below the min "
                + "watermark after GFP_ATOMIC had used the reserve");
        Expect.noProblems(a.check(), "at the watermarks");

        rig.freeAll(a, new Random(SEED + 11));
        rig.expectBackToAdoption(a, "freeing every page");
        long again = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        long big = mustAlloc(rig, Gfp.GFP_KERNEL, FrameAllocator.MAX_PAGE_ORDER);
        rig.free(again);
        rig.free(big);
        rig.expectBackToAdoption(a, "freeing every page again");
    }

    /**
     * Allocates order-0 blocks until NO_PAGE, each from a zone that had more free pages than
     * {@code floor} of its min watermark ({@code floorName}) plus the lowmem reserve; returns how
     * many it got, at most {@code room}.
     */
    private static long allocateDownTo(AllocatorRig rig, List<Zone> allowed, int gfp, String call, LongUnaryOperator floor,
            String floorName, long room) {
        int hz = Gfp.gfpZone(gfp).ordinal();
        long got = 0;
        while (true) {
            Expect.that(got <= room, "%s handed out more pages than were free", call);
            long[] free = freePages(allowed);
            long pfn = rig.alloc(gfp, 0);
            if (pfn == FrameAllocator.NO_PAGE) {
                return got;
            }
            got++;
            Zone z = FrameCensus.zoneOf(rig.machine, pfn);
            long min = floor.applyAsLong(z.rawWatermark(Watermark.MIN)) + z.lowmemReserve(hz);
            long before = free[allowed.indexOf(z)];
            Expect.that(before > min, "%s took %s from %s, which had %d free pages: not above %s + lowmem reserve (%d)", call,
                    hex(pfn), FrameCensus.name(z), before, floorName, min);
        }
    }

    /** The min watermark as GFP_ATOMIC sees it: ALLOC_MIN_RESERVE halves it, ALLOC_NON_BLOCK takes a quarter more. */
    private static long atomicMin(long min) {
        long m = min - min / 2;
        return m - m / 4;
    }

    /**
     * {@code memalloc-exhaustion-and-recovery}: without watermarks every free frame is handed out
     * once, and comes back.
     */
    void memallocExhaustionAndRecovery() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        BitSet adopted = FrameCensus.freeSet(rig.machine);
        for (int round = 1; round <= 2; round++) {
            String what = "allocPages(GFP_KERNEL|__GFP_MEMALLOC, 0)" + (round == 2 ? " after every page came back" : "");
            List<Long> got = exhaust(rig, -1, NO_WATERMARKS, 0, adopted.cardinality(), what);
            BitSet handed = new BitSet();
            long base = rig.ft.startPfn();
            for (long p : got) {
                handed.set((int) (p - base));
            }
            BitSet missing = (BitSet) adopted.clone();
            missing.andNot(handed);
            if (!missing.isEmpty()) {
                long p = base + missing.nextSetBit(0);
                throw Expect.fail("%s returned NO_PAGE with %d frames free after adoption never handed out, e.g. %s in %s "
                        + "(__GFP_MEMALLOC ignores the watermarks)", what, missing.cardinality(), hex(p),
                        FrameCensus.name(FrameCensus.zoneOf(rig.machine, p)));
            }
            for (Zone z : rig.zones) {
                Expect.that(z.freePages() == 0 && rig.pcp(a, z) == 0, "with every free frame handed out, %s still counts %d free "
                        + "pages (NR_FREE_PAGES) and %d on per-CPU lists", FrameCensus.name(z), z.freePages(), rig.pcp(a, z));
            }
            Expect.noProblems(a.check(), "with every free frame handed out");
            rig.freeAll(a, new Random(SEED + 12 + round));
            rig.expectBackToAdoption(a, "freeing every page (round " + round + ")");
        }
    }

    /**
     * {@code high-order-finds-every-free-block}: a request of an order fails only when no free
     * aligned block of it is left.
     */
    void highOrderFindsEveryFreeBlock() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        long bound = FrameCensus.total(FrameCensus.freeFrames(rig.machine));
        long base = rig.ft.startPfn();
        for (int order = FrameAllocator.MAX_PAGE_ORDER; order >= 0; order--) {
            String what = "allocPages(GFP_KERNEL|__GFP_MEMALLOC, " + order + ")";
            exhaust(rig, -1, NO_WATERMARKS, order, bound, what);
            BitSet free = FrameCensus.freeSet(rig.machine);
            long n = 1L << order;
            for (Zone z : rig.zones) {
                long start = (z.startPfn() + n - 1) & ~(n - 1);
                for (long s = start; s + n <= z.endPfn(); s += n) {
                    int i = (int) (s - base);
                    if (free.get(i) && free.nextClearBit(i) >= i + n && allIn(rig.machine, z, s, n)) {
                        throw Expect.fail("%s returned NO_PAGE although the %d frames at %s in %s are free: an aligned block of "
                                + "that order", what, n, hex(s), FrameCensus.name(z));
                    }
                }
            }
        }
        for (Zone z : rig.zones) {
            Expect.that(z.freePages() == 0, "after allocating every order down to 0 without watermarks, %s still counts %d free pages",
                    FrameCensus.name(z), z.freePages());
        }
        rig.freeAll(a, new Random(SEED + 15));
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static boolean allIn(Machine m, Zone z, long start, long n) {
        return FrameCensus.zoneOf(m, start) == z && FrameCensus.zoneOf(m, start + n - 1) == z;
    }

    private static long[] freePages(List<Zone> zones) {
        long[] out = new long[zones.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = zones.get(i).freePages();
        }
        return out;
    }
}

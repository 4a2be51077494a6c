package mm.tck;

import static mm.tck.Expect.hex;
import static mm.tck.Machines.SMALL;
import static mm.tck.Workload.SEED;
import static mm.tck.Workload.mix;
import static mm.tck.Workload.mustAlloc;

import java.util.List;
import java.util.Random;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;

/**
 * The check that {@code check()} sees what was changed behind the allocator's back, and changes
 * nothing itself.
 *
 * <p>The kernel has no audit of the whole allocator; its nearest are the per-page checks of
 * {@code CONFIG_DEBUG_VM} in mm/page_alloc.c ({@code check_new_pages()}, {@code free_page_is_bad()},
 * {@code bad_page()}), which find a frame whose count, order or flags say something else than the
 * allocator thinks. {@code check()} extends them to every frame and to the zone counters.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record CorruptionChecks(Subject subject) {

    /** {@code check-detects-corruption}: each damage is seen, repaired, and {@code check()} itself changes nothing. */
    void checkDetectsCorruption() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        Random rnd = new Random(SEED + 21);
        mix(rig, rnd, 400, 70, 8192);
        long single = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        long four = mustAlloc(rig, Gfp.GFP_KERNEL, 2);
        Expect.noProblems(a.check(), "on a state nothing corrupted");
        long[] figures = rig.figures();
        long[] census = FrameCensus.freeFrames(rig.machine);

        corrupt(a, "the allocated block at " + hex(single) + " was made to look free (head reference count set to 0)",
                () -> ft.setRefcount(single, 0), () -> ft.setRefcount(single, 1));
        corrupt(a, "the allocated order-2 block at " + hex(four) + " was given order 3 in the frame table",
                () -> ft.setOrder(four, 3), () -> ft.setOrder(four, 2));
        Zone zone = FrameCensus.zoneOf(rig.machine, single);
        corrupt(a, "NR_FREE_PAGES of " + FrameCensus.name(zone) + " was raised by one",
                () -> zone.modState(ZoneStat.NR_FREE_PAGES, 1), () -> zone.modState(ZoneStat.NR_FREE_PAGES, -1));
        // a free frame that holds no list links and is on no per-CPU list, made to look allocated
        long plain = FrameCensus.lastPlainFreeFrame(rig.machine, zone);
        if (plain >= 0) {
            corrupt(a, "the free frame " + hex(plain) + " was made to look allocated (reference count set to 1)",
                    () -> ft.setRefcount(plain, 1), () -> ft.setRefcount(plain, 0));
        }
        long[] figuresAfter = rig.figures();
        long[] censusAfter = FrameCensus.freeFrames(rig.machine);
        for (Zone z : rig.zones) {
            Expect.that(figuresAfter[z.id()] == figures[z.id()] && censusAfter[z.id()] == census[z.id()], "check() changed the "
                    + "free pages of %s", FrameCensus.name(z));
        }
        rig.expectLiveIntact("after the check() calls");
        rig.freeAll(a, rnd);
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static void corrupt(FrameAllocator a, String what, Runnable damage, Runnable repair) {
        List<String> problems;
        damage.run();
        try {
            problems = a.check();
        } finally {
            repair.run();
        }
        Expect.that(problems != null && !problems.isEmpty(), "check() found nothing wrong after %s", what);
        Expect.noProblems(a.check(), "after repairing what was corrupted (" + what + ")");
    }
}

package mm.tck;

import static mm.tck.Machines.ARM64_TWO_NODES;
import static mm.tck.Machines.MOVABLE;
import static mm.tck.Machines.SMALL;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;

/**
 * The checks of taking over a machine at boot, and of the implementation's name.
 *
 * <p>{@code adopt(BOOT)} mirrors the hand-over from memblock to the page allocator at the end of
 * boot ({@code memblock_free_all()} in mm/memblock.c, freeing every usable frame through
 * {@code __free_pages_core()}): afterwards each zone's {@code NR_FREE_PAGES}, plus what sits on
 * per-CPU lists, counts exactly the zone's free frames. The name has no kernel counterpart: it is
 * the {@code mm.impl} property the shell and the switchboard name an implementation by.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record AdoptionChecks(Subject subject) {

    /**
     * {@code adoption-accounts-all-free-memory}: after {@code adopt(BOOT)} the counters say what
     * the frame table says, on every machine shape.
     */
    void adoptionAccountsAllFreeMemory() {
        for (MachineConfig c : List.of(SMALL, MachineConfig.DEFAULT, MOVABLE, ARM64_TWO_NODES)) {
            Machine m = subject.boot(c);
            long[] before = FrameCensus.freeFrames(m);
            FrameAllocator a = subject.create(m);
            a.adopt(Handover.BOOT);
            String on = "on " + c.summary();
            long[] after = FrameCensus.freeFrames(m);
            for (Zone z : FrameCensus.zones(m)) {
                Expect.that(after[z.id()] == before[z.id()], "adopt(BOOT) %s changed the frame table: %s had %d free frames before "
                        + "and %d after", on, FrameCensus.name(z), before[z.id()], after[z.id()]);
            }
            AllocatorRig.of(m, a).expectAccounted(a, "after adopt(BOOT) " + on);
            Expect.noProblems(a.check(), "after adopt(BOOT) " + on);
        }
    }

    /** {@code impl-name-matches-factory}: the allocator and its factory give the same one-word name. */
    void implNameMatchesFactory() {
        String expected = subject.factory().implName();
        Expect.factoryNamed(expected);
        Machine m = subject.boot(SMALL);
        FrameAllocator a = subject.create(m);
        a.adopt(Handover.BOOT);
        Expect.sameName("the allocator", a.implName(), expected);
    }
}

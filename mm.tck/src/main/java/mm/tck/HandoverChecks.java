package mm.tck;

import static mm.tck.Machines.SMALL;
import static mm.tck.Workload.MIX_GFP;
import static mm.tck.Workload.SEED;
import static mm.tck.Workload.mix;
import static mm.tck.Workload.pickOrder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;

/**
 * The checks of the hot swap: one instance hands the machine to another, of the same
 * implementation, of another, or back to itself.
 *
 * <p>The swap is the laboratory's own; the kernel never replaces its page allocator. What it
 * builds on is the kernel's: {@code quiesce()} empties the per-CPU lists as
 * {@code zone_pcp_disable()} and {@code drain_all_pages()} do before memory is offlined, so that
 * the frame table (the kernel's {@code struct page} array) says everything and the successor can
 * {@code adopt} it. Calls that reach the old instance meanwhile wait, then go on to the successor.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record HandoverChecks(Subject subject) {

    /** {@code handover-same-implementation}: one instance hands the machine to a second of the same implementation. */
    void handoverSameImplementation() throws InterruptedException {
        FrameAllocatorFactory factory = subject.factory();
        handover(factory, factory, "a second instance of '" + factory.implName() + "'");
    }

    /** {@code handover-across-implementations}: to this implementation from the reference and back; skipped without one. */
    void handoverAcrossImplementations() throws InterruptedException {
        FrameAllocatorFactory factory = subject.factory();
        FrameAllocatorFactory reference = subject.reference();
        if (reference == null) {
            ConformanceCheck.skip("no reference implementation was supplied to hand over to and from");
        }
        handover(reference, factory, "'" + factory.implName() + "' from the reference '" + reference.implName() + "'");
        handover(factory, reference, "the reference '" + reference.implName() + "' from '" + factory.implName() + "'");
    }

    /**
     * {@code from} adopts at boot and hands out a mix of blocks on both CPUs; it quiesces, a new
     * instance of {@code to} adopts its Handover and {@code from} forwards to it. A call made to
     * {@code from} during the hand-over completes on the successor; every block is kept, and is
     * freed through either instance; new blocks never overlap old ones.
     */
    private void handover(FrameAllocatorFactory fromFactory, FrameAllocatorFactory toFactory, String label)
            throws InterruptedException {
        Machine m = subject.boot(SMALL);
        FrameAllocator from = AllocatorRig.create(fromFactory, m);
        from.adopt(Handover.BOOT);
        AllocatorRig rig = AllocatorRig.of(m, from);
        Random rnd = new Random(SEED + 19);
        for (int cpu = 0; cpu < 2; cpu++) {
            m.runOn(cpu, () -> {
                mix(rig, rnd, 600, 70, 8192);
                return null;
            });
        }
        Handover h = from.quiesce();
        Expect.handover(h, FrameAllocator.CONTRACT, from.implName());
        long[] census = FrameCensus.freeFrames(m);
        for (Zone z : rig.zones) {
            Expect.that(z.freePages() == census[z.id()], "after quiesce(), NR_FREE_PAGES of %s is %d but the frame table has %d free "
                    + "frames: quiesce drains the per-CPU lists so that the frame table says everything", FrameCensus.name(z),
                    z.freePages(), census[z.id()]);
        }
        rig.expectLiveIntact("after quiesce()");

        // a call that reaches the old instance during the hand-over waits, then completes on the successor
        AtomicReference<Object> late = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                late.set(from.allocPages(Gfp.GFP_KERNEL, 1));
            } catch (Throwable e) {
                late.set(e);
            }
        }, "mm.tck late caller");
        caller.setDaemon(true);
        caller.start();

        FrameAllocator to = AllocatorRig.create(toFactory, m);
        Expect.that(to != from, "the factory returned the same instance twice: create(machine) makes a new allocator");
        to.adopt(h);
        from.forwardTo(to);
        rig.active = to;
        caller.join(Math.max(1, subject.timeLimit().toMillis() / 2));
        if (caller.isAlive()) {
            StackTraceElement[] stack = caller.getStackTrace();
            throw Expect.fail("allocPages(GFP_KERNEL, 1), called on the old instance during the hand-over to %s, did not return "
                    + "after forwardTo: it waits for the hand-over's end, then goes on to the successor%s", label,
                    stack.length == 0 ? "" : " (it is in " + stack[0] + ")");
        }
        Object result = late.get();
        if (result instanceof Throwable) {
            throw Expect.fail("allocPages(GFP_KERNEL, 1) called on the old instance during the hand-over to %s threw %s", label,
                    ConformanceCheck.reason((Throwable) result));
        }
        long latePfn = (Long) result;
        Expect.that(latePfn != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, 1) called on the old instance during the hand-over to "
                + "%s returned NO_PAGE", label);
        rig.track(latePfn, Gfp.GFP_KERNEL, 1, "allocPages(GFP_KERNEL, 1) during the hand-over");

        Expect.noProblems(to.check(), "of " + label + " after it adopted the Handover");
        rig.expectAccounted(to, "after " + label + " adopted the Handover");
        rig.expectLiveIntact("after " + label + " adopted the Handover");

        List<Long> old = new ArrayList<>(rig.live.keySet());
        Collections.shuffle(old, rnd);
        for (long pfn : old.subList(0, old.size() / 2)) {
            rig.free(from, pfn);
        }
        for (int i = 0; i < 100; i++) {
            rig.alloc(i % 2 == 0 ? from : to, MIX_GFP[rnd.nextInt(MIX_GFP.length)], pickOrder(rnd));
        }
        rig.expectAccounted(to, "after freeing and allocating through both instances (" + label + ")");
        List<Long> rest = new ArrayList<>(rig.live.keySet());
        Collections.shuffle(rest, rnd);
        for (int i = 0; i < rest.size(); i++) {
            rig.free(i % 3 == 0 ? from : to, rest.get(i));
        }
        rig.expectBackToAdoption(to, "the hand-over to " + label + " and freeing every block through both instances");
    }

    /** {@code handover-rollback}: an instance that quiesced takes its own Handover back. */
    void handoverRollback() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        Random rnd = new Random(SEED + 20);
        for (int cpu = 0; cpu < 2; cpu++) {
            rig.machine.runOn(cpu, () -> {
                mix(rig, rnd, 600, 70, 8192);
                return null;
            });
        }
        Handover h = a.quiesce();
        Expect.handover(h, FrameAllocator.CONTRACT, a.implName());
        rig.expectLiveIntact("after quiesce()");
        a.adopt(h);
        Expect.noProblems(a.check(), "after adopting its own Handover again");
        rig.expectAccounted(a, "after adopting its own Handover again");
        mix(rig, rnd, 600, 60, 8192);
        rig.freeAll(a, rnd);
        rig.expectBackToAdoption(a, "taking the machine back and freeing every block");
    }
}

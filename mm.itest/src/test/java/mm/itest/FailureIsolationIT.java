package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import javax.inject.Inject;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.subsystem.Switchboard;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Deliberately broken frame allocators (the mm.broken bundle, built for these tests): each fault
 * is caught — at the hand-over, by the invariant check, by the shared allocation path, by a call's
 * time limit — the faulty allocator is deactivated, the buddy allocator holds the machine, and the
 * shell says what happened in one line.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class FailureIsolationIT extends ShellTestBase {

    static final String FA = FrameAllocator.CONTRACT;

    @Inject
    Machine machine;

    private String buddyinfo;

    @Configuration
    @Override
    public Option[] config() {
        return ItOptions.platformWith("1G", 2, 1, ItOptions.extraBundle("mm.broken"));
    }

    @Before
    public void brokenAllocatorsInstalled() throws Exception {
        Await.until("the broken allocators are installed",
                () -> switchboard.candidates().stream().filter(c -> c.contract().equals(FA)).count() == 7);
        buddyinfo = drainedBuddyinfo();
    }

    /** The buddy lists once the per-CPU lists are drained: a hand-over drains them, so compare like with like. */
    private String drainedBuddyinfo() throws Exception {
        sh.run("mm:drain");
        return sh.run("mm:buddyinfo");
    }

    /** Then ShellTestBase finds the machine sound and closes the session. */
    @After
    public void buddyHoldsTheMachine() throws Exception {
        assertEquals("buddy", switchboard.active(FA));
    }

    private static void contains(String text, String... parts) {
        for (String p : parts) {
            assertTrue("'" + p + "' in: " + text, text.contains(p));
        }
        assertFalse("one line: " + text, text.contains("\n"));
    }

    private Switchboard.State state(String impl) {
        return switchboard.candidates().stream().filter(c -> c.impl().equals(impl)).findFirst().orElseThrow().state();
    }

    @Test
    public void aHandOverToAnAllocatorWhoseAdoptThrowsRollsBack() throws Exception {
        sh.run("p = (mm:alloc 2)");
        String after = drainedBuddyinfo();
        contains(sh.error("mm:use FrameAllocator adopt-throws"),
                "FrameAllocator: the hand-over from buddy to adopt-throws failed: adopt-throws.adopt threw IllegalStateException: "
                + "deliberately broken: adopt always throws; buddy is active again");
        assertEquals(Switchboard.State.FAILED, state("adopt-throws"));
        assertEquals(after, drainedBuddyinfo());
        String impls = sh.run("mm:impls");
        assertTrue(impls, impls.contains("FrameAllocator  adopt-throws  failed"));
        assertTrue(impls, impls.contains("adopt-throws: adopt-throws.adopt threw IllegalStateException"));
        sh.run("mm:free $p");
        assertEquals(buddyinfo, drainedBuddyinfo());
    }

    @Test
    public void anAllocatorThatLosesFramesFailsItsInvariantCheckAndTheHandOverRollsBack() throws Exception {
        contains(sh.error("mm:use FrameAllocator loses-frames"),
                "the hand-over from buddy to loses-frames failed: loses-frames broke an invariant after adopting the machine: ",
                "buddy is active again");
        assertEquals(Switchboard.State.FAILED, state("loses-frames"));
        assertEquals(buddyinfo, drainedBuddyinfo());
    }

    @Test
    public void aFrameHandedOutTwiceIsABadPageStateAndTheAllocatorIsReplaced() throws Exception {
        assertEquals("FrameAllocator: buddy -> hands-twice", sh.run("mm:use FrameAllocator hands-twice"));
        sh.run("p = (mm:alloc 0)");
        contains(sh.error("mm:alloc 0"), "BUG: Bad page state: hands-twice handed out pfn 0x", "which is already allocated",
                "hands-twice misbehaved", "was deactivated; buddy is active (the reference implementation)");
        assertEquals(Switchboard.State.FAILED, state("hands-twice"));
        sh.run("mm:free $p");
        assertEquals(buddyinfo, drainedBuddyinfo());
    }

    @Test
    public void anAllocatorThatBlocksIsCutOffByTheTimeLimitAndReplaced() throws Exception {
        sh.run("mm:use FrameAllocator blocks");
        contains(sh.error("mm:alloc 0"), "FrameAllocator: blocks misbehaved (allocPages did not return within 2 s)",
                "buddy is active");
        sh.run("p = (mm:alloc 0)");
        sh.run("mm:free $p");
        assertEquals(buddyinfo, drainedBuddyinfo());
    }

    @Test
    public void anAllocatorThatThrowsIsReplaced() throws Exception {
        sh.run("mm:use FrameAllocator alloc-throws");
        contains(sh.error("mm:alloc 1"),
                "alloc-throws misbehaved (allocPages threw java.lang.NullPointerException: deliberately broken: rmqueue dereferences null)",
                "buddy is active");
        assertEquals(buddyinfo, drainedBuddyinfo());
    }

    /**
     * An object cache that throws, then throws again when asked to hand over: SLUB takes the machine
     * without its objects (their slabs stay allocated as orphans, never handed out twice), the
     * machine stays sound, and freeing a lost object says why in one line.
     */
    @Test
    public void anObjectCacheThatThrowsAndCannotHandOverIsReplacedWithoutCorruption() throws Exception {
        assertEquals("ObjectCache: slub -> slab-throws", sh.run("mm:use ObjectCache slab-throws"));
        sh.run("o = (mm:kmalloc 100)");
        sh.run("big = (mm:kmalloc 20K)");
        contains(sh.error("mm:kmalloc 100"), "slab-throws misbehaved", "NullPointerException: deliberately broken: kmalloc dereferences null",
                "slub is active");
        assertEquals("slub", switchboard.active("ObjectCache"));
        assertEquals(Switchboard.State.FAILED, state("slab-throws"));
        assertEquals("ok", sh.run("mm:check"));
        contains(sh.error("mm:kfree $o"), "held by an implementation that failed without handing over");
        sh.run("mm:kfree $big"); // a large kmalloc's pages are known from the frame table: it can be freed
        String o2 = sh.run("mm:kmalloc 100");
        assertFalse("the lost object's slot is not handed out again: " + o2, o2.equals(sh.run("$o")));
    }

    @Test
    public void mmCheckCatchesCorruptionBehindTheAllocatorsBackAndRestoresTheReference() throws Exception {
        sh.run("mm:use FrameAllocator bitmap");
        sh.run("p = (mm:alloc 0)");
        long pfn = Long.decode(sh.run("$p pfn").strip());
        sh.run("mm:free $p");
        machine.frames().setRefcount(pfn, 1); // a free frame now looks allocated: someone wrote where they should not
        try {
            String e = sh.error("mm:check");
            assertTrue(e, e.startsWith("1 broken invariant:") || e.contains("broken invariants:"));
            assertTrue(e, e.contains("FrameAllocator: bitmap misbehaved (mm:check found"));
            assertTrue(e, e.contains("buddy is active"));
        } finally {
            machine.frames().setRefcount(pfn, 0);
        }
        // the buddy allocator adopted the corrupted table; adopting again after the repair makes it whole
        sh.run("mm:use FrameAllocator bitmap");
        sh.run("mm:use FrameAllocator buddy");
        assertEquals(buddyinfo, drainedBuddyinfo());
    }
}

package mm.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ServiceLoader;
import java.util.function.Function;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;
import mm.tck.CheckResult.Status;
import org.junit.jupiter.api.Test;

/**
 * The suite catches what it claims to: a correct allocator (the bitmap one) broken in one way fails
 * the check that proves that rule, with a reason a student can act on.
 */
class BrokenAllocatorsTest {

    private static final MachineFactory MACHINES = ServiceLoader.load(MachineFactory.class).findFirst().orElseThrow();
    private static final FrameAllocatorFactory CORRECT = BitmapAllocator.factory("lowest-fit", false);

    private static CheckResult run(Function<FrameAllocator, FrameAllocator> breakIt, String check) {
        return run(new FrameAllocatorConformance(MACHINES, Broken.factory(CORRECT, breakIt)), check);
    }

    private static CheckResult run(FrameAllocatorConformance suite, String check) {
        ConformanceCheck c = suite.checks().stream().filter(x -> x.name().equals(check)).findFirst().orElseThrow();
        return suite.runCheck(c);
    }

    private static void fails(CheckResult r, String... words) {
        assertEquals(Status.FAIL, r.status(), r.format());
        for (String w : words) {
            assertTrue(r.reason().contains(w), "'" + w + "' is not in: " + r.reason());
        }
        assertTrue(!r.reason().contains("\n"), r.reason());
    }

    @Test
    void aFrameHandedOutTwiceIsCaught() {
        fails(run(Broken.HandsOutTwice::new, "blocks-aligned-recorded-disjoint"), "returned", "(order 0), which overlaps the "
                + "order-0 block at", "handed out earlier and not freed");
    }

    @Test
    void aFrameHandedOutTwiceIsCaughtAcrossCpus() {
        fails(run(Broken.HandsOutTwice::new, "concurrent-cpus-no-frame-twice"), "two CPUs at once");
    }

    @Test
    void freedPagesThatNeverComeBackAreCaught() {
        fails(run(Broken.KeepsFreedPages::new, "frees-return-every-page"), "freePages(", "changed the free pages",
                "instead of");
    }

    @Test
    void ignoringGfpDmaIsCaught() {
        fails(run(Broken.IgnoresDma::new, "gfp-zone-modifiers-respected"), "allocPages(GFP_DMA, 0) returned",
                "these flags allow zones up to DMA only");
    }

    @Test
    void ignoringWatermarksIsCaught() {
        fails(run(Broken.IgnoresWatermarks::new, "watermarks-stop-allocations"), "allocPages(GFP_KERNEL, 0) took",
                "not above its min watermark + lowmem reserve");
    }

    @Test
    void answeringABadOrderWithNoPageIsCaught() {
        fails(run(Broken.ForgivesBadOrders::new, "bad-arguments-rejected"), "allocPages(GFP_KERNEL, -1) was accepted: the "
                + "contract requires IllegalArgumentException");
    }

    @Test
    void ignoringGfpZeroIsCaught() {
        fails(run(Broken.IgnoresZero::new, "gfp-zero-clears-content"), "allocPages(GFP_KERNEL|__GFP_ZERO, 0) returned",
                "still holds content token");
    }

    @Test
    void ignoringThisNodeIsCaught() {
        fails(run(Broken.IgnoresThisNode::new, "thisnode-respected"), "__GFP_THISNODE", "a frame of node 0, not node 1");
    }

    @Test
    void aCheckThatSeesNothingIsCaught() {
        fails(run(Broken.BlindCheck::new, "check-detects-corruption"), "check() found nothing wrong after the allocated block at",
                "was made to look free");
    }

    @Test
    void aCallThatNeverReturnsFailsAtTheTimeLimit() {
        FrameAllocatorConformance suite = new FrameAllocatorConformance(MACHINES, Broken.factory(CORRECT, Broken.HangingDrain::new))
                .withTimeLimit(Duration.ofSeconds(5));
        fails(run(suite, "frees-return-every-page"), "did not finish within 5 s", "Broken$HangingDrain.drainAllPages");
    }

    @Test
    void aNameOtherThanTheFactorysIsCaught() {
        fails(run(Broken.Misnamed::new, "impl-name-matches-factory"), "implName() of the allocator is 'some other name' but its "
                + "factory's is 'lowest-fit'");
    }

    @Test
    void theCrossImplementationHandOverIsSkippedWithoutAReference() {
        CheckResult r = run(new FrameAllocatorConformance(MACHINES, CORRECT), "handover-across-implementations");
        assertEquals(Status.SKIP, r.status(), r.format());
        assertEquals("no reference implementation was supplied to hand over to and from", r.reason());
    }

    @Test
    void anotherAlgorithmPassesEveryCheckHandingOverToAndFromTheFirst() {
        ConformanceReport report = new FrameAllocatorConformance(MACHINES, BitmapAllocator.factory("highest-fit", true), CORRECT)
                .run();
        assertTrue(report.passed(), report.format());
        assertEquals(report.results().size(), report.passedCount(), report.format());
        assertEquals("highest-fit", report.implementation());
        assertTrue(report.format().endsWith("score: 21/21 (100%)"), report.format());
    }
}

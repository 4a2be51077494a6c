package mm.tck;

import static mm.tck.BrokenVariants.MACHINES;
import static mm.tck.BrokenVariants.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.tck.BrokenVariants.Row;
import mm.tck.CheckResult.Status;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The suite catches what it claims to: a correct allocator (the bitmap one) broken in one way fails
 * the check that proves that rule, with a reason a student can act on.
 */
class BrokenAllocatorsTest {

    private static final FrameAllocatorFactory CORRECT = BitmapAllocator.factory("lowest-fit", false);

    /** The checks no broken variant below has been shown to fail: shrink it by adding a row. */
    private static final Set<String> NOT_YET_SHOWN_TO_FAIL = Set.of();

    private static FrameAllocatorConformance suite(Function<FrameAllocator, FrameAllocator> breakIt) {
        return new FrameAllocatorConformance(MACHINES, Broken.factory(CORRECT, breakIt));
    }

    private static FrameAllocatorConformance suiteOn(BiFunction<Machine, FrameAllocator, FrameAllocator> breakIt) {
        return new FrameAllocatorConformance(MACHINES, Broken.factoryOn(CORRECT, breakIt));
    }

    /** Each broken variant, a check it fails, and words its reason holds. */
    private static final List<Row> ROWS = List.of(
            new Row("HandsOutTwice", suite(Broken.HandsOutTwice::new), "blocks-aligned-recorded-disjoint", "returned",
                    "(order 0), which overlaps the order-0 block at", "handed out earlier and not freed"),
            new Row("HandsOutTwice", suite(Broken.HandsOutTwice::new), "concurrent-cpus-no-frame-twice", "two CPUs at once"),
            new Row("KeepsFreedPages", suite(Broken.KeepsFreedPages::new), "frees-return-every-page", "freePages(",
                    "changed the free pages", "instead of"),
            new Row("IgnoresDma", suite(Broken.IgnoresDma::new), "gfp-zone-modifiers-respected", "allocPages(GFP_DMA, 0) returned",
                    "these flags allow zones up to DMA only"),
            new Row("IgnoresWatermarks", suite(Broken.IgnoresWatermarks::new), "watermarks-stop-allocations",
                    "allocPages(GFP_KERNEL, 0) took", "not above its min watermark + lowmem reserve"),
            new Row("ForgivesBadOrders", suite(Broken.ForgivesBadOrders::new), "bad-arguments-rejected",
                    "allocPages(GFP_KERNEL, -1) was accepted: the contract requires IllegalArgumentException"),
            new Row("IgnoresZero", suite(Broken.IgnoresZero::new), "gfp-zero-clears-content",
                    "allocPages(GFP_KERNEL|__GFP_ZERO, 0) returned", "still holds content token"),
            new Row("IgnoresThisNode", suite(Broken.IgnoresThisNode::new), "thisnode-respected", "__GFP_THISNODE",
                    "a frame of node 0, not node 1"),
            new Row("BlindCheck", suite(Broken.BlindCheck::new), "check-detects-corruption",
                    "check() found nothing wrong after the allocated block at", "was made to look free"),
            new Row("HangingDrain", suite(Broken.HangingDrain::new).withTimeLimit(Duration.ofSeconds(5)), "frees-return-every-page",
                    "did not finish within 5 s", "Broken$HangingDrain.drainAllPages"),
            new Row("Misnamed", suite(Broken.Misnamed::new), "impl-name-matches-factory",
                    "implName() of the allocator is 'some other name' but its factory's is 'lowest-fit'"),
            new Row("IgnoresRefcount", suiteOn(Broken.IgnoresRefcount::new), "refcount-needs-every-reference",
                    "with the head's reference count at 2 left count 0", "it drops one reference and keeps the block"),
            new Row("SwallowsFreeOfFreeFrame", suiteOn(Broken.SwallowsFreeOfFreeFrame::new), "bad-frees-rejected",
                    "(a free frame, never allocated) was accepted: the contract requires IllegalArgumentException"),
            new Row("LosesAFrameOnAdopt", suiteOn(Broken.LosesAFrameOnAdopt::new), "adoption-accounts-all-free-memory",
                    "after adopt(BOOT) on x86_64, 256 MiB RAM", "free frames in the frame table but NR_FREE_PAGES"),
            new Row("LosesAFrameOnAdopt", suiteOn(Broken.LosesAFrameOnAdopt::new), "handover-rollback", "after adopting its own Handover again",
                    "frames are free in the frame table but NR_FREE_PAGES is"),
            new Row("MiscountsMovable", suite(Broken.MiscountsMovable::new), "nr-free-adds-up-to-free-pages", "after adoption on",
                    "but the per-migratetype counts nrFree(zone, 0, type) add up to"),
            new Row("NeverForwards", suite(Broken.NeverForwards::new).withTimeLimit(Duration.ofSeconds(4)),
                    "handover-same-implementation",
                    "called on the old instance during the hand-over to a second instance", "did not return after forwardTo"),
            new Row("NeverForwards", new FrameAllocatorConformance(MACHINES, Broken.factory(CORRECT, Broken.NeverForwards::new),
                    CORRECT).withTimeLimit(Duration.ofSeconds(4)), "handover-across-implementations",
                    "during the hand-over to the reference 'lowest-fit'", "did not return after forwardTo"),
            new Row("GivesUpEarly", suiteOn(Broken.GivesUpEarly::new), "memalloc-exhaustion-and-recovery",
                    "allocPages(GFP_KERNEL|__GFP_MEMALLOC, 0) returned NO_PAGE with 15 frames free", "never handed out"),
            new Row("NoMaxOrder", suite(Broken.NoMaxOrder::new), "high-order-finds-every-free-block",
                    "allocPages(GFP_KERNEL|__GFP_MEMALLOC, 10) returned NO_PAGE although the 1024 frames at", "are free"),
            new Row("PrefersDma32", suite(Broken.PrefersDma32::new), "zonelist-order-respected",
                    "on a fresh machine allocPages(GFP_KERNEL, 0) returned", "in DMA32 (node 0): the first zone of the zonelist these "
                    + "flags allow is Normal (node 0)"),
            new Row("CompactionDropsTokens", suiteOn(Broken.CompactionDropsTokens::new), "compaction-keeps-every-page",
                    "the frame at", "holds token 0; the owner wrote"));

    @TestFactory
    Stream<DynamicTest> eachBrokenVariantFailsItsCheck() {
        return BrokenVariants.eachFails(ROWS);
    }

    @Test
    void everyCheckNotOnTheAllowListIsShownToFail() {
        BrokenVariants.uncoveredAreExactly(new FrameAllocatorConformance(MACHINES, CORRECT), ROWS, NOT_YET_SHOWN_TO_FAIL);
    }

    @Test
    void anUnknownCheckNameSaysWhichChecksThereAre() {
        AssertionError e = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> BrokenVariants.check(new FrameAllocatorConformance(MACHINES, CORRECT), "no-such-check"));
        assertTrue(e.getMessage().startsWith("no check named no-such-check; checks are [adoption-accounts-all-free-memory, "),
                e.getMessage());
    }

    @Test
    void theCrossImplementationHandOverIsSkippedWithoutAReference() {
        CheckResult r = run(new FrameAllocatorConformance(MACHINES, CORRECT), "handover-across-implementations");
        assertEquals(Status.SKIP, r.status(), r.format());
        assertEquals("no reference implementation was supplied to hand over to and from", r.reason());
    }

    @Test
    void anotherAlgorithmPassesEveryCheckHandingOverToAndFromTheFirst() {
        FrameAllocatorConformance suite = new FrameAllocatorConformance(MACHINES, BitmapAllocator.factory("highest-fit", true),
                CORRECT);
        ConformanceReport report = suite.run();
        assertTrue(report.passed(), report.format());
        assertEquals(report.results().size(), report.passedCount(), report.format());
        assertEquals("highest-fit", report.implementation());
        int n = suite.checks().size();
        assertTrue(report.format().endsWith("score: " + n + "/" + n + " (100%)"), report.format());
    }
}

package mm.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.tck.CheckResult.Status;
import org.junit.jupiter.api.Test;

/**
 * The ObjectCache suite catches what it claims to: a correct object cache (SimpleSlab) broken in
 * one way fails the checks that prove that rule, with a reason a student can act on.
 */
class BrokenObjectCachesTest {

    private static final MachineFactory MACHINES = ServiceLoader.load(MachineFactory.class).findFirst().orElseThrow();
    private static final FrameAllocatorFactory FRAMES = BitmapAllocator.factory("lowest-fit", false);
    private static final ObjectCacheFactory CORRECT = SimpleSlab.factory("simple", false);

    private static CheckResult run(Function<ObjectCache, ObjectCache> breakIt, String check) {
        ObjectCacheConformance suite = new ObjectCacheConformance(MACHINES, BrokenSlab.factory(CORRECT, breakIt), FRAMES);
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
    void aRequestInTheWrongSizeClassIsCaught() {
        fails(run(BrokenSlab.SkipsKmalloc96::new, "kmalloc-size-classes"), "kmalloc(65, GFP_KERNEL) returned",
                "which cacheOf() places in kmalloc-128: the kernel's cache for 65 bytes with these flags is kmalloc-96");
    }

    @Test
    void ignoringGfpDmaIsCaught() {
        fails(run(BrokenSlab.IgnoresDma::new, "kmalloc-gfp-types"), "kmalloc(8, GFP_KERNEL|GFP_DMA) returned",
                "which cacheOf() places in kmalloc-8: the kernel's cache for 8 bytes with these flags is dma-kmalloc-8");
    }

    @Test
    void aSwallowedDoubleFreeIsCaught() {
        fails(run(BrokenSlab.SwallowsDoubleFree::new, "bad-frees-rejected"), "(an object of kmalloc-64 already freed (double free)) "
                + "was accepted: the contract requires IllegalArgumentException or SlabCorruptionException");
        fails(run(BrokenSlab.SwallowsDoubleFree::new, "debug-double-free-reported"), "kmemCacheFree(tck-debug-df, ",
                "of an object already freed was accepted");
    }

    @Test
    void emptySlabsNeverGivenBackAreCaught() {
        fails(run(BrokenSlab.NeverShrinks::new, "everything-freed-returns-every-frame"), "kmemCacheShrink() of every cache",
                "were never given back to the page allocator");
    }

    @Test
    void aConstructorThatNeverRunsIsCaught() {
        fails(run(BrokenSlab.ForgetsCtor::new, "ctor-runs-on-each-object-of-new-slab"), "kmemCacheAlloc(tck-ctor) returned", "on which the constructor never ran");
    }

    @Test
    void aCheckThatSeesNothingIsCaught() {
        fails(run(BrokenSlab.BlindCheck::new, "check-detects-corruption"), "check() found nothing wrong after PG_slab was cleared");
    }

    @Test
    void kmallocZeroReturningNullIsCaught() {
        fails(run(BrokenSlab.ZeroIsNull::new, "kmalloc-zero-size"), "kmalloc(0, GFP_KERNEL) returned 0x0000000000000000, not "
                + "ZERO_SIZE_PTR");
    }

    @Test
    void theCrossImplementationHandOverIsSkippedWithoutAReference() {
        CheckResult r = run(Function.identity(), "handover-across-implementations");
        assertEquals(Status.SKIP, r.status(), r.format());
    }

    @Test
    void aBrokenImplementationFailsOnlyTheChecksOfItsRule() {
        ConformanceReport report = new ObjectCacheConformance(MACHINES, BrokenSlab.factory(CORRECT, BrokenSlab.ZeroIsNull::new),
                FRAMES).run();
        String failed = report.results().stream().filter(CheckResult::failed).map(CheckResult::name)
                .collect(Collectors.joining(","));
        assertEquals("kmalloc-zero-size", failed, report.format());
        assertTrue(report.format().endsWith("score: 23/24 (95%)"), report.format());
    }

    @Test
    void theSecondGeometryPassesEveryCheckHandingOverToAndFromTheFirst() {
        ConformanceReport report = new ObjectCacheConformance(MACHINES, SimpleSlab.factory("simple-big", true), FRAMES, CORRECT)
                .run();
        assertTrue(report.passed(), report.format());
        assertEquals(report.results().size(), report.passedCount(), report.format());
        assertTrue(report.format().endsWith("score: 25/25 (100%)"), report.format());
    }
}

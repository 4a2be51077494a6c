package mm.tck;

import static mm.tck.BrokenVariants.MACHINES;
import static mm.tck.BrokenVariants.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.tck.BrokenVariants.Row;
import mm.tck.CheckResult.Status;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The ObjectCache suite catches what it claims to: a correct object cache (SimpleSlab) broken in
 * one way fails the checks that prove that rule, with a reason a student can act on.
 */
class BrokenObjectCachesTest {

    private static final FrameAllocatorFactory FRAMES = BitmapAllocator.factory("lowest-fit", false);
    private static final ObjectCacheFactory CORRECT = SimpleSlab.factory("simple", false);

    /** The checks no broken variant below has been shown to fail: shrink it by adding a row. */
    private static final Set<String> NOT_YET_SHOWN_TO_FAIL = Set.of();

    private static ObjectCacheConformance suite(Function<ObjectCache, ObjectCache> breakIt) {
        return new ObjectCacheConformance(MACHINES, BrokenSlab.factory(CORRECT, breakIt), FRAMES);
    }

    /** Each broken variant, a check it fails, and words its reason holds. */
    private static final List<Row> ROWS = List.of(
            new Row("SkipsKmalloc96", suite(BrokenSlab.SkipsKmalloc96::new), "kmalloc-size-classes",
                    "kmalloc(65, GFP_KERNEL) returned",
                    "which cacheOf() places in kmalloc-128: the kernel's cache for 65 bytes with these flags is kmalloc-96"),
            new Row("IgnoresDma", suite(BrokenSlab.IgnoresDma::new), "kmalloc-gfp-types", "kmalloc(8, GFP_KERNEL|GFP_DMA) returned",
                    "which cacheOf() places in kmalloc-8: the kernel's cache for 8 bytes with these flags is dma-kmalloc-8"),
            new Row("SwallowsDoubleFree", suite(BrokenSlab.SwallowsDoubleFree::new), "bad-frees-rejected",
                    "(an object of kmalloc-64 already freed (double free)) was accepted: the contract requires "
                            + "IllegalArgumentException or SlabCorruptionException"),
            new Row("SwallowsDoubleFree", suite(BrokenSlab.SwallowsDoubleFree::new), "debug-double-free-reported",
                    "kmemCacheFree(tck-debug-df, ", "of an object already freed was accepted"),
            new Row("NeverShrinks", suite(BrokenSlab.NeverShrinks::new), "everything-freed-returns-every-frame",
                    "kmemCacheShrink() of every cache", "were never given back to the page allocator"),
            new Row("ForgetsCtor", suite(BrokenSlab.ForgetsCtor::new), "ctor-runs-on-each-object-of-new-slab",
                    "kmemCacheAlloc(tck-ctor) returned", "on which the constructor never ran"),
            new Row("BlindCheck", suite(BrokenSlab.BlindCheck::new), "check-detects-corruption",
                    "check() found nothing wrong after PG_slab was cleared"),
            new Row("ZeroIsNull", suite(BrokenSlab.ZeroIsNull::new), "kmalloc-zero-size",
                    "kmalloc(0, GFP_KERNEL) returned 0x0000000000000000, not ZERO_SIZE_PTR"),
            new Row("Misnamed", suite(BrokenSlab.Misnamed::new), "boot-creates-kmalloc-caches",
                    "implName() of the object cache is 'some other name' but its factory's is 'simple'"),
            new Row("KreallocAlwaysMoves", suite(BrokenSlab.KreallocAlwaysMoves::new), "krealloc-keeps-moves-frees",
                    "shrinking within ksize keeps the object where it is"),
            new Row("LeaksLargeKfree", suite(BrokenSlab.LeaksLargeKfree::new), "kmalloc-large-from-page-allocator",
                    "of a large kmalloc (order 2) changed the free pages of", "its pages go back to the page allocator"),
            new Row("ForgivesTooLarge", suite(BrokenSlab.ForgivesTooLarge::new), "kmalloc-too-large-rejected",
                    "kmalloc(4194305, GFP_KERNEL) was accepted: the contract requires IllegalArgumentException"),
            new Row("AcceptsBadAlign", suite(BrokenSlab.AcceptsBadAlign::new), "cache-create-bad-arguments-rejected",
                    "kmemCacheCreate(\"tck-b\", 40, 3, 0, null) (an alignment that is not a power of two) was accepted"),
            new Row("SilentDestroy", suite(BrokenSlab.SilentDestroy::new), "destroy-with-live-objects-refused",
                    "kmemCacheDestroy(tck-leak) with an object allocated was accepted"),
            new Row("MiscountsSlabinfo", suite(BrokenSlab.MiscountsSlabinfo::new), "slabinfo-consistent", "slabinfo(tck-info-a) shows 1 active objects",
                    "but 0 are allocated"),
            new Row("IgnoresAlign", suite(BrokenSlab.IgnoresAlign::new), "objects-aligned-disjoint-in-slab-frames",
                    "kmemCacheAlloc(tck-obj-a64) returned", "which is not aligned to 64 bytes (the align asked for)"),
            new Row("BlindValidate", suite(BrokenSlab.BlindValidate::new), "debug-redzone-overwrite-reported",
                    "validate(tck-rz-alloc) found nothing after 0x12 was written at", "byte 64 of the live 64-byte object"),
            new Row("BlindValidate", suite(BrokenSlab.BlindValidate::new), "debug-poison-overwrite-reported",
                    "validate(tck-poison) found nothing after 0x78 was written at", "the first byte of the freed object"),
            new Row("BlindPeek", suite(BrokenSlab.BlindPeek::new), "debug-poison-and-redzone-patterns",
                    "byte 0 of a freshly allocated object of tck-pattern-64", "is 0x00, not 0x6b"),
            new Row("NeverForwards", suite(BrokenSlab.NeverForwards::new),
                    "handover-same-implementation",
                    "on the old instance after forwardTo(successor) threw IllegalStateException",
                    "calls that still reach a quiesced implementation go on to its successor"),
            new Row("NeverForwards", suite(BrokenSlab.NeverForwards::new), "handover-forwards-cache-calls",
                    "kmemCacheCreate(tck-ho-late) on the old instance after quiesce() and forwardTo(successor) threw"),
            new Row("AdoptsAsAtBoot", suite(BrokenSlab.AdoptsAsAtBoot::new), "handover-and-back",
                    "check() after adopting its own Handover again (a rollback) reports"),
            new Row("AdoptsAsAtBoot", new ObjectCacheConformance(MACHINES, BrokenSlab.factory(CORRECT, BrokenSlab.AdoptsAsAtBoot::new),
                    FRAMES, CORRECT), "handover-across-implementations",
                    "check() after 'simple' from the reference 'simple' adopted the Handover reports"),
            new Row("LargeKmallocUncounted", new ObjectCacheConformance(MACHINES, BrokenSlab.factoryOn(CORRECT,
                    BrokenSlab.LargeKmallocUncounted::new), FRAMES), "slab-pages-counted-in-node-stats",
                    "with 600 objects allocated, NR_SLAB_UNRECLAIMABLE is", "pages in slabs (PG_slab) of the other caches and"),
            new Row("HandsOutTwice", suite(BrokenSlab.HandsOutTwice::new), "concurrent-cpus-no-object-twice", "two CPUs at once: kmalloc(",
                    "still holds"));

    @TestFactory
    Stream<DynamicTest> eachBrokenVariantFailsItsCheck() {
        return BrokenVariants.eachFails(ROWS);
    }

    @Test
    void everyCheckNotOnTheAllowListIsShownToFail() {
        BrokenVariants.uncoveredAreExactly(new ObjectCacheConformance(MACHINES, CORRECT, FRAMES), ROWS, NOT_YET_SHOWN_TO_FAIL);
    }

    @Test
    void theCrossImplementationHandOverIsSkippedWithoutAReference() {
        CheckResult r = run(suite(Function.identity()), "handover-across-implementations");
        assertEquals(Status.SKIP, r.status(), r.format());
    }

    @Test
    void aBrokenImplementationFailsOnlyTheChecksOfItsRule() {
        ObjectCacheConformance suite = suite(BrokenSlab.ZeroIsNull::new);
        ConformanceReport report = suite.run();
        String failed = report.results().stream().filter(CheckResult::failed).map(CheckResult::name)
                .collect(Collectors.joining(","));
        assertEquals("kmalloc-zero-size", failed, report.format());
        int n = suite.checks().size();
        assertTrue(report.format().contains("score: " + (n - 2) + "/" + (n - 1) + " ("), report.format());
    }

    @Test
    void theSecondGeometryPassesEveryCheckHandingOverToAndFromTheFirst() {
        ObjectCacheConformance suite = new ObjectCacheConformance(MACHINES, SimpleSlab.factory("simple-big", true), FRAMES, CORRECT);
        ConformanceReport report = suite.run();
        assertTrue(report.passed(), report.format());
        assertEquals(report.results().size(), report.passedCount(), report.format());
        int n = suite.checks().size();
        assertTrue(report.format().endsWith("score: " + n + "/" + n + " (100%)"), report.format());
    }
}

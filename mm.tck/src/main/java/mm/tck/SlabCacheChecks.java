package mm.tck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import mm.api.frame.Gfp;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;

/**
 * The checks of the caches themselves: {@code kmem_cache_create()}'s refusals, the constructor,
 * {@code kmem_cache_destroy()}, {@code /proc/slabinfo} and the node's slab counters.
 *
 * <p>{@code kmem_cache_create()} (mm/slab_common.c) refuses what {@code kmem_cache_sanity_check()}
 * and the flag mask refuse; a constructor runs on each object when {@code new_slab()} sets up the
 * slab ({@code setup_object()}), never at kmem_cache_alloc. {@code __kmem_cache_shutdown()} fails
 * on a cache with objects left, and {@code kmem_cache_destroy()} then keeps it after printing
 * "Objects remaining in NAME on __kmem_cache_shutdown()". slabinfo (v2.1, {@code cache_show()})
 * reports for SLUB every slab as active; {@code allocate_slab()} and {@code __free_slab()} count a
 * slab's pages in NR_SLAB_RECLAIMABLE_B for SLAB_RECLAIM_ACCOUNT caches and in
 * NR_SLAB_UNRECLAIMABLE_B for the others (in pages here), as {@code __kmalloc_large_node()} does
 * the pages of a large kmalloc.
 *
 * @param subject the implementation graded, the machines and frame allocator it runs on, the reference and the time limit
 */
record SlabCacheChecks(SlabSubject subject) {

    /** {@code cache-create-bad-arguments-rejected}: duplicate or empty name, size below 1, bad align or flag refused, caches() unchanged. */
    void cacheCreateBadArgumentsRejected() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        List<String> atBoot = SlabRig.names(c);
        KmemCache a = c.kmemCacheCreate("tck-a", 40, 0, 0, null);
        created(c, a, "tck-a", 40, 0, 0);
        List<String> names = SlabRig.names(c);
        Expect.that(names.size() == atBoot.size() + 1 && "tck-a".equals(names.get(names.size() - 1)), "after kmemCacheCreate"
                + "(\"tck-a\"), caches() is not the caches before it followed by tck-a (creation order): %s", names);
        String k64 = Kmalloc.cacheName(Kmalloc.KMALLOC_NORMAL, Kmalloc.kmallocIndex(64));
        refused(c, names, "tck-a", 40, 0, 0, "a duplicate name");
        refused(c, names, k64, 64, 0, 0, "the name of a kmalloc cache");
        refused(c, names, "", 40, 0, 0, "an empty name");
        refused(c, names, "tck-b", 0, 0, 0, "size 0");
        refused(c, names, "tck-b", -1, 0, 0, "a negative size");
        refused(c, names, "tck-b", 40, 3, 0, "an alignment that is not a power of two");
        refused(c, names, "tck-b", 40, 24, 0, "an alignment that is not a power of two");
        refused(c, names, "tck-b", 40, -8, 0, "a negative alignment");
        refused(c, names, "tck-b", 40, 0, 1L << 40, "a flag that does not exist");
        KmemCache b = c.kmemCacheCreate("tck-b", 1, 1, 0, null);
        created(c, b, "tck-b", 1, 1, 0);
        KmemCache d = c.kmemCacheCreate("tck-c", 40, 64, SlabFlags.SLAB_HWCACHE_ALIGN, null);
        created(c, d, "tck-c", 40, 64, SlabFlags.SLAB_HWCACHE_ALIGN);
        rig.free(b, rig.alloc(b, Gfp.GFP_KERNEL));
        rig.free(d, rig.alloc(d, Gfp.GFP_KERNEL));
        for (KmemCache kc : List.of(a, b, d)) {
            c.kmemCacheDestroy(kc);
        }
        Expect.that(SlabRig.names(c).equals(atBoot), "after destroying tck-a, tck-b and tck-c, caches() is %s, not the caches "
                + "of boot", SlabRig.names(c));
        rig.expectBackToBoot("creating and destroying caches");
    }

    private static void created(ObjectCache c, KmemCache kc, String name, int size, int align, long flags) {
        String call = "kmemCacheCreate(\"" + name + "\", " + size + ", " + align + ", " + SlabFlags.format(flags) + ", null)";
        Expect.that(kc != null, "%s returned null", call);
        Expect.that(name.equals(kc.name()) && kc.objectSize() == size && (kc.flags() & flags) == flags, "%s returned a cache "
                + "named '%s' of objectSize() %d with flags %s", call, kc.name(), kc.objectSize(), SlabFlags.format(kc.flags()));
        Expect.that(kc.align() >= align, "%s returned a cache of align() %d, less than asked", call, kc.align());
        Optional<KmemCache> found = c.findCache(name);
        Expect.that(found != null && found.isPresent() && name.equals(found.get().name()), "after %s, findCache(\"%s\") finds "
                + "nothing", call, name);
        SlabBootChecks.geometry(c, kc);
    }

    private static void refused(ObjectCache c, List<String> names, String name, int size, int align, long flags, String what) {
        String call = "kmemCacheCreate(\"" + name + "\", " + size + ", " + align + ", " + SlabFlags.format(flags) + ", null) ("
                + what + ")";
        Expect.illegalArgument(call, () -> c.kmemCacheCreate(name, size, align, flags, null));
        Expect.that(SlabRig.names(c).equals(names), "%s was refused but caches() changed: %s", call, SlabRig.names(c));
    }

    /** {@code ctor-runs-on-each-object-of-new-slab}: the constructor runs on every object of each new slab, never at allocation. */
    void ctorRunsOnEachObjectOfNewSlab() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        ConcurrentLinkedQueue<Long> constructed = new ConcurrentLinkedQueue<>();
        KmemCache kc = c.kmemCacheCreate("tck-ctor", 72, 0, 0, constructed::add);
        expectCtorCalls(c, kc, constructed, "after kmemCacheCreate");
        int per = kc.objectsPerSlab();
        int n = 2 * per + 1;
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long p = rig.alloc(kc, Gfp.GFP_KERNEL);
            objs.add(p);
            Expect.that(constructed.contains(p), "kmemCacheAlloc(tck-ctor) returned %s, on which the constructor never ran: it "
                    + "runs on every object of a new slab", SlabRig.hex(p));
            expectCtorCalls(c, kc, constructed, "after " + (i + 1) + " allocations");
        }
        for (int i = 0; i < n; i += 2) {
            rig.free(kc, objs.get(i));
        }
        expectCtorCalls(c, kc, constructed, "after freeing every other object");
        for (int i = 0; i < n; i += 2) {
            long p = rig.alloc(kc, Gfp.GFP_KERNEL);
            Expect.that(constructed.contains(p), "kmemCacheAlloc(tck-ctor) returned %s, on which the constructor never ran",
                    SlabRig.hex(p));
        }
        expectCtorCalls(c, kc, constructed, "after allocating as many again");
        Set<Long> distinct = new HashSet<>(constructed);
        Expect.that(distinct.size() == constructed.size(), "the constructor ran %d times on %d objects: once per object of a "
                + "new slab", constructed.size(), distinct.size());
        for (long p : distinct) {
            Optional<KmemCache> of = c.cacheOf(p);
            Expect.that(of.isPresent() && "tck-ctor".equals(of.get().name()), "the constructor ran on %s, which cacheOf() places "
                    + "in %s, not tck-ctor", SlabRig.hex(p), of.map(KmemCache::name).orElse("no cache"));
            Expect.that(Long.remainderUnsigned(p, Math.max(8, kc.align())) == 0, "the constructor ran on %s, which is not "
                    + "aligned to the cache's %d bytes", SlabRig.hex(p), kc.align());
        }
        rig.freeAll(c, new Random(Workload.SEED + 45));
        c.kmemCacheDestroy(kc);
        rig.expectBackToBoot("allocating and freeing objects of a cache with a constructor");
    }

    /** While no slab was given back, the constructor ran objectsPerSlab times per slab. */
    private static void expectCtorCalls(ObjectCache c, KmemCache kc, ConcurrentLinkedQueue<Long> constructed, String when) {
        SlabInfo si = c.slabinfo(kc);
        long expected = si.numSlabs() * kc.objectsPerSlab();
        Expect.that(constructed.size() == expected, "%s, the constructor of tck-ctor ran %d times, but the cache has %d slabs "
                + "of %d objects: it runs once on each object of a new slab", when, constructed.size(), si.numSlabs(),
                kc.objectsPerSlab());
    }

    /** {@code destroy-with-live-objects-refused}: "Objects remaining in NAME on __kmem_cache_shutdown()", the cache kept and usable. */
    void destroyWithLiveObjectsRefused() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        List<String> atBoot = SlabRig.names(c);
        KmemCache kc = c.kmemCacheCreate("tck-leak", 64, 0, SlabFlags.SLAB_NO_MERGE, null);
        long p = rig.alloc(kc, Gfp.GFP_KERNEL);
        String expected = "Objects remaining in tck-leak on __kmem_cache_shutdown()";
        try {
            c.kmemCacheDestroy(kc);
            throw Expect.fail("kmemCacheDestroy(tck-leak) with an object allocated was accepted: the contract requires "
                    + "IllegalStateException (\"%s\")", expected);
        } catch (IllegalStateException e) {
            Expect.that(e.getMessage() != null && e.getMessage().contains(expected), "kmemCacheDestroy(tck-leak) with an object "
                    + "allocated threw IllegalStateException(\"%s\"), which does not say \"%s\"", e.getMessage(), expected);
        } catch (RuntimeException e) {
            throw Expect.fail("kmemCacheDestroy(tck-leak) with an object allocated threw %s: the contract requires "
                    + "IllegalStateException (\"%s\")", ConformanceCheck.reason(e), expected);
        }
        Expect.that(c.findCache("tck-leak").isPresent() && SlabRig.names(c).contains("tck-leak"), "after the refused "
                + "kmemCacheDestroy(tck-leak), the cache is gone: it is kept while objects remain");
        long inUse = SlabRig.inUse(c, kc);
        Expect.that(inUse == 1, "after the refused kmemCacheDestroy(tck-leak), slabinfo shows %d active objects after "
                + "kmemCacheShrink, not 1", inUse);
        rig.expectLiveIntact(c, "after the refused kmemCacheDestroy(tck-leak)");
        long q = rig.alloc(kc, Gfp.GFP_KERNEL);
        rig.free(kc, q);
        rig.free(kc, p);
        c.kmemCacheDestroy(kc);
        Expect.that(c.findCache("tck-leak").isEmpty(), "after kmemCacheDestroy(tck-leak) of an empty cache, findCache finds it");
        Expect.that(SlabRig.names(c).equals(atBoot), "after kmemCacheDestroy(tck-leak), caches() is %s", SlabRig.names(c));
        KmemCache again = c.kmemCacheCreate("tck-leak", 128, 0, 0, null);
        Expect.that(again != null && again.objectSize() == 128, "kmemCacheCreate(\"tck-leak\", 128) after the first tck-leak "
                + "was destroyed did not make a new cache of 128 bytes");
        rig.free(again, rig.alloc(again, Gfp.GFP_KERNEL));
        c.kmemCacheDestroy(again);
        rig.expectBackToBoot("destroying tck-leak once empty");
    }

    /** {@code slabinfo-consistent}: the /proc/slabinfo row of a cache agrees with its geometry and with the objects held. */
    void slabinfoConsistent() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        List<KmemCache> mine = List.of(
                c.kmemCacheCreate("tck-info-a", 200, 0, 0, null),
                c.kmemCacheCreate("tck-info-b", 1000, 0, SlabFlags.SLAB_HWCACHE_ALIGN, null),
                c.kmemCacheCreate("tck-info-c", 24, 0, SlabFlags.SLAB_RECLAIM_ACCOUNT, null),
                c.kmemCacheCreate("tck-info-d", 5000, 0, 0, null));
        for (KmemCache kc : mine) {
            SlabBootChecks.geometry(c, kc);
            expectRow(c, kc, 0, "when it was created");
            int n = 2 * kc.objectsPerSlab() + 3;
            for (int i = 0; i < n; i++) {
                rig.alloc(kc, Gfp.GFP_KERNEL);
            }
            expectRow(c, kc, n, "with " + n + " objects allocated");
            List<Long> objs = rig.liveOf(kc.name());
            for (int i = 0; i < objs.size(); i += 2) {
                rig.free(kc, objs.get(i));
            }
            expectRow(c, kc, objs.size() / 2, "after freeing every other object");
        }
        String k256 = Kmalloc.cacheName(Kmalloc.KMALLOC_NORMAL, Kmalloc.kmallocIndex(256));
        for (int i = 0; i < 40; i++) {
            rig.kmalloc(200 + i, Gfp.GFP_KERNEL);
        }
        KmallocChecks.countedInSlabinfo(rig, "with 40 objects of " + k256 + " allocated");
        rig.freeAll(c, new Random(Workload.SEED + 46));
        for (KmemCache kc : mine) {
            c.kmemCacheShrink(kc);
            SlabInfo si = c.slabinfo(kc);
            Expect.that(si.numSlabs() == 0 && si.numObjs() == 0 && si.activeObjs() == 0, "after freeing every object of %s and "
                    + "kmemCacheShrink, slabinfo shows %d slabs, %d objects, %d active: an empty slab goes back at shrink",
                    kc.name(), si.numSlabs(), si.numObjs(), si.activeObjs());
            c.kmemCacheDestroy(kc);
        }
        rig.expectBackToBoot("the slabinfo checks");
    }

    /** A private cache's slabinfo row: its objects, slabs and geometry. */
    private static void expectRow(ObjectCache c, KmemCache kc, long active, String when) {
        SlabInfo si = c.slabinfo(kc);
        String n = kc.name();
        Expect.that(n.equals(si.name()), "slabinfo(%s) is named '%s'", n, si.name());
        Expect.that(si.activeObjs() >= active && si.activeObjs() <= si.numObjs(), "%s, slabinfo(%s) shows %d active objects "
                + "of %d, but %d are allocated", when, n, si.activeObjs(), si.numObjs(), active);
        Expect.that(si.numObjs() == si.numSlabs() * si.objPerSlab(), "%s, slabinfo(%s) shows %d objects in %d slabs of %d: "
                + "num_objs is num_slabs x objperslab", when, n, si.numObjs(), si.numSlabs(), si.objPerSlab());
        Expect.that(si.objPerSlab() == kc.objectsPerSlab() && si.pagesPerSlab() == 1 << kc.order() && si.objSize() == kc.size(),
                "%s, slabinfo(%s) shows objperslab %d, pagesperslab %d, objsize %d; the cache has objectsPerSlab() %d, order() "
                        + "%d, size() %d", when, n, si.objPerSlab(), si.pagesPerSlab(), si.objSize(), kc.objectsPerSlab(),
                kc.order(), kc.size());
        Expect.that(si.activeSlabs() >= 0 && si.activeSlabs() <= si.numSlabs(), "%s, slabinfo(%s) shows %d active slabs of %d",
                when, n, si.activeSlabs(), si.numSlabs());
        long exact = SlabRig.inUse(c, kc);
        Expect.that(exact == active, "%s, slabinfo(%s) shows %d active objects after kmemCacheShrink (which flushes the per-CPU "
                + "slabs), but %d are allocated", when, n, exact, active);
        SlabInfo after = c.slabinfo(kc);
        Expect.that(after.numObjs() == after.numSlabs() * after.objPerSlab() && after.numObjs() >= active, "%s and "
                + "kmemCacheShrink, slabinfo(%s) shows %d objects in %d slabs of %d", when, n, after.numObjs(), after.numSlabs(),
                after.objPerSlab());
    }

    private static void counted(SlabRig rig, ObjectCache c, String when) {
        rig.expectSlabPagesCounted(c, when);
        rig.expectSlabinfoCountsSlabPages(c, when);
    }

    /** {@code slab-pages-counted-in-node-stats}: NR_SLAB_RECLAIMABLE / NR_SLAB_UNRECLAIMABLE are the pages of the slabs, by cache flag. */
    void slabPagesCountedInNodeStats() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        counted(rig, c, "right after adopt(BOOT)");
        KmemCache rcl = c.kmemCacheCreate("tck-rcl", 300, 0, SlabFlags.SLAB_RECLAIM_ACCOUNT, null);
        KmemCache unr = c.kmemCacheCreate("tck-unr", 3000, 0, 0, null);
        Random rnd = new Random(Workload.SEED + 47);
        for (int i = 0; i < 600; i++) {
            if (rnd.nextInt(50) == 0) {
                rig.kmalloc(Kmalloc.KMALLOC_MAX_CACHE_SIZE + 1 + rnd.nextInt(100_000), Gfp.GFP_KERNEL);
                continue;
            }
            switch (rnd.nextInt(5)) {
                case 0 -> rig.alloc(rcl, Gfp.GFP_KERNEL);
                case 1 -> rig.alloc(unr, Gfp.GFP_KERNEL);
                case 2 -> rig.kmalloc(1 + rnd.nextInt(4096), Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE);
                case 3 -> rig.kmalloc(1 + rnd.nextInt(4096), Gfp.GFP_KERNEL | Gfp.__GFP_DMA);
                default -> rig.kmalloc(1 + rnd.nextInt(8192), Gfp.GFP_KERNEL);
            }
        }
        counted(rig, c, "with 600 objects allocated");
        List<Long> all = new ArrayList<>(rig.live.keySet());
        java.util.Collections.shuffle(all, rnd);
        for (long p : all.subList(0, all.size() / 2)) {
            SlabRig.Obj o = rig.live.get(p);
            if (o.kmalloc()) {
                rig.kfree(p);
            } else {
                rig.free(o.cache().equals("tck-rcl") ? rcl : unr, p);
            }
        }
        counted(rig, c, "after freeing half of them");
        rig.freeAll(c, rnd);
        counted(rig, c, "after freeing all of them");
        SlabRig.shrinkAll(c);
        counted(rig, c, "after kmemCacheShrink of every cache");
        c.kmemCacheDestroy(rcl);
        c.kmemCacheDestroy(unr);
        counted(rig, c, "after destroying tck-rcl and tck-unr");
        rig.expectBackToBoot("the node counter checks");
    }
}

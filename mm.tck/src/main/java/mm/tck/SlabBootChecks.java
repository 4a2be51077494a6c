package mm.tck;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.PageFlags;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;

/**
 * The checks of taking over a machine at boot, of the implementation's name, and of
 * {@code check()}.
 *
 * <p>{@code adopt(BOOT)} stands for {@code kmem_cache_init()} and {@code create_kmalloc_caches()}
 * (mm/slub.c, mm/slab_common.c): every kmalloc cache of every type exists afterwards, named and
 * sized as {@code kmalloc_info[]} says. {@code check()} has no single kernel counterpart; its
 * nearest are {@code validate_slab_cache()} and the {@code PageSlab()} tests of
 * {@code virt_to_slab()}: a slab whose frames lost {@code PG_slab} is seen.
 *
 * @param subject the implementation graded, the machines and frame allocator it runs on, the reference and the time limit
 */
record SlabBootChecks(SlabSubject subject) {

    /** {@code boot-creates-kmalloc-caches}: after adopt(BOOT), the 4 x 13 kmalloc caches, named and sized as the kernel's. */
    void bootCreatesKmallocCaches() {
        String expected = subject.factory().implName();
        Expect.factoryNamed(expected);
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        Expect.sameName("the object cache", c.implName(), expected);
        Expect.noProblems(c.check(), "right after adopt(BOOT)");
        List<KmemCache> caches = c.caches();
        Expect.that(caches != null, "caches() returned null instead of a list");
        Set<String> seen = new HashSet<>();
        for (KmemCache kc : caches) {
            Expect.that(seen.add(kc.name()), "caches() lists '%s' twice: cache names are unique", kc.name());
        }
        for (int type = 0; type < Kmalloc.NR_KMALLOC_TYPES; type++) {
            for (int index : Kmalloc.indexesBySize()) {
                String cn = Kmalloc.cacheName(type, index);
                Optional<KmemCache> found = c.findCache(cn);
                Expect.that(found != null && found.isPresent(), "after adopt(BOOT), findCache(\"%s\") finds nothing: "
                        + "create_kmalloc_caches() makes every kmalloc cache of every type", cn);
                KmemCache kc = found.get();
                Expect.that(seen.contains(cn), "findCache(\"%s\") finds the cache but caches() does not list it", cn);
                int size = Kmalloc.kmallocSize(index);
                Expect.that(cn.equals(kc.name()), "findCache(\"%s\") returned a cache named '%s'", cn, kc.name());
                Expect.that(kc.objectSize() == size, "%s has objectSize() %d, not %d", cn, kc.objectSize(), size);
                long flags = Kmalloc.cacheFlags(type);
                Expect.that((kc.flags() & flags) == flags, "%s has flags %s, without %s", cn, SlabFlags.format(kc.flags()),
                        SlabFlags.format(flags & ~kc.flags()));
                geometry(c, kc);
            }
        }
        rig.expectBackToBoot("adopt(BOOT)");
    }

    /** A cache's geometry holds together: stride, order, objects per slab, and its slabinfo row. */
    static void geometry(ObjectCache c, KmemCache kc) {
        String n = kc.name();
        Expect.that(kc.size() >= kc.objectSize(), "%s has size() %d below objectSize() %d: the stride holds the object", n,
                kc.size(), kc.objectSize());
        Expect.that(kc.order() >= 0 && kc.order() <= 10, "%s has slab order %d", n, kc.order());
        Expect.that(kc.objectsPerSlab() >= 1 && (long) kc.objectsPerSlab() * kc.size() <= Machine.PAGE_SIZE << kc.order(),
                "%s has %d objects of %d bytes per order-%d slab: they do not fit in its %d bytes", n, kc.objectsPerSlab(),
                kc.size(), kc.order(), Machine.PAGE_SIZE << kc.order());
        Expect.that(kc.align() >= 8 && Integer.bitCount(kc.align()) == 1, "%s has align() %d: at least 8 and a power of two",
                n, kc.align());
        SlabInfo si = c.slabinfo(kc);
        Expect.that(si != null && n.equals(si.name()), "slabinfo(%s) is %s", n, si == null ? "null" : "named " + si.name());
        Expect.that(si.objSize() == kc.size() && si.objPerSlab() == kc.objectsPerSlab() && si.pagesPerSlab() == 1 << kc.order(),
                "slabinfo(%s) says objsize %d, objperslab %d, pagesperslab %d but the cache has size() %d, objectsPerSlab() %d, "
                        + "order() %d", n, si.objSize(), si.objPerSlab(), si.pagesPerSlab(), kc.size(), kc.objectsPerSlab(),
                kc.order());
    }

    /** {@code check-detects-corruption}: a slab whose frames lost PG_slab is seen; check() changes nothing. */
    void checkDetectsCorruption() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        KmemCache kc = c.kmemCacheCreate("tck-check", 96, 0, 0, null);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            objs.add(rig.alloc(kc, Gfp.GFP_KERNEL));
        }
        for (int i = 0; i < 20; i++) {
            rig.kmalloc(8 + 40 * i, Gfp.GFP_KERNEL);
        }
        Expect.noProblems(c.check(), "on a state nothing corrupted");
        Map<String, SlabInfo> infos = SlabRig.infos(c);
        long[] figures = rig.figures();

        long pfn = rig.pfnOf(objs.get(0));
        long head = rig.blockHead(pfn);
        int order = rig.ft.order(head);
        List<Long> marked = new ArrayList<>();
        for (long p = head; p < head + (1L << order); p++) {
            if (rig.ft.test(p, PageFlags.PG_slab)) {
                marked.add(p);
            }
        }
        List<String> problems;
        for (long p : marked) {
            rig.ft.clear(p, PageFlags.PG_slab);
        }
        try {
            problems = c.check();
        } finally {
            for (long p : marked) {
                rig.ft.set(p, PageFlags.PG_slab);
            }
        }
        Expect.that(problems != null && !problems.isEmpty(), "check() found nothing wrong after PG_slab was cleared on the "
                + "frames of the slab at %s holding %s of tck-check", Expect.hex(head), SlabRig.hex(objs.get(0)));
        Expect.noProblems(c.check(), "after PG_slab was set again");
        Expect.that(SlabRig.infos(c).equals(infos), "check() changed the slabinfo of a cache");
        long[] after = rig.figures();
        Expect.that(java.util.Arrays.equals(after, figures), "check() changed the free pages of a zone");
        rig.expectLiveIntact(c, "after the check() calls");
        rig.freeAll(c, new java.util.Random(Workload.SEED + 40));
        c.kmemCacheDestroy(kc);
        rig.expectBackToBoot("freeing every object and destroying tck-check");
    }
}

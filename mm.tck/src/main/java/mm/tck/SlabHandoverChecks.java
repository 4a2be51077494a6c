package mm.tck;

import static mm.tck.Expect.hex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import mm.api.frame.Gfp;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Handover;

/**
 * The checks of the hot swap of the object cache: one instance hands the machine, with its caches
 * and live objects, to another of the same implementation, of the reference one, or back to
 * itself.
 *
 * <p>The swap is the laboratory's own; the kernel never replaces its slab allocator. What the
 * successor must keep is the kernel's promise to every caller of kmalloc and kmem_cache_alloc: an
 * object stays valid at its address until it is freed, and is freed through whichever allocator is
 * current. The frame table (PG_slab) and the {@link Handover} ({@code caches}, {@code cache.I},
 * {@code cache.I.slabs}, {@code kmalloc.large}, the constructors and the contents of debugging
 * caches' slabs) carry everything across.
 *
 * @param subject the implementation graded, the machines and frame allocator it runs on, the reference and the time limit
 */
record SlabHandoverChecks(SlabSubject subject) {

    /** What a check put on the machine before a hand-over, to compare after it. */
    private static final class Population {
        final ConcurrentLinkedQueue<Long> constructed = new ConcurrentLinkedQueue<>();
        final Map<Long, byte[]> contents = new HashMap<>();
        Map<String, SlabInfo> infos;
        KmemCache ctorCache;
        KmemCache debugCache;
    }

    /** Caches and objects of every kind: kmalloc of every type and size, large ones, a cache with a constructor, a debugging cache with contents. */
    private static Population populate(SlabRig rig, Random rnd) {
        ObjectCache c = rig.active;
        Population pop = new Population();
        pop.ctorCache = c.kmemCacheCreate("tck-ho-ctor", 48, 0, 0, pop.constructed::add);
        pop.debugCache = c.kmemCacheCreate("tck-ho-debug", 64, 0, SlabFlags.SLAB_DEBUG_FLAGS, null);
        KmemCache plain = c.kmemCacheCreate("tck-ho-plain", 700, 0, SlabFlags.SLAB_HWCACHE_ALIGN, null);
        for (int cpu = 0; cpu < 2; cpu++) {
            rig.machine.runOn(cpu, () -> {
                for (int i = 0; i < 300; i++) {
                    rig.kmalloc(SlabObjectChecks.pickSize(rnd), SlabObjectChecks.KMALLOC_GFP[rnd.nextInt(
                            SlabObjectChecks.KMALLOC_GFP.length)]);
                }
                for (int i = 0; i < 2 * pop.ctorCache.objectsPerSlab() + 1; i++) {
                    rig.alloc(pop.ctorCache, Gfp.GFP_KERNEL);
                }
                for (int i = 0; i < 40; i++) {
                    rig.alloc(plain, Gfp.GFP_KERNEL);
                }
                return null;
            });
        }
        for (long size : new long[] {9000, 70_000, 1 << 20}) {
            rig.kmalloc(size, Gfp.GFP_KERNEL);
        }
        for (int i = 0; i < 10; i++) {
            long p = rig.alloc(pop.debugCache, Gfp.GFP_KERNEL);
            byte[] b = new byte[64];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (i * 7 + j);
            }
            c.poke(p, b);
            pop.contents.put(p, b);
        }
        long freed = rig.alloc(pop.debugCache, Gfp.GFP_KERNEL);
        rig.free(pop.debugCache, freed);
        // free some of everything, so that slabs are partial
        List<Long> all = new ArrayList<>(rig.live.keySet());
        java.util.Collections.shuffle(all, rnd);
        for (long p : all.subList(0, all.size() / 4)) {
            if (!pop.contents.containsKey(p)) {
                SlabObjectChecks.freeOne(rig, c, p);
            }
        }
        SlabRig.shrinkAll(c);
        pop.infos = SlabRig.infos(c);
        return pop;
    }

    /** {@code from} quiesces; a new instance of {@code toFactory} adopts its Handover; everything is still there. */
    private static ObjectCache handOver(SlabRig rig, ObjectCache from, ObjectCacheFactory toFactory, Population pop, String label) {
        Handover h = from.quiesce();
        Expect.that(h != null, "quiesce() returned null: it returns the Handover for the successor");
        Expect.that(ObjectCache.CONTRACT.equals(h.contract()) && from.implName().equals(h.fromImpl()), "quiesce() returned a "
                + "Handover of contract '%s' from '%s', not of '%s' from '%s'", h.contract(), h.fromImpl(), ObjectCache.CONTRACT,
                from.implName());
        ObjectCache to = SlabSubject.create(toFactory, rig.machine, rig.frames);
        Expect.that(to != from, "the factory returned the same instance twice: create(machine, frames) makes a new object cache");
        to.adopt(h);
        from.forwardTo(to);
        rig.active = to;
        expectPopulation(rig, to, pop, "after " + label + " adopted the Handover");
        return to;
    }

    /** {@code to} knows every cache and live object, the contents of the debugging cache, and its checks pass. */
    private static void expectPopulation(SlabRig rig, ObjectCache to, Population pop, String when) {
        Expect.noProblems(to.check(), when);
        rig.expectLiveIntact(to, when);
        for (Map.Entry<String, SlabInfo> e : pop.infos.entrySet()) {
            Optional<KmemCache> kc = to.findCache(e.getKey());
            Expect.that(kc != null && kc.isPresent(), "%s, findCache(\"%s\") finds nothing: every cache is handed over", when,
                    e.getKey());
            long inUse = SlabRig.inUse(to, kc.get());
            Expect.that(inUse == e.getValue().activeObjs(), "%s, slabinfo(%s) shows %d active objects, %d before the "
                    + "hand-over (both after kmemCacheShrink)", when, e.getKey(), inUse, e.getValue().activeObjs());
        }
        for (Map.Entry<Long, byte[]> e : pop.contents.entrySet()) {
            if (rig.live.containsKey(e.getKey())) {
                byte[] now = to.peek(e.getKey(), e.getValue().length);
                Expect.that(Arrays.equals(now, e.getValue()), "%s, the object %s of tck-ho-debug holds other bytes than were "
                        + "written into it: the contents of debugging caches' slabs are handed over", when,
                        SlabRig.hex(e.getKey()));
            }
        }
        List<String> v = to.validate(pop.debugCache);
        Expect.that(v != null && v.isEmpty(), "%s, validate(tck-ho-debug) reports: %s (red zones and poison are handed over "
                + "with the contents)", when, v == null ? "null" : v.isEmpty() ? "" : v.get(0));
        rig.expectSlabPagesCounted(to, when);
    }

    /** Through the successor: old handles work, new objects avoid old ones, new slabs of the constructor's cache are constructed. */
    private static void exercise(SlabRig rig, ObjectCache to, Population pop, Random rnd, String label) {
        int before = pop.constructed.size();
        long slabsBefore = to.slabinfo(pop.ctorCache).numSlabs();
        for (int i = 0; i < 2 * pop.ctorCache.objectsPerSlab(); i++) {
            long p = rig.alloc(to, pop.ctorCache, Gfp.GFP_KERNEL); // the predecessor's handle, accepted by name
            Expect.that(pop.constructed.contains(p), "kmemCacheAlloc(tck-ho-ctor) through %s returned %s, on which the "
                    + "constructor never ran: the constructor is handed over and runs on each object of a new slab", label,
                    SlabRig.hex(p));
        }
        long newSlabs = to.slabinfo(pop.ctorCache).numSlabs() - slabsBefore;
        Expect.that(pop.constructed.size() - before >= newSlabs * pop.ctorCache.objectsPerSlab(), "%s made %d new slabs of "
                + "tck-ho-ctor but ran the handed-over constructor only %d times", label, newSlabs,
                pop.constructed.size() - before);
        for (int i = 0; i < 300; i++) {
            rig.kmalloc(to, SlabObjectChecks.pickSize(rnd), SlabObjectChecks.KMALLOC_GFP[rnd.nextInt(
                    SlabObjectChecks.KMALLOC_GFP.length)]);
        }
        rig.kmalloc(to, 50_000, Gfp.GFP_KERNEL);
        List<Long> all = new ArrayList<>(rig.live.keySet());
        java.util.Collections.shuffle(all, rnd);
        for (long p : all.subList(0, all.size() / 2)) {
            SlabObjectChecks.freeOne(rig, to, p);
        }
        Expect.noProblems(to.check(), "after allocating and freeing through " + label);
    }

    /** Frees everything through {@code c}, destroys the check's caches, and expects the machine as at boot. */
    private static void finish(SlabRig rig, ObjectCache c, Random rnd, String when) {
        rig.freeAll(c, rnd);
        for (String name : List.of("tck-ho-ctor", "tck-ho-debug", "tck-ho-plain")) {
            c.kmemCacheDestroy(c.findCache(name).orElseThrow(() -> new AssertionError("findCache(\"" + name + "\") finds "
                    + "nothing " + when)));
        }
        rig.expectSlabPagesCounted(c, when);
        rig.expectBackToBoot(when);
    }

    /**
     * {@code handover-same-implementation}: quiesce(); a second instance adopts the Handover and
     * keeps every cache and object; the first forwards late calls to it; everything is freed
     * through the second.
     */
    void handoverSameImplementation() {
        SlabRig rig = subject.rig();
        Random rnd = new Random(Workload.SEED + 52);
        ObjectCache from = rig.active;
        Population pop = populate(rig, rnd);
        String label = "a second instance of '" + subject.factory().implName() + "'";
        ObjectCache to = handOver(rig, from, subject.factory(), pop, label);
        exercise(rig, to, pop, rnd, label);

        // calls that still reach the old instance go on to its successor
        long late;
        try {
            late = from.kmalloc(100, Gfp.GFP_KERNEL);
        } catch (RuntimeException e) {
            throw Expect.fail("kmalloc(100) on the old instance after forwardTo(successor) threw %s: calls that still reach a "
                    + "quiesced implementation go on to its successor", ConformanceCheck.reason(e));
        }
        Expect.that(late != 0, "kmalloc(100) on the old instance after forwardTo(successor) returned NULL");
        rig.track(to, late, 100, Gfp.GFP_KERNEL, "kmalloc(100) on the old instance after forwardTo", null);
        long victim = rig.live.lastKey();
        SlabRig.Obj o = rig.live.get(victim);
        KmemCache victimCache = o.large() ? null : to.findCache(o.cache()).orElseThrow();
        long activeBefore = o.large() ? 0 : SlabRig.inUse(to, victimCache);
        long[] figures = rig.figures();
        try {
            SlabObjectChecks.freeOne(rig, from, victim);
        } catch (RuntimeException e) {
            throw Expect.fail("freeing %s on the old instance after forwardTo(successor) threw %s: calls that still reach a "
                    + "quiesced implementation go on to its successor", SlabRig.hex(victim), ConformanceCheck.reason(e));
        }
        if (o.large()) {
            rig.expectPagesBack(figures, victim, o.order(), "kfree(" + SlabRig.hex(victim) + ") on the old instance after "
                    + "forwardTo");
        } else {
            long now = SlabRig.inUse(to, victimCache);
            Expect.that(now == activeBefore - 1, "freeing %s on the old instance after forwardTo(successor) did not reach the "
                    + "successor: slabinfo(%s) there shows %d active objects, not %d", SlabRig.hex(victim), o.cache(), now,
                    activeBefore - 1);
        }
        Expect.noProblems(to.check(), "after calls forwarded from the old instance");
        finish(rig, to, rnd, "the hand-over to " + label + " and freeing every object through it");
    }

    /**
     * {@code handover-and-back}: an instance that quiesced takes its own Handover back; then it
     * hands over to a second instance, which hands back to it; every object survives both ways.
     */
    void handoverAndBack() {
        SlabRig rig = subject.rig();
        Random rnd = new Random(Workload.SEED + 53);
        ObjectCache a = rig.active;
        Population pop = populate(rig, rnd);
        Handover own = a.quiesce();
        Expect.that(own != null, "quiesce() returned null: it returns the Handover for the successor");
        a.adopt(own);
        expectPopulation(rig, a, pop, "after adopting its own Handover again (a rollback)");
        String label = "a second instance of '" + subject.factory().implName() + "'";
        ObjectCache b = handOver(rig, a, subject.factory(), pop, label);
        exercise(rig, b, pop, rnd, label);
        SlabRig.shrinkAll(b);
        pop.infos = SlabRig.infos(b);
        Handover back = b.quiesce();
        Expect.that(back != null, "quiesce() of the second instance returned null");
        a.adopt(back);
        b.forwardTo(a);
        rig.active = a;
        expectPopulation(rig, a, pop, "after the first instance took the machine back from the second");
        exercise(rig, a, pop, rnd, "the first instance, back");
        finish(rig, a, rnd, "handing over and back and freeing every object");
    }

    /** {@code handover-across-implementations}: from the reference implementation to this one, and from this one to the reference. */
    void handoverAcrossImplementations() {
        ObjectCacheFactory reference = subject.reference();
        if (reference == null) {
            ConformanceCheck.skip("no reference implementation was supplied to hand over to and from");
        }
        String name = subject.factory().implName();
        String ref = reference.implName();
        for (int way = 0; way < 2; way++) {
            ObjectCacheFactory first = way == 0 ? reference : subject.factory();
            ObjectCacheFactory second = way == 0 ? subject.factory() : reference;
            String label = way == 0 ? "'" + name + "' from the reference '" + ref + "'" : "the reference '" + ref + "' from '"
                    + name + "'";
            SlabRig rig = SlabRig.boot(subject, first);
            Random rnd = new Random(Workload.SEED + 54 + way);
            Population pop = populate(rig, rnd);
            ObjectCache to = handOver(rig, rig.active, second, pop, label);
            exercise(rig, to, pop, rnd, label);
            finish(rig, to, rnd, "the hand-over to " + label + " and freeing every object through it");
        }
    }

    /**
     * {@code handover-forwards-cache-calls}: after quiesce() and forwardTo(successor), the calls on
     * every CPU's state that still reach the old instance, kmemCacheCreate, kmemCacheShrink and
     * kmemCacheDestroy, act on the successor, never on the slabs it adopted through the old lists.
     */
    void handoverForwardsCacheCalls() {
        SlabRig rig = subject.rig();
        Random rnd = new Random(Workload.SEED + 56);
        ObjectCache from = rig.active;
        KmemCache old = from.kmemCacheCreate("tck-ho-old", 96, 0, 0, null);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 3 * old.objectsPerSlab(); i++) {
            objs.add(rig.alloc(from, old, Gfp.GFP_KERNEL));
        }
        long kept = objs.remove(objs.size() - 1);
        for (long p : objs) {
            rig.free(from, old, p); // empty slabs for the shrink to give back
        }
        Handover h = from.quiesce();
        ObjectCache to = SlabSubject.create(subject.factory(), rig.machine, rig.frames);
        to.adopt(h);
        from.forwardTo(to);
        rig.active = to;
        String late = "on the old instance after quiesce() and forwardTo(successor)";

        KmemCache created = call(() -> from.kmemCacheCreate("tck-ho-late", 200, 0, 0, null), "kmemCacheCreate(tck-ho-late)", late);
        Expect.that(created != null && to.findCache("tck-ho-late").isPresent(), "kmemCacheCreate(tck-ho-late) %s made a cache "
                + "the successor does not know (findCache finds nothing there): calls that reach a quiesced instance go on to "
                + "its successor", late);
        rig.free(to, created, rig.alloc(to, created, Gfp.GFP_KERNEL));

        long keptSize = to.ksize(kept);
        Expect.that(call(() -> from.ksize(kept), "ksize(" + hex(kept) + ")", late) == keptSize
                && call(() -> from.cacheOf(kept), "cacheOf(" + hex(kept) + ")", late).map(KmemCache::name).orElse("none")
                .equals("tck-ho-old"), "ksize and cacheOf of a live object %s do not answer as the successor does (%d, "
                + "tck-ho-old): queries that reach a quiesced instance go on to its successor", late, keptSize);

        call(() -> from.kmemCacheShrink(old), "kmemCacheShrink(tck-ho-old)", late);
        SlabInfo si = to.slabinfo(to.findCache("tck-ho-old").orElseThrow());
        Expect.that(si.activeObjs() == 1 && si.numSlabs() == 1, "kmemCacheShrink(tck-ho-old) %s left %d slabs with %d active "
                + "objects in the successor, not 1 slab with 1 (its empty slabs are given back there)", late, si.numSlabs(),
                si.activeObjs());
        Expect.noProblems(to.check(), "after kmemCacheShrink " + late);
        rig.expectSlabPagesCounted(to, "after kmemCacheShrink " + late);

        rig.free(to, old, kept);
        for (KmemCache kc : List.of(old, created)) {
            call(() -> {
                from.kmemCacheDestroy(kc);
                return null;
            }, "kmemCacheDestroy(" + kc.name() + ")", late);
            Expect.that(to.findCache(kc.name()).isEmpty(), "kmemCacheDestroy(%s) %s left the cache in the successor", kc.name(),
                    late);
        }
        Expect.noProblems(from.check(), "of the old instance (forwarded to the successor) " + late);
        rig.freeAll(to, rnd);
        rig.expectBackToBoot("kmemCacheCreate, kmemCacheShrink and kmemCacheDestroy " + late);
    }

    /** Runs a call on the old instance; fails the check if it threw. */
    private static <T> T call(Supplier<T> body, String what, String when) {
        try {
            return body.get();
        } catch (RuntimeException e) {
            throw Expect.fail("%s %s threw %s: calls that still reach a quiesced implementation go on to its successor", what,
                    when, ConformanceCheck.reason(e));
        }
    }
}

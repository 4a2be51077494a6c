package mm.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;

/**
 * The checks of the objects themselves: where they are, that bad frees are refused, and that every
 * page comes back.
 *
 * <p>Objects lie in slabs ({@code PageSlab()} frames), are aligned as {@code calculate_alignment()}
 * says (at least {@code ARCH_SLAB_MINALIGN} 8; the creator's align; with SLAB_HWCACHE_ALIGN the
 * cache line of 64 bytes, halved while the object fits in half of it), and never overlap. A free
 * of an address that is no allocated object is refused ({@code free_consistency_checks()},
 * {@code kfree()}'s check of {@code folio_test_slab()}, {@code cache_from_obj()}'s "Wrong slab
 * cache"). {@code kmem_cache_shrink()} ({@code __kmem_cache_do_shrink()}) gives back every empty
 * slab, so that nothing is left behind once everything is freed.
 *
 * @param subject the implementation graded, the machines and frame allocator it runs on, the reference and the time limit
 */
record SlabObjectChecks(SlabSubject subject) {

    /** A cache the mix allocates from: its creation arguments. */
    private record Spec(String name, int size, int align, long flags) {
        /** The alignment the kernel gives objects of this cache ({@code calculate_alignment}). */
        int expectedAlign() {
            int a = Math.max(8, align);
            if ((flags & SlabFlags.SLAB_HWCACHE_ALIGN) != 0) {
                int ralign = 64;
                while (size <= ralign / 2) {
                    ralign /= 2;
                }
                a = Math.max(a, ralign);
            }
            return a;
        }
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("tck-obj-1", 1, 0, 0), new Spec("tck-obj-7", 7, 0, 0), new Spec("tck-obj-24", 24, 0, 0),
            new Spec("tck-obj-hw20", 20, 0, SlabFlags.SLAB_HWCACHE_ALIGN),
            new Spec("tck-obj-hw100", 100, 0, SlabFlags.SLAB_HWCACHE_ALIGN),
            new Spec("tck-obj-a64", 40, 64, 0), new Spec("tck-obj-a128", 200, 128, 0), new Spec("tck-obj-a256", 33, 256, 0),
            new Spec("tck-obj-hw3000", 3000, 0, SlabFlags.SLAB_HWCACHE_ALIGN), new Spec("tck-obj-5000", 5000, 0, 0),
            new Spec("tck-obj-rcl", 40, 8, SlabFlags.SLAB_RECLAIM_ACCOUNT),
            new Spec("tck-obj-dma", 128, 0, SlabFlags.SLAB_CACHE_DMA));

    /** Requests of a mix: small ones most often, up to 8 KiB. */
    static long pickSize(Random rnd) {
        int r = rnd.nextInt(100);
        if (r < 50) {
            return 1 + rnd.nextInt(128);
        }
        if (r < 85) {
            return 1 + rnd.nextInt(1024);
        }
        return 1 + rnd.nextInt(Kmalloc.KMALLOC_MAX_CACHE_SIZE);
    }

    /** The GFP flags of a kmalloc mix: every kmalloc type. */
    static final int[] KMALLOC_GFP = {
        Gfp.GFP_KERNEL, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL, Gfp.GFP_ATOMIC, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
        Gfp.GFP_KERNEL_ACCOUNT, Gfp.GFP_KERNEL | Gfp.__GFP_DMA, Gfp.GFP_NOWAIT,
    };

    /** {@code objects-aligned-disjoint-in-slab-frames}: a seeded mix over caches of every alignment and kmalloc. */
    void objectsAlignedDisjointInSlabFrames() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        List<KmemCache> caches = new ArrayList<>();
        for (Spec s : SPECS) {
            KmemCache kc = c.kmemCacheCreate(s.name(), s.size(), s.align(), s.flags(), null);
            Expect.that(kc != null && kc.objectSize() == s.size(), "kmemCacheCreate(\"%s\", %d, %d, %s) returned a cache of "
                    + "objectSize() %s", s.name(), s.size(), s.align(), SlabFlags.format(s.flags()),
                    kc == null ? "null" : kc.objectSize());
            SlabBootChecks.geometry(c, kc);
            caches.add(kc);
        }
        Random rnd = new Random(Workload.SEED + 48);
        List<Long> held = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            if (held.isEmpty() || rnd.nextInt(100) < 60) {
                long p;
                if (rnd.nextBoolean()) {
                    int k = rnd.nextInt(SPECS.size());
                    Spec s = SPECS.get(k);
                    KmemCache kc = caches.get(k);
                    p = rig.alloc(kc, Gfp.GFP_KERNEL);
                    int a = s.expectedAlign();
                    Expect.that(Long.remainderUnsigned(p, a) == 0, "kmemCacheAlloc(%s) returned %s, which is not aligned to %d "
                            + "bytes (%s)", s.name(), SlabRig.hex(p), a, s.align() > 8 ? "the align asked for"
                            : (s.flags() & SlabFlags.SLAB_HWCACHE_ALIGN) != 0 ? "SLAB_HWCACHE_ALIGN of a " + s.size()
                                    + "-byte object" : "ARCH_SLAB_MINALIGN");
                    if ((s.flags() & SlabFlags.SLAB_CACHE_DMA) != 0) {
                        Zone z = rig.machine.zoneOfPfn(rig.pfnOf(p));
                        Expect.that(z.type() == mm.api.machine.ZoneType.DMA, "kmemCacheAlloc(%s) returned %s in zone %s: a "
                                + "SLAB_CACHE_DMA cache takes its slabs from ZONE_DMA", s.name(), SlabRig.hex(p), z.name());
                    }
                } else {
                    p = rig.kmalloc(pickSize(rnd), KMALLOC_GFP[rnd.nextInt(KMALLOC_GFP.length)]);
                }
                held.add(p);
            } else {
                int k = rnd.nextInt(held.size());
                long p = held.get(k);
                held.set(k, held.get(held.size() - 1));
                held.remove(held.size() - 1);
                freeOne(rig, c, p);
            }
        }
        rig.expectLiveIntact(c, "after a mix of 6000 allocations and frees");
        rig.freeAll(c, rnd);
        for (KmemCache kc : caches) {
            c.kmemCacheDestroy(kc);
        }
        rig.expectBackToBoot("a mix of 6000 allocations and frees over caches of every alignment and kmalloc");
    }

    /** Frees a live object the way it was allocated. */
    static void freeOne(SlabRig rig, ObjectCache c, long p) {
        SlabRig.Obj o = rig.live.get(p);
        if (o.kmalloc()) {
            rig.kfree(c, p);
        } else {
            rig.free(c, c.findCache(o.cache()).orElseThrow(), p);
        }
    }

    /**
     * {@code bad-frees-rejected}: kfree and kmemCacheFree of a free slot, a double free, the inside
     * of an object, a free frame, a reserved frame, the inside of a large kmalloc, an address
     * outside RAM, the wrong cache: refused, nothing changes, and no object is handed out twice.
     */
    void badFreesRejected() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        KmemCache kc = c.kmemCacheCreate("tck-bad", 64, 0, 0, null);
        String k64 = Kmalloc.cacheName(Kmalloc.KMALLOC_NORMAL, Kmalloc.kmallocIndex(64));
        List<Long> mine = new ArrayList<>();
        List<Long> km = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            mine.add(rig.alloc(kc, Gfp.GFP_KERNEL));
            km.add(rig.kmalloc(64, Gfp.GFP_KERNEL));
        }
        long large = rig.kmalloc(5 * Machine.PAGE_SIZE, Gfp.GFP_KERNEL);
        long freedLarge = rig.kmalloc(3 * Machine.PAGE_SIZE, Gfp.GFP_KERNEL);
        rig.kfree(freedLarge);
        long freedMine = mine.remove(5);
        rig.free(kc, freedMine);
        long freedKm = km.remove(5);
        rig.kfree(freedKm);
        long inside = km.get(0) + 8;
        long slot = freeSlot(rig, km.get(0), c.findCache(k64).orElseThrow().size(), List.of(freedKm));
        Zone dma32 = rig.zones.get(rig.zones.size() - 1);
        long plain = FrameCensus.lastPlainFreeFrame(rig.machine, dma32);
        long reserved = firstReserved(rig);
        if (plain < 0 || reserved < 0) {
            throw new IllegalStateException("a bug of the kit: it found no " + (plain < 0 ? "free frame in " + FrameCensus.name(dma32)
                    : "reserved frame") + " to try a bad free with");
        }

        Bad[] bad = {
            new Bad("kfree", freedKm, "an object of " + k64 + " already freed (double free)"),
            new Bad("kmemCacheFree(tck-bad)", freedMine, "an object of tck-bad already freed (double free)"),
            new Bad("kfree", inside, "8 bytes into a live object of " + k64),
            new Bad("kfree", slot, "a free object slot of a slab of " + k64),
            new Bad("kfree", SlabRig.virt(plain), "the first byte of the free frame " + Expect.hex(plain)),
            new Bad("kfree", SlabRig.virt(reserved), "the first byte of the reserved frame "
                    + Expect.hex(reserved)),
            new Bad("kfree", large + Machine.PAGE_SIZE, "the second page of a large kmalloc"),
            new Bad("kfree", freedLarge, "a large kmalloc already freed (double free)"),
            new Bad("kfree", 0xdead000L, "an address outside the direct map"),
            new Bad("kfree", SlabRig.virt(rig.ft.endPfn()) + 64, "an address past the end of RAM"),
            new Bad("kmemCacheFree(tck-bad)", km.get(1), "an object of " + k64 + ", not of tck-bad"),
            new Bad("kmemCacheFree(tck-bad)", mine.get(0) + 4, "4 bytes into a live object of tck-bad"),
        };
        for (Bad b : bad) {
            Map<String, SlabInfo> infos = SlabRig.infos(c);
            long[] figures = rig.figures();
            String call = b.call().startsWith("kfree") ? "kfree(" + SlabRig.hex(b.addr()) + ")"
                    : "kmemCacheFree(tck-bad, " + SlabRig.hex(b.addr()) + ")";
            Expect.rejected(call, b.what(), () -> {
                if (b.call().startsWith("kfree")) {
                    c.kfree(b.addr());
                } else {
                    c.kmemCacheFree(kc, b.addr());
                }
            });
            Expect.that(SlabRig.infos(c).equals(infos), "%s (%s) was refused but changed the slabinfo of a cache", call,
                    b.what());
            Expect.that(Arrays.equals(rig.figures(), figures), "%s (%s) was refused but changed the free pages of a zone", call,
                    b.what());
            Expect.noProblems(c.check(), "after the refused " + call + " (" + b.what() + ")");
            rig.expectLiveIntact(c, "after the refused " + call + " (" + b.what() + ")");
        }
        Expect.that(plain < 0 || !rig.ft.test(plain, PageFlags.PG_slab) && !FrameCensus.allocatedHead(rig.ft, plain),
                "after the refused kfree of the free frame %s, the frame is no longer free", Expect.hex(plain));
        // nothing was put on a freelist twice: new objects never coincide with live ones (the rig checks each)
        for (int i = 0; i < 3 * kc.objectsPerSlab(); i++) {
            rig.alloc(kc, Gfp.GFP_KERNEL);
            rig.kmalloc(64, Gfp.GFP_KERNEL);
        }
        rig.freeAll(c, new Random(Workload.SEED + 49));
        c.kmemCacheDestroy(kc);
        rig.expectBackToBoot("the refused frees");
    }

    private record Bad(String call, long addr, String what) {
    }

    /** An object slot of the slab holding {@code live}, at a multiple of the stride from it, that the rig does not hold. */
    private static long freeSlot(SlabRig rig, long live, int stride, List<Long> excluded) {
        long head = rig.blockHead(rig.pfnOf(live));
        long start = SlabRig.virt(head);
        long end = start + (Machine.PAGE_SIZE << rig.ft.order(head));
        for (long a = live + stride; a + stride <= end; a += stride) {
            if (!rig.live.containsKey(a) && !excluded.contains(a)) {
                return a;
            }
        }
        for (long a = live - stride; a >= start; a -= stride) {
            if (!rig.live.containsKey(a) && !excluded.contains(a)) {
                return a;
            }
        }
        return 0;
    }

    /** The first reserved frame of the machine, or -1. */
    private static long firstReserved(SlabRig rig) {
        for (long p = rig.ft.startPfn(); p < rig.ft.endPfn(); p++) {
            if (rig.ft.pfnValid(p) && rig.ft.test(p, PageFlags.PG_reserved)) {
                return p;
            }
        }
        return -1;
    }

    /**
     * {@code everything-freed-returns-every-frame}: a seeded mix on both CPUs over kmalloc of every
     * type and size (large ones too) and private caches; once every object is freed and every
     * cache shrunk and the private ones destroyed, the zones' free pages are those of boot.
     */
    void everythingFreedReturnsEveryFrame() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        List<KmemCache> caches = new ArrayList<>();
        for (Spec s : SPECS) {
            caches.add(c.kmemCacheCreate(s.name(), s.size(), s.align(), s.flags(), null));
        }
        Random rnd = new Random(Workload.SEED + 50);
        for (int cpu = 0; cpu < 2; cpu++) {
            rig.machine.runOn(cpu, () -> {
                List<Long> held = new ArrayList<>(rig.live.keySet());
                for (int i = 0; i < 4000; i++) {
                    if (held.isEmpty() || rnd.nextInt(100) < 65) {
                        int r = rnd.nextInt(100);
                        long p;
                        if (r < 2) {
                            p = rig.kmalloc(Kmalloc.KMALLOC_MAX_CACHE_SIZE + 1 + rnd.nextInt(200_000), Gfp.GFP_KERNEL);
                        } else if (r < 50) {
                            p = rig.kmalloc(pickSize(rnd), KMALLOC_GFP[rnd.nextInt(KMALLOC_GFP.length)]);
                        } else {
                            p = rig.alloc(caches.get(rnd.nextInt(caches.size())), Gfp.GFP_KERNEL);
                        }
                        held.add(p);
                    } else {
                        int k = rnd.nextInt(held.size());
                        long p = held.get(k);
                        held.set(k, held.get(held.size() - 1));
                        held.remove(held.size() - 1);
                        freeOne(rig, c, p);
                    }
                }
                return null;
            });
        }
        Expect.noProblems(c.check(), "after a mix of 8000 allocations and frees on two CPUs");
        rig.expectLiveIntact(c, "after a mix of 8000 allocations and frees on two CPUs");
        rig.machine.runOn(1, () -> {
            rig.freeAll(c, rnd);
            return null;
        });
        long slabFrames = rig.slabFrames();
        long shrunk = 0;
        for (KmemCache kc : c.caches()) {
            shrunk += c.kmemCacheShrink(kc);
        }
        long gone = slabFrames - rig.slabFrames();
        Expect.that(shrunk == gone, "with every object freed, kmemCacheShrink of every cache returned %d pages in all, but %d "
                + "frames left the slabs (PG_slab): it returns the pages it gave back", shrunk, gone);
        for (KmemCache kc : caches) {
            c.kmemCacheDestroy(kc);
        }
        rig.expectBackToBoot("freeing every object of a mix on two CPUs and destroying its caches");
    }
}

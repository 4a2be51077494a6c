package mm.tck;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Handover;

/**
 * A fresh small machine, a frame allocator that adopted it, an object cache on top that adopted it
 * at boot, and the kit's bookkeeping around every call: the objects handed out and not yet freed,
 * and the free figures right after boot. Every object handed out through the rig is checked as it
 * returns (a kernel address in the direct map, aligned, inside a slab block of the frame table or,
 * for a large kmalloc, a block of exactly its order taken from the page allocator, overlapping no
 * live object, in the cache the contract names), and every large kmalloc and its kfree are checked
 * to take and give back exactly their pages. Used by one check on one thread.
 */
final class SlabRig {

    /** PAGE_OFFSET on x86_64: kernel addresses are PAGE_OFFSET + physical address. */
    static final long PAGE_OFFSET = 0xffff888000000000L;

    /** One object handed out through the rig. */
    record Obj(long addr, long bytes, String cache, int order, boolean kmalloc, long requested) {
        /** One past the last byte the object may use. */
        long end() {
            return addr + bytes;
        }

        /** True for a large kmalloc: pages straight from the page allocator. */
        boolean large() {
            return order >= 0;
        }
    }

    final Machine machine;
    final FrameTable ft;
    final List<Zone> zones;
    /** The frame allocator under the object caches. */
    final FrameAllocator frames;
    /** The instance that adopted the machine at boot. */
    final ObjectCache adopted;
    /** The instance that owns the machine now: the adopter, until a hand-over names its successor. */
    ObjectCache active;
    /** Objects handed out through the rig and not freed, by address. */
    final TreeMap<Long, Obj> live = new TreeMap<>();
    private final long[] bootFree;
    private final long[] bootCensus;
    private final long bootSlabFrames;
    private final Map<String, SlabInfo> bootInfo;

    private SlabRig(Machine machine, FrameAllocator frames, ObjectCache adopted) {
        this.machine = machine;
        this.ft = machine.frames();
        this.zones = FrameCensus.zones(machine);
        this.frames = frames;
        this.adopted = adopted;
        this.active = adopted;
        shrinkAll(adopted);
        this.bootFree = figures();
        this.bootCensus = FrameCensus.freeFrames(machine);
        this.bootSlabFrames = slabFrames();
        this.bootInfo = infos(adopted);
    }

    /** A fresh small machine, a new frame allocator adopted at boot, and a new instance of {@code f} adopted at boot. */
    static SlabRig boot(SlabSubject s, ObjectCacheFactory f) {
        Machine m = AllocatorRig.boot(s.machines(), Machines.SMALL);
        FrameAllocator fa = AllocatorRig.create(s.frames(), m);
        fa.adopt(Handover.BOOT);
        ObjectCache oc = SlabSubject.create(f, m, fa);
        oc.adopt(Handover.BOOT);
        return new SlabRig(m, fa, oc);
    }

    // ---- addresses ----------------------------------------------------------------------------

    /** The kernel address of the first byte of a frame. */
    static long virt(long pfn) {
        return PAGE_OFFSET + (pfn << Machine.PAGE_SHIFT);
    }

    /** An address as the kernel's {@code %px} prints it. */
    static String hex(long addr) {
        return String.format("0x%016x", addr);
    }

    /** The frame of a kernel address, or -1 if it is not in the direct map of this machine's RAM. */
    long pfnOf(long addr) {
        if (Long.compareUnsigned(addr, PAGE_OFFSET) < 0) {
            return -1;
        }
        long pfn = (addr - PAGE_OFFSET) >>> Machine.PAGE_SHIFT;
        return pfn >= ft.startPfn() && pfn < ft.endPfn() && ft.pfnValid(pfn) ? pfn : -1;
    }

    /** The head of the allocated block holding a frame, by the frame table (count &gt; 0 and order), or -1. */
    long blockHead(long pfn) {
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            long h = pfn & -(1L << o);
            if (h < ft.startPfn()) {
                break;
            }
            if (FrameCensus.allocatedHead(ft, h) && h + (1L << ft.order(h)) > pfn) {
                return h;
            }
        }
        return -1;
    }

    /** True if a frame lies in a slab: PG_slab on it or on the head of its block. */
    boolean inSlab(long pfn) {
        long head = blockHead(pfn);
        return head >= 0 && (ft.test(head, PageFlags.PG_slab) || ft.test(pfn, PageFlags.PG_slab));
    }

    /** Frames in slab blocks (allocated blocks whose head carries PG_slab). */
    long slabFrames() {
        long n = 0;
        long pfn = ft.startPfn();
        long end = ft.endPfn();
        while (pfn < end) {
            if (ft.pfnValid(pfn) && FrameCensus.allocatedHead(ft, pfn) && ft.order(pfn) <= FrameAllocator.MAX_PAGE_ORDER) {
                long size = 1L << ft.order(pfn);
                if (ft.test(pfn, PageFlags.PG_slab)) {
                    n += size;
                }
                pfn += size;
            } else {
                pfn++;
            }
        }
        return n;
    }

    // ---- figures ------------------------------------------------------------------------------

    /** Free pages per zone id: NR_FREE_PAGES plus the frame allocator's per-CPU lists. */
    long[] figures() {
        return FrameCensus.accountedFree(machine, frames);
    }

    /** Every cache's slabinfo row, by name, in the order of {@code caches()}. */
    static Map<String, SlabInfo> infos(ObjectCache c) {
        Map<String, SlabInfo> out = new LinkedHashMap<>();
        List<KmemCache> caches = c.caches();
        Expect.that(caches != null, "caches() returned null instead of a list");
        for (KmemCache kc : caches) {
            out.put(kc.name(), c.slabinfo(kc));
        }
        return out;
    }

    /** A cache's slabinfo row right after boot (null for a cache created since). */
    SlabInfo bootInfo(String name) {
        return bootInfo.get(name);
    }

    /** The names of every cache, in the order of {@code caches()}. */
    static List<String> names(ObjectCache c) {
        List<String> out = new ArrayList<>();
        for (KmemCache kc : c.caches()) {
            out.add(kc.name());
        }
        return out;
    }

    /**
     * A cache's objects in use, exactly: slabinfo's active_objs after kmemCacheShrink. (Before it,
     * SLUB counts the free objects of per-CPU slabs as active, as the kernel's /proc/slabinfo does:
     * {@code active_objs = total_objects - free objects on the node partial lists}.)
     */
    static long inUse(ObjectCache c, KmemCache kc) {
        c.kmemCacheShrink(kc);
        return c.slabinfo(kc).activeObjs();
    }

    /** kmemCacheShrink of every cache. */
    static void shrinkAll(ObjectCache c) {
        for (KmemCache kc : c.caches()) {
            c.kmemCacheShrink(kc);
        }
    }

    /** The cache named {@code name}, which must exist. */
    KmemCache cache(String name) {
        Optional<KmemCache> kc = active.findCache(name);
        Expect.that(kc != null && kc.isPresent(), "findCache(\"%s\") found nothing: the cache exists", name);
        return kc.get();
    }

    // ---- kmalloc ------------------------------------------------------------------------------

    /** kmalloc through the active instance, checked and recorded; fails the check on NULL. */
    long kmalloc(long size, int gfp) {
        return kmalloc(active, size, gfp);
    }

    /** kmalloc through {@code c}, checked and recorded; fails the check on NULL. */
    long kmalloc(ObjectCache c, long size, int gfp) {
        String call = "kmalloc(" + size + ", " + Gfp.format(gfp) + ")";
        long[] before = size > Kmalloc.KMALLOC_MAX_CACHE_SIZE ? figures() : null;
        long addr = c.kmalloc(size, gfp);
        Expect.that(addr != 0, "%s returned 0 (NULL) on a machine with plenty of free memory", call);
        track(c, addr, size, gfp, call, before);
        return addr;
    }

    /**
     * Checks and records what a kmalloc of {@code size} bytes with {@code gfp} returned: in the
     * kmalloc cache the kernel picks, or for a large size a block of pages of exactly its order
     * ({@code before}: the free figures before the call, or null not to compare them).
     */
    void track(ObjectCache c, long addr, long size, int gfp, String call, long[] before) {
        Expect.that(addr != ObjectCache.ZERO_SIZE_PTR, "%s returned ZERO_SIZE_PTR: only kmalloc(0) does", call);
        if (size <= Kmalloc.KMALLOC_MAX_CACHE_SIZE) {
            int type = Kmalloc.kmallocType(gfp);
            int index = Kmalloc.kmallocIndex(size);
            int ks = Kmalloc.kmallocSize(index);
            String name = Kmalloc.cacheName(type, index);
            int align = Integer.bitCount(ks) == 1 ? ks : 8;
            long pfn = verifySlabObject(addr, ks, align, call,
                    align == 8 ? "8 bytes" : ks + " bytes (kmalloc of a power-of-two size is aligned to its size)");
            Optional<KmemCache> kc = c.cacheOf(addr);
            String got = kc == null || kc.isEmpty() ? null : kc.get().name();
            Expect.that(name.equals(got), "%s returned %s, which cacheOf() places in %s: the kernel's cache for %d bytes with "
                    + "these flags is %s", call, hex(addr), got == null ? "no cache" : got, size, name);
            long ksize = c.ksize(addr);
            Expect.that(ksize == ks, "%s returned %s with ksize %d: objects of %s have %d usable bytes", call, hex(addr), ksize,
                    name, ks);
            if (type == Kmalloc.KMALLOC_DMA) {
                Zone z = machine.zoneOfPfn(pfn);
                Expect.that(z != null && z.type() == ZoneType.DMA, "%s returned %s in zone %s: dma-kmalloc caches take "
                        + "their slabs from ZONE_DMA (SLAB_CACHE_DMA)", call, hex(addr), z == null ? "none" : z.name());
            }
            live.put(addr, new Obj(addr, ks, name, -1, true, size));
        } else {
            int order = Kmalloc.largeOrder(size);
            long pages = 1L << order;
            long pfn = pfnOf(addr);
            Expect.that(pfn >= 0 && virt(pfn) == addr, "%s returned %s: a large kmalloc returns the first byte of a block of pages "
                    + "in the direct map (0xffff888000000000 + physical address)", call, hex(addr));
            Expect.that(FrameCensus.allocatedHead(ft, pfn) && ft.order(pfn) == order, "%s returned %s, whose frame %s is not the "
                    + "head of an allocated order-%d block in the frame table (count %d, order %d, flags %s): above %d bytes "
                    + "kmalloc takes 2^get_order(size) pages from the page allocator", call, hex(addr), Expect.hex(pfn), order,
                    ft.refcount(pfn), ft.order(pfn), FrameCensus.flags(ft, pfn), Kmalloc.KMALLOC_MAX_CACHE_SIZE);
            Expect.that(!ft.test(pfn, PageFlags.PG_slab), "%s returned %s, whose frame carries PG_slab: a large kmalloc is not "
                    + "a slab", call, hex(addr));
            if ((gfp & Gfp.__GFP_DMA) != 0) {
                Zone z = machine.zoneOfPfn(pfn);
                Expect.that(z != null && z.type() == ZoneType.DMA, "%s returned %s in zone %s: the page allocator serves "
                        + "__GFP_DMA from ZONE_DMA", call, hex(addr), z == null ? "none" : z.name());
            }
            noOverlap(addr, Machine.PAGE_SIZE << order, call);
            Optional<KmemCache> kc = c.cacheOf(addr);
            Expect.that(kc != null && kc.isEmpty(), "cacheOf(%s) of a large kmalloc answers %s: its pages belong to no cache",
                    hex(addr), kc == null ? "null" : kc.map(KmemCache::name).orElse("nothing"));
            long ksize = c.ksize(addr);
            Expect.that(ksize == Machine.PAGE_SIZE << order, "%s returned %s with ksize %d: a large kmalloc has the %d bytes of "
                    + "its order-%d block", call, hex(addr), ksize, Machine.PAGE_SIZE << order, order);
            if (before != null) {
                long[] after = figures();
                Zone zone = machine.zoneOfPfn(pfn);
                for (Zone z : zones) {
                    long expected = before[z.id()] - (z == zone ? pages : 0);
                    Expect.that(after[z.id()] == expected, "%s took the order-%d block %s from %s, but the free pages of %s went "
                            + "from %d to %d instead of %d", call, order, Expect.hex(pfn), FrameCensus.name(zone),
                            FrameCensus.name(z), before[z.id()], after[z.id()], expected);
                }
            }
            live.put(addr, new Obj(addr, Machine.PAGE_SIZE << order, null, order, true, size));
        }
    }

    /** kfree through the active instance of an object the rig holds. */
    void kfree(long addr) {
        kfree(active, addr);
    }

    /** kfree through {@code c} of an object the rig holds; a large one gives exactly its pages back. */
    void kfree(ObjectCache c, long addr) {
        Obj o = forget(addr);
        long[] before = o.large() ? figures() : null;
        c.kfree(addr);
        if (o.large()) {
            expectPagesBack(before, addr, o.order, "kfree(" + hex(addr) + ")");
        }
    }

    /** Pages of a large kmalloc went back: exactly 2^order to the block's zone. */
    void expectPagesBack(long[] before, long addr, int order, String call) {
        long pfn = pfnOf(addr);
        Zone zone = machine.zoneOfPfn(pfn);
        long[] after = figures();
        for (Zone z : zones) {
            long expected = before[z.id()] + (z == zone ? 1L << order : 0);
            Expect.that(after[z.id()] == expected, "%s of a large kmalloc (order %d) changed the free pages of %s from %d to %d "
                    + "instead of %d: its pages go back to the page allocator", call, order, FrameCensus.name(z), before[z.id()],
                    after[z.id()], expected);
        }
    }

    /** Stops tracking an object (it was freed by a call the check made itself). */
    Obj forget(long addr) {
        Obj o = live.remove(addr);
        if (o == null) {
            throw new IllegalStateException("the kit frees " + hex(addr) + ", which it did not allocate");
        }
        return o;
    }

    // ---- caches -------------------------------------------------------------------------------

    /** kmemCacheAlloc through the active instance, checked and recorded; fails the check on NULL. */
    long alloc(KmemCache kc, int gfp) {
        return alloc(active, kc, gfp);
    }

    /** kmemCacheAlloc through {@code c}, checked and recorded; fails the check on NULL. */
    long alloc(ObjectCache c, KmemCache kc, int gfp) {
        String call = "kmemCacheAlloc(" + kc.name() + ", " + Gfp.format(gfp) + ")";
        long addr = c.kmemCacheAlloc(kc, gfp);
        Expect.that(addr != 0, "%s returned 0 (NULL) on a machine with plenty of free memory", call);
        trackObject(c, kc, addr, call);
        return addr;
    }

    /** Checks and records an object of a cache handed out by {@code call}. */
    void trackObject(ObjectCache c, KmemCache kc, long addr, String call) {
        int align = Math.max(8, kc.align());
        verifySlabObject(addr, kc.objectSize(), align, call, align + " bytes (the cache's align())");
        Optional<KmemCache> of = c.cacheOf(addr);
        String got = of == null || of.isEmpty() ? null : of.get().name();
        Expect.that(kc.name().equals(got), "%s returned %s, which cacheOf() places in %s", call, hex(addr),
                got == null ? "no cache" : got);
        live.put(addr, new Obj(addr, kc.objectSize(), kc.name(), -1, false, kc.objectSize()));
    }

    /** kmemCacheFree through the active instance of an object the rig holds. */
    void free(KmemCache kc, long addr) {
        free(active, kc, addr);
    }

    /** kmemCacheFree through {@code c} of an object the rig holds. */
    void free(ObjectCache c, KmemCache kc, long addr) {
        forget(addr);
        c.kmemCacheFree(kc, addr);
    }

    /** Frees every live object through {@code c}, in a seeded random order: kfree for kmalloc'd ones, kmemCacheFree for the others. */
    void freeAll(ObjectCache c, Random rnd) {
        List<Obj> all = new ArrayList<>(live.values());
        Collections.shuffle(all, rnd);
        for (Obj o : all) {
            if (o.kmalloc()) {
                kfree(c, o.addr());
            } else {
                KmemCache kc = c.findCache(o.cache()).orElseThrow(() -> new AssertionError("findCache(\"" + o.cache()
                        + "\") found nothing while " + hex(o.addr()) + " of that cache is allocated"));
                free(c, kc, o.addr());
            }
        }
    }

    /** The live objects of one cache. */
    List<Long> liveOf(String cache) {
        List<Long> out = new ArrayList<>();
        for (Obj o : live.values()) {
            if (cache.equals(o.cache())) {
                out.add(o.addr());
            }
        }
        return out;
    }

    // ---- checks -------------------------------------------------------------------------------

    /**
     * An object of {@code bytes} just handed out: a kernel address of this machine's RAM, aligned,
     * in a slab block of the frame table, inside it, overlapping no live object. Returns its frame.
     */
    long verifySlabObject(long addr, long bytes, int align, String call, String alignWhy) {
        long pfn = pfnOf(addr);
        Expect.that(pfn >= 0, "%s returned %s, which is not a kernel address of this machine's RAM (0xffff888000000000 + "
                + "physical address, frames %s to %s)", call, hex(addr), Expect.hex(ft.startPfn()), Expect.hex(ft.endPfn() - 1));
        Expect.that(Long.remainderUnsigned(addr, align) == 0, "%s returned %s, which is not aligned to %s", call, hex(addr),
                alignWhy);
        long head = blockHead(pfn);
        Expect.that(head >= 0, "%s returned %s in frame %s, which belongs to no allocated block in the frame table (count %d, "
                + "flags %s): slabs are pages taken from the page allocator", call, hex(addr), Expect.hex(pfn), ft.refcount(pfn),
                FrameCensus.flags(ft, pfn));
        Expect.that(ft.test(head, PageFlags.PG_slab) || ft.test(pfn, PageFlags.PG_slab), "%s returned %s in frame %s, which is "
                + "not a slab frame: PG_slab is set neither on it nor on the head %s of its block", call, hex(addr),
                Expect.hex(pfn), Expect.hex(head));
        long slabEnd = virt(head) + (Machine.PAGE_SIZE << ft.order(head));
        Expect.that(Long.compareUnsigned(addr + bytes, slabEnd) <= 0, "%s returned %s: its %d bytes run past the end of its "
                + "order-%d slab at %s", call, hex(addr), bytes, ft.order(head), hex(virt(head)));
        noOverlap(addr, bytes, call);
        return pfn;
    }

    /** Fails if [addr, addr + bytes) overlaps an object still live. */
    void noOverlap(long addr, long bytes, String call) {
        Map.Entry<Long, Obj> below = live.floorEntry(addr + bytes - 1);
        if (below != null && below.getValue().end() > addr) {
            Obj o = below.getValue();
            throw Expect.fail("%s returned %s (%d bytes), which overlaps %s %s (%d bytes), handed out earlier and not freed",
                    call, hex(addr), bytes, o.large() ? "the large kmalloc at" : "the object of " + o.cache() + " at",
                    hex(o.addr()), o.bytes());
        }
    }

    /** Every live object is still known: in its cache by cacheOf(), with its ksize for kmalloc'd ones. */
    void expectLiveIntact(ObjectCache c, String when) {
        for (Obj o : live.values()) {
            Optional<KmemCache> of = c.cacheOf(o.addr());
            String got = of == null || of.isEmpty() ? null : of.get().name();
            if (o.large()) {
                Expect.that(got == null, "%s, cacheOf(%s) of a large kmalloc answers %s", when, hex(o.addr()), got);
            } else {
                Expect.that(o.cache().equals(got), "%s, cacheOf(%s) answers %s, not %s where the object was allocated", when,
                        hex(o.addr()), got == null ? "no cache" : got, o.cache());
            }
            if (o.kmalloc()) {
                long ks = c.ksize(o.addr());
                Expect.that(ks == o.bytes(), "%s, ksize(%s) is %d, not %d as when it was allocated", when, hex(o.addr()), ks,
                        o.bytes());
            }
            long head = blockHead(pfnOf(o.addr()));
            Expect.that(head >= 0 && (o.large() || inSlab(pfnOf(o.addr()))), "%s, the frame of the live object %s is %s", when,
                    hex(o.addr()), head < 0 ? "free in the frame table" : "no longer a slab frame (PG_slab)");
        }
    }

    /**
     * Nothing is allocated any more: after kmemCacheShrink of every cache, every zone's free pages
     * and free frames, and the frames in slabs, are what they were right after boot, and both
     * check()s find nothing.
     */
    void expectBackToBoot(String when) {
        if (!live.isEmpty()) {
            throw new IllegalStateException("the kit still holds " + live.size() + " objects " + when);
        }
        shrinkAll(active);
        long[] census = FrameCensus.freeFrames(machine);
        long[] free = figures();
        for (Zone z : zones) {
            long now = census[z.id()];
            long boot = bootCensus[z.id()];
            Expect.that(now == boot, "after %s and kmemCacheShrink() of every cache, %s has %d free frames in the frame table, %d "
                    + "right after adopt(BOOT): %d frames %s", when, FrameCensus.name(z), now, boot, Math.abs(now - boot),
                    now < boot ? "were never given back to the page allocator" : "more than at boot were freed");
            Expect.that(free[z.id()] == bootFree[z.id()], "after %s and kmemCacheShrink() of every cache, the free pages of %s "
                    + "(NR_FREE_PAGES + per-CPU lists) are %d, %d right after adopt(BOOT)", when, FrameCensus.name(z),
                    free[z.id()], bootFree[z.id()]);
        }
        long slab = slabFrames();
        Expect.that(slab == bootSlabFrames, "after %s and kmemCacheShrink() of every cache, %d frames are in slabs (PG_slab), "
                + "%d right after adopt(BOOT)", when, slab, bootSlabFrames);
        Expect.noProblems(active.check(), "after " + when);
        List<String> fp = frames.check();
        Expect.that(fp == null || fp.isEmpty(), "after %s, the frame allocator's check() reports: %s", when,
                fp == null || fp.isEmpty() ? "" : fp.get(0));
    }

    /** Pages of the large kmallocs the rig holds. */
    long largePages() {
        long n = 0;
        for (Obj o : live.values()) {
            if (o.large()) {
                n += 1L << o.order();
            }
        }
        return n;
    }

    /**
     * NR_SLAB_RECLAIMABLE and NR_SLAB_UNRECLAIMABLE equal the pages of the slab blocks in the frame
     * table, split by their cache's SLAB_RECLAIM_ACCOUNT (cacheOf() of the slab's first byte); the
     * pages of large kmallocs count as unreclaimable ({@code __kmalloc_large_node()}).
     */
    void expectSlabPagesCounted(ObjectCache c, String when) {
        long reclaimable = 0;
        long large = largePages();
        long unreclaimable = large;
        long pfn = ft.startPfn();
        long end = ft.endPfn();
        while (pfn < end) {
            if (ft.pfnValid(pfn) && FrameCensus.allocatedHead(ft, pfn) && ft.order(pfn) <= FrameAllocator.MAX_PAGE_ORDER) {
                long size = 1L << ft.order(pfn);
                if (ft.test(pfn, PageFlags.PG_slab)) {
                    Optional<KmemCache> kc = c.cacheOf(virt(pfn));
                    Expect.that(kc != null && kc.isPresent(), "%s, the slab block at %s (PG_slab) belongs to no cache by cacheOf(%s)",
                            when, Expect.hex(pfn), hex(virt(pfn)));
                    if ((kc.get().flags() & SlabFlags.SLAB_RECLAIM_ACCOUNT) != 0) {
                        reclaimable += size;
                    } else {
                        unreclaimable += size;
                    }
                }
                pfn += size;
            } else {
                pfn++;
            }
        }
        long nr = machine.nodeState(NodeStat.NR_SLAB_RECLAIMABLE);
        long nu = machine.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);
        Expect.that(nr == reclaimable, "%s, NR_SLAB_RECLAIMABLE is %d pages but the frame table has %d pages in slabs (PG_slab) "
                + "of SLAB_RECLAIM_ACCOUNT caches", when, nr, reclaimable);
        Expect.that(nu == unreclaimable, "%s, NR_SLAB_UNRECLAIMABLE is %d pages but the frame table has %d pages in slabs "
                + "(PG_slab) of the other caches and %d in large kmallocs", when, nu, unreclaimable - large, large);
    }

    /**
     * On a machine where every slab has its cache's order: the caches' slabinfo (num_slabs x
     * pagesperslab) counts the pages of the slab blocks in the frame table, and the node counters.
     */
    void expectSlabinfoCountsSlabPages(ObjectCache c, String when) {
        long reclaimable = 0;
        long large = largePages();
        long unreclaimable = 0;
        for (KmemCache kc : c.caches()) {
            SlabInfo si = c.slabinfo(kc);
            long pages = si.numSlabs() * si.pagesPerSlab();
            if ((kc.flags() & SlabFlags.SLAB_RECLAIM_ACCOUNT) != 0) {
                reclaimable += pages;
            } else {
                unreclaimable += pages;
            }
        }
        long nr = machine.nodeState(NodeStat.NR_SLAB_RECLAIMABLE);
        long nu = machine.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);
        Expect.that(nr == reclaimable, "%s, NR_SLAB_RECLAIMABLE is %d pages but the slabs of the SLAB_RECLAIM_ACCOUNT caches "
                + "(slabinfo num_slabs x pagesperslab) hold %d", when, nr, reclaimable);
        Expect.that(nu == unreclaimable + large, "%s, NR_SLAB_UNRECLAIMABLE is %d pages but the slabs of the other caches "
                + "(slabinfo num_slabs x pagesperslab) hold %d and large kmallocs %d", when, nu, unreclaimable, large);
        long inSlabs = slabFrames();
        Expect.that(inSlabs == reclaimable + unreclaimable, "%s, the frame table has %d frames in slabs (PG_slab) but the "
                + "caches' slabinfo counts %d pages of slabs", when, inSlabs, reclaimable + unreclaimable);
    }
}

package mm.tck;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabInfo;

/**
 * The checks of {@code kmalloc}, {@code kfree}, {@code ksize} and {@code krealloc}
 * (include/linux/slab.h, mm/slab_common.c, mm/slub.c).
 *
 * <p>A request of 1 to {@code KMALLOC_MAX_CACHE_SIZE} (8 KiB) bytes goes to the cache
 * {@code kmalloc_slab()} picks: the index from {@code kmalloc_size_index[]} up to 192 bytes, then
 * {@code fls(size - 1)}; the type from the GFP flags ({@code kmalloc_type()}: __GFP_DMA, then
 * __GFP_RECLAIMABLE, then __GFP_ACCOUNT). A power-of-two size is aligned to itself
 * (Documentation/core-api/memory-allocation.rst). Larger requests, up to
 * {@code KMALLOC_MAX_SIZE}, take 2<sup>get_order(size)</sup> pages from the page allocator
 * ({@code __kmalloc_large_node()}), and kfree gives them back. {@code kmalloc(0)} returns
 * {@code ZERO_SIZE_PTR}, which kfree accepts like NULL. {@code __do_krealloc()} keeps the object
 * while the new size fits in ksize, and otherwise allocates anew and frees the old one.
 *
 * @param subject the implementation graded, the machines and frame allocator it runs on, the reference and the time limit
 */
record KmallocChecks(SlabSubject subject) {

    /** {@code kmalloc-size-classes}: every size 1..8192 in the kernel's class, all live at once, then all freed. */
    void kmallocSizeClasses() {
        SlabRig rig = subject.rig();
        for (int size = 1; size <= Kmalloc.KMALLOC_MAX_CACHE_SIZE; size++) {
            rig.kmalloc(size, Gfp.GFP_KERNEL);
        }
        countedInSlabinfo(rig, "with one object of every size 1..8192 allocated");
        rig.freeAll(rig.active, new Random(Workload.SEED + 41));
        rig.expectBackToBoot("kmalloc of every size 1..8192 and kfree of each");
    }

    /** Each kmalloc cache's active objects grew by the objects the rig holds in it. */
    static void countedInSlabinfo(SlabRig rig, String when) {
        ObjectCache c = rig.active;
        Map<String, Long> held = new java.util.HashMap<>();
        for (SlabRig.Obj o : rig.live.values()) {
            if (o.cache() != null) {
                held.merge(o.cache(), 1L, Long::sum);
            }
        }
        for (Map.Entry<String, Long> e : held.entrySet()) {
            SlabInfo boot = rig.bootInfo(e.getKey());
            long base = boot == null ? 0 : boot.activeObjs();
            Optional<KmemCache> kc = c.findCache(e.getKey());
            Expect.that(kc.isPresent(), "findCache(\"%s\") finds nothing %s", e.getKey(), when);
            long now = SlabRig.inUse(c, kc.get());
            Expect.that(now - base == e.getValue(), "%s, slabinfo of %s shows %d active objects after kmemCacheShrink, %d right "
                    + "after boot: the kit holds %d of them", when, e.getKey(), now, base, e.getValue());
        }
    }

    /** {@code kmalloc-gfp-types}: __GFP_RECLAIMABLE, __GFP_ACCOUNT and __GFP_DMA choose the kmalloc-rcl-, kmalloc-cg- and dma-kmalloc- caches. */
    void kmallocGfpTypes() {
        SlabRig rig = subject.rig();
        int[] flags = {
            Gfp.GFP_KERNEL, Gfp.GFP_ATOMIC, Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE, Gfp.GFP_KERNEL_ACCOUNT,
            Gfp.GFP_KERNEL | Gfp.__GFP_DMA, Gfp.GFP_KERNEL | Gfp.__GFP_DMA | Gfp.__GFP_RECLAIMABLE,
            Gfp.GFP_KERNEL_ACCOUNT | Gfp.__GFP_RECLAIMABLE, Gfp.GFP_KERNEL_ACCOUNT | Gfp.__GFP_DMA, Gfp.GFP_NOWAIT | Gfp.__GFP_DMA,
        };
        for (int gfp : flags) {
            for (int index : Kmalloc.indexesBySize()) {
                int size = Kmalloc.kmallocSize(index);
                rig.kmalloc(size, gfp);
                rig.kmalloc(smallest(index), gfp);
            }
        }
        for (SlabRig.Obj o : rig.live.values()) {
            KmemCache kc = rig.active.cacheOf(o.addr()).orElseThrow();
            int type = o.cache().startsWith("dma-") ? Kmalloc.KMALLOC_DMA : o.cache().startsWith("kmalloc-rcl-")
                    ? Kmalloc.KMALLOC_RECLAIM : o.cache().startsWith("kmalloc-cg-") ? Kmalloc.KMALLOC_CGROUP : Kmalloc.KMALLOC_NORMAL;
            long want = Kmalloc.cacheFlags(type);
            Expect.that((kc.flags() & want) == want, "%s has flags %s, without %s", kc.name(),
                    mm.api.slab.SlabFlags.format(kc.flags()), mm.api.slab.SlabFlags.format(want & ~kc.flags()));
        }
        countedInSlabinfo(rig, "with objects of every type and size allocated");
        rig.freeAll(rig.active, new Random(Workload.SEED + 42));
        rig.expectBackToBoot("kmalloc of every type and size and kfree of each");
    }

    /** The smallest request that lands in the cache of this index. */
    private static int smallest(int index) {
        int[] bySize = Kmalloc.indexesBySize();
        for (int i = 0; i < bySize.length; i++) {
            if (bySize[i] == index) {
                return i == 0 ? 1 : Kmalloc.kmallocSize(bySize[i - 1]) + 1;
            }
        }
        throw new IllegalArgumentException("index " + index);
    }

    /** {@code kmalloc-zero-size}: kmalloc(0) is ZERO_SIZE_PTR; kfree(NULL) and kfree(ZERO_SIZE_PTR) do nothing; ksize(ZERO_SIZE_PTR) is 0. */
    void kmallocZeroSize() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        long keep = rig.kmalloc(64, Gfp.GFP_KERNEL);
        Map<String, SlabInfo> infos = SlabRig.infos(c);
        long[] figures = rig.figures();
        for (int gfp : new int[] {Gfp.GFP_KERNEL, Gfp.GFP_ATOMIC, Gfp.GFP_KERNEL | Gfp.__GFP_DMA, Gfp.GFP_KERNEL_ACCOUNT}) {
            long p = c.kmalloc(0, gfp);
            Expect.that(p == ObjectCache.ZERO_SIZE_PTR, "kmalloc(0, %s) returned %s, not ZERO_SIZE_PTR (0x10)", Gfp.format(gfp),
                    SlabRig.hex(p));
        }
        c.kfree(0);
        c.kfree(ObjectCache.ZERO_SIZE_PTR);
        long ks = c.ksize(ObjectCache.ZERO_SIZE_PTR);
        Expect.that(ks == 0, "ksize(ZERO_SIZE_PTR) is %d, not 0", ks);
        Optional<KmemCache> none = c.cacheOf(ObjectCache.ZERO_SIZE_PTR);
        Expect.that(none != null && none.isEmpty(), "cacheOf(ZERO_SIZE_PTR) answers %s: it is no object",
                none == null ? "null" : none.map(KmemCache::name).orElse(""));
        Expect.that(SlabRig.infos(c).equals(infos), "kmalloc(0), kfree(0) or kfree(ZERO_SIZE_PTR) changed the slabinfo of a cache");
        Expect.that(Arrays.equals(rig.figures(), figures), "kmalloc(0), kfree(0) or kfree(ZERO_SIZE_PTR) changed the free pages "
                + "of a zone");
        rig.kfree(keep);
        rig.expectBackToBoot("kmalloc(0), kfree(0) and kfree(ZERO_SIZE_PTR)");
    }

    /** {@code kmalloc-large-from-page-allocator}: 8193 bytes to 4 MiB take 2^get_order(size) pages, and kfree gives them back. */
    void kmallocLargeFromPageAllocator() {
        SlabRig rig = subject.rig();
        long[] sizes = {Kmalloc.KMALLOC_MAX_CACHE_SIZE + 1, 12288, 16385, 65536, 100_000, 1L << 20, Kmalloc.KMALLOC_MAX_SIZE - 1,
            Kmalloc.KMALLOC_MAX_SIZE};
        List<Long> held = new ArrayList<>();
        for (long size : sizes) {
            held.add(rig.kmalloc(size, Gfp.GFP_KERNEL));
        }
        for (long size : new long[] {20_000, 3 * Machine.PAGE_SIZE}) {
            held.add(rig.kmalloc(size, Gfp.GFP_KERNEL | Gfp.__GFP_DMA));
        }
        long small = rig.kmalloc(Kmalloc.KMALLOC_MAX_CACHE_SIZE, Gfp.GFP_KERNEL);
        for (int i = held.size() - 1; i >= 0; i -= 2) {
            rig.kfree(held.remove(i));
        }
        for (long size : sizes) {
            held.add(rig.kmalloc(size, Gfp.GFP_KERNEL));
        }
        rig.kfree(small);
        rig.freeAll(rig.active, new Random(Workload.SEED + 43));
        rig.expectBackToBoot("large kmallocs of 8193 bytes to 4 MiB and kfree of each");
    }

    /** {@code kmalloc-too-large-rejected}: more than KMALLOC_MAX_SIZE, or a negative size: IllegalArgumentException, nothing changes. */
    void kmallocTooLargeRejected() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        long keep = rig.kmalloc(100_000, Gfp.GFP_KERNEL);
        List<String> names = SlabRig.names(c);
        Map<String, SlabInfo> infos = SlabRig.infos(c);
        long[] figures = rig.figures();
        for (long size : new long[] {Kmalloc.KMALLOC_MAX_SIZE + 1, 2 * Kmalloc.KMALLOC_MAX_SIZE, Long.MAX_VALUE, -1, -4096}) {
            Expect.illegalArgument("kmalloc(" + size + ", GFP_KERNEL)", () -> c.kmalloc(size, Gfp.GFP_KERNEL));
            Expect.that(Arrays.equals(rig.figures(), figures), "kmalloc(%d, GFP_KERNEL) was refused but changed the free pages of "
                    + "a zone", size);
            Expect.that(SlabRig.infos(c).equals(infos) && SlabRig.names(c).equals(names), "kmalloc(%d, GFP_KERNEL) was refused "
                    + "but changed the caches or their slabinfo", size);
        }
        rig.expectLiveIntact(c, "after the refused kmallocs");
        rig.kfree(keep);
        rig.expectBackToBoot("refused kmallocs");
    }

    /** {@code krealloc-keeps-moves-frees}: kept while the new size fits in ksize, moved beyond, kmalloc from NULL, kfree to 0. */
    void kreallocKeepsMovesFrees() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        int gfp = Gfp.GFP_KERNEL;
        long p = rig.kmalloc(100, gfp);
        expectKept(rig, p, 50, "shrinking within ksize");
        expectKept(rig, p, 128, "growing within ksize");
        expectKept(rig, p, 1, "shrinking within ksize");
        long q = expectMoved(rig, p, 129, "growing beyond ksize 128");
        long r = expectMoved(rig, q, 20_000, "growing beyond ksize 192 into a large kmalloc");
        expectKept(rig, r, 100, "shrinking a large kmalloc within its ksize");
        expectKept(rig, r, 32_768, "growing a large kmalloc within its ksize");
        long s = expectMoved(rig, r, 40_000, "growing a large kmalloc beyond its ksize");
        long[] before = rig.figures();
        SlabRig.Obj big = rig.forget(s);
        long z = c.krealloc(s, 0, gfp);
        Expect.that(z == ObjectCache.ZERO_SIZE_PTR, "krealloc(%s, 0) returned %s: to size 0 it frees and returns ZERO_SIZE_PTR",
                SlabRig.hex(s), SlabRig.hex(z));
        rig.expectPagesBack(before, s, big.order(), "krealloc(" + SlabRig.hex(s) + ", 0)");

        for (long from : new long[] {0, ObjectCache.ZERO_SIZE_PTR}) {
            String call = "krealloc(" + (from == 0 ? "NULL" : "ZERO_SIZE_PTR") + ", 300, GFP_KERNEL)";
            long t = c.krealloc(from, 300, gfp);
            Expect.that(t != 0, "%s returned NULL: from NULL or ZERO_SIZE_PTR krealloc acts as kmalloc", call);
            rig.track(c, t, 300, gfp, call + " (acting as kmalloc)", null);
        }
        long u = rig.kmalloc(64, gfp);
        String kmalloc64 = Kmalloc.cacheName(Kmalloc.KMALLOC_NORMAL, Kmalloc.kmallocIndex(64));
        long activeBefore = active(c, kmalloc64);
        rig.forget(u);
        long v = c.krealloc(u, 0, gfp);
        Expect.that(v == ObjectCache.ZERO_SIZE_PTR, "krealloc(%s, 0) returned %s: to size 0 it frees and returns ZERO_SIZE_PTR",
                SlabRig.hex(u), SlabRig.hex(v));
        Expect.that(active(c, kmalloc64) == activeBefore - 1, "krealloc(%s, 0) did not free the object: %s still has %d active "
                + "objects after kmemCacheShrink", SlabRig.hex(u), kmalloc64, active(c, kmalloc64));
        rig.freeAll(c, new Random(Workload.SEED + 44));
        rig.expectBackToBoot("krealloc keeping, moving and freeing objects");
    }

    private static long active(ObjectCache c, String cache) {
        return SlabRig.inUse(c, c.findCache(cache).orElseThrow());
    }

    private static void expectKept(SlabRig rig, long addr, long size, String what) {
        ObjectCache c = rig.active;
        SlabRig.Obj o = rig.live.get(addr);
        long[] before = rig.figures();
        long got = c.krealloc(addr, size, Gfp.GFP_KERNEL);
        Expect.that(got == addr, "krealloc(%s, %d) returned %s: %s keeps the object where it is (ksize %d)", SlabRig.hex(addr),
                size, SlabRig.hex(got), what, o.bytes());
        long ks = c.ksize(addr);
        Expect.that(ks == o.bytes(), "after krealloc(%s, %d) kept the object, its ksize is %d instead of %d", SlabRig.hex(addr),
                size, ks, o.bytes());
        if (o.large()) {
            Expect.that(Arrays.equals(before, rig.figures()), "krealloc(%s, %d) kept the large kmalloc but changed the free "
                    + "pages of a zone", SlabRig.hex(addr), size);
        }
    }

    private static long expectMoved(SlabRig rig, long addr, long size, String what) {
        ObjectCache c = rig.active;
        SlabRig.Obj o = rig.forget(addr);
        String oldCache = o.cache();
        long activeBefore = oldCache == null ? 0 : active(c, oldCache);
        String call = "krealloc(" + SlabRig.hex(addr) + ", " + size + ", GFP_KERNEL)";
        long got = c.krealloc(addr, size, Gfp.GFP_KERNEL);
        Expect.that(got != 0, "%s returned NULL on a machine with plenty of free memory", call);
        Expect.that(got != addr, "%s returned the same address: %s needs a new object", call, what);
        rig.track(c, got, size, Gfp.GFP_KERNEL, call, null);
        if (oldCache != null) {
            long now = active(c, oldCache) + (oldCache.equals(rig.live.get(got).cache()) ? -1 : 0);
            Expect.that(now == activeBefore - 1, "%s moved the object but did not free the old one: %s has %d active objects "
                    + "after kmemCacheShrink instead of %d", call, oldCache, now, activeBefore - 1);
        } else {
            long pfn = rig.pfnOf(addr);
            Expect.that(!mm.tck.FrameCensus.allocatedHead(rig.ft, pfn), "%s moved the large kmalloc but did not give its pages "
                    + "back: frame %s is still allocated", call, Expect.hex(pfn));
        }
        return got;
    }
}

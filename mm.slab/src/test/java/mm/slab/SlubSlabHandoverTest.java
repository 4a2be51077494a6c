package mm.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mm.api.frame.Gfp;
import mm.api.machine.NodeStat;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabFlags;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyAllocator;
import mm.core.slab.ObjectCacheCore;
import mm.core.slab.SlabGeometry;
import mm.hw.machine.MachineImpl;
import mm.slub.SlubAllocator;
import org.junit.jupiter.api.Test;

/**
 * SLUB to SLAB to SLUB on one machine, objects live across both swaps: kmalloc objects of many
 * sizes, a private cache with a constructor, a debug cache, a large kmalloc. Every object is
 * freed through the instance active at the time; at the end every page is back.
 */
class SlubSlabHandoverTest {

    private static final int GFP_KERNEL = Gfp.GFP_KERNEL;
    private static final long PAGE_OFFSET = 0xffff888000000000L;

    private final MachineImpl m = MachineImpl.boot(SlabAllocatorTest.SMALL);
    private final BuddyAllocator pages = new BuddyAllocator(m);
    private final Set<Long> constructed = new HashSet<>();
    /** Live kmalloc objects, address to size asked. */
    private final Map<Long, Integer> kmallocs = new LinkedHashMap<>();
    private final List<Long> ctorObjs = new ArrayList<>();
    private final List<Long> dbgObjs = new ArrayList<>();

    private static void checked(ObjectCache c) {
        List<String> problems = c.check();
        assertTrue(problems.isEmpty(), c.implName() + ": " + problems);
    }

    /** Allocates through {@code c} on both CPUs. */
    private void allocate(ObjectCache c, KmemCache ctorCache, KmemCache dbg, int n, int seed) {
        for (int cpu = 0; cpu < 2; cpu++) {
            final int me = cpu;
            m.runOn(cpu, () -> {
                for (int i = 0; i < n; i++) {
                    int size = 1 + (i * 37 + seed + me * 11) % 4000;
                    kmallocs.put(c.kmalloc(size, GFP_KERNEL), size);
                    long o = c.kmemCacheAlloc(ctorCache, GFP_KERNEL);
                    assertTrue(constructed.contains(o), "every object of the ctor cache was constructed with its slab");
                    ctorObjs.add(o);
                    if (i % 10 == 0) {
                        dbgObjs.add(c.kmemCacheAlloc(dbg, GFP_KERNEL));
                    }
                }
                return null;
            });
        }
    }

    /** Frees every other live object through {@code c}, on the CPU that did not allocate it, roughly. */
    private void freeHalf(ObjectCache c, KmemCache ctorCache, KmemCache dbg) {
        m.runOn(1, () -> {
            List<Long> ks = new ArrayList<>(kmallocs.keySet());
            for (int i = 0; i < ks.size(); i += 2) {
                assertTrue(c.ksize(ks.get(i)) >= kmallocs.get(ks.get(i)));
                c.kfree(ks.get(i));
                kmallocs.remove(ks.get(i));
            }
            for (int i = ctorObjs.size() - 1; i >= 0; i -= 2) {
                c.kmemCacheFree(ctorCache, ctorObjs.remove(i));
            }
            for (int i = dbgObjs.size() - 1; i >= 0; i -= 2) {
                c.kmemCacheFree(dbg, dbgObjs.remove(i));
            }
            return null;
        });
    }

    private void freeAll(ObjectCache c, KmemCache ctorCache, KmemCache dbg) {
        for (long k : kmallocs.keySet()) {
            c.kfree(k);
        }
        kmallocs.clear();
        for (long o : ctorObjs) {
            c.kmemCacheFree(ctorCache, o);
        }
        ctorObjs.clear();
        for (long o : dbgObjs) {
            c.kmemCacheFree(dbg, o);
        }
        dbgObjs.clear();
    }

    private static ObjectCache swap(ObjectCacheCore<?> from, ObjectCacheCore<?> to) {
        Handover h = from.quiesce();
        to.adopt(h);
        from.forwardTo(to);
        checked(to);
        return to;
    }

    @Test
    void slubToSlabToSlubWithLiveObjects() {
        SlubAllocator slub = new SlubAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        slub.adopt(Handover.BOOT);
        long freeAtBoot = SlabAllocatorTest.freePages(m, pages);
        KmemCache ctorCache = slub.kmemCacheCreate("with-ctor", 300, 0, SlabFlags.SLAB_HWCACHE_ALIGN, constructed::add);
        KmemCache dbg = slub.kmemCacheCreate("with-debug", 100, 0, SlabFlags.SLAB_DEBUG_FLAGS, null);
        allocate(slub, ctorCache, dbg, 400, 1);
        long big = slub.kmalloc(50_000, GFP_KERNEL);
        long slabPages = m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);

        SlabAllocator slab = new SlabAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        swap(slub, slab);
        assertEquals(slabPages, m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE), "the slabs change hands, not pages");
        assertEquals(0, slab.findCache("with-ctor").orElseThrow().objectsPerSlab() - ctorCache.objectsPerSlab());
        assertTrue(slab.validate(dbg).isEmpty(), "red zones and poison survive the hand-over");
        freeHalf(slab, ctorCache, dbg); // objects SLUB handed out, freed through SLAB (the old handles found by name)
        allocate(slab, ctorCache, dbg, 300, 2); // SLAB grows coloured slabs of its own among SLUB's
        checked(slab);
        slub.kfree(kmallocs.keySet().iterator().next()); // through the old instance: forwarded to SLAB
        kmallocs.remove(kmallocs.keySet().iterator().next());

        SlubAllocator back = new SlubAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        swap(slab, back);
        assertTrue(back.validate(dbg).isEmpty());
        freeHalf(back, ctorCache, dbg); // objects of both, freed through SLUB, coloured slabs included
        allocate(back, ctorCache, dbg, 100, 3);
        checked(back);
        freeAll(back, ctorCache, dbg);
        back.kfree(big);
        for (KmemCache k : back.caches()) {
            back.kmemCacheShrink(k);
        }
        checked(back);
        assertEquals(freeAtBoot, SlabAllocatorTest.freePages(m, pages), "NR_FREE_PAGES is back at the boot count");
        assertEquals(0, m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE));
        assertEquals(0, m.nodeState(NodeStat.NR_SLAB_RECLAIMABLE));
    }

    @Test
    void slubToSlabWithEveryObjectFreedThroughSlab() {
        SlubAllocator slub = new SlubAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        slub.adopt(Handover.BOOT);
        long freeAtBoot = SlabAllocatorTest.freePages(m, pages);
        KmemCache ctorCache = slub.kmemCacheCreate("with-ctor", 200, 0, SlabFlags.SLAB_RECLAIM_ACCOUNT, constructed::add);
        KmemCache dbg = slub.kmemCacheCreate("with-debug", 40, 0, SlabFlags.SLAB_DEBUG_FLAGS, null);
        allocate(slub, ctorCache, dbg, 600, 5);
        freeHalf(slub, ctorCache, dbg); // partial slabs on SLUB's CPU and node lists when the hand-over comes

        SlabAllocator slab = new SlabAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        swap(slub, slab);
        m.runOn(1, () -> {
            freeAll(slab, ctorCache, dbg);
            return null;
        });
        checked(slab);
        for (KmemCache k : slab.caches()) {
            slab.kmemCacheShrink(k);
        }
        checked(slab);
        assertEquals(freeAtBoot, SlabAllocatorTest.freePages(m, pages), "NR_FREE_PAGES is back at the boot count");
        assertEquals(0, m.nodeState(NodeStat.NR_SLAB_RECLAIMABLE));
    }

    @Test
    void slabToSlubWithEveryObjectFreedThroughSlub() {
        SlabAllocator slab = new SlabAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        slab.adopt(Handover.BOOT);
        long freeAtBoot = SlabAllocatorTest.freePages(m, pages);
        KmemCache ctorCache = slab.kmemCacheCreate("with-ctor", 1000, 0, 0, constructed::add);
        KmemCache dbg = slab.kmemCacheCreate("with-debug", 64, 0, SlabFlags.SLAB_RED_ZONE | SlabFlags.SLAB_POISON, null);
        allocate(slab, ctorCache, dbg, 500, 4);
        Set<Long> colours = new HashSet<>();
        for (long o : ctorObjs) {
            colours.add((o - PAGE_OFFSET) % (4096 << ctorCache.order()) % 1000);
        }
        assertTrue(colours.size() > 1, "SLAB's slabs of with-ctor start at several colours: " + colours);
        freeHalf(slab, ctorCache, dbg); // many of them now in SLAB's array caches

        SlubAllocator slub = new SlubAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        swap(slab, slub);
        freeAll(slub, ctorCache, dbg);
        for (KmemCache k : slub.caches()) {
            slub.kmemCacheShrink(k);
        }
        checked(slub);
        assertEquals(freeAtBoot, SlabAllocatorTest.freePages(m, pages));
    }
}

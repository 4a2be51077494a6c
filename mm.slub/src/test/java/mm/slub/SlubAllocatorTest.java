package mm.slub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.NodeStat;
import mm.api.machine.ZoneStat;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabCorruptionException;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyAllocator;
import mm.core.slab.SlabGeometry;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlubAllocatorTest {

    private static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);
    private static final int GFP_KERNEL = Gfp.GFP_KERNEL;

    private MachineImpl m;
    private BuddyAllocator pages;
    private SlubAllocator slub;
    private long freeAtBoot;

    @BeforeEach
    void boot() {
        m = MachineImpl.boot(SMALL);
        pages = new BuddyAllocator(m);
        slub = new SlubAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        slub.adopt(Handover.BOOT);
        freeAtBoot = m.zoneState(ZoneStat.NR_FREE_PAGES) + pcp();
    }

    private long pcp() {
        long n = 0;
        for (var z : m.zones()) {
            for (int cpu = 0; cpu < m.cpuCount(); cpu++) {
                n += pages.pcpCount(z, cpu);
            }
        }
        return n;
    }

    private long freePages() {
        return m.zoneState(ZoneStat.NR_FREE_PAGES) + pcp();
    }

    private KmemCache cache(String name) {
        return slub.findCache(name).orElseThrow();
    }

    @Test
    void kmallocCachesExistAtBootWithoutSlabs() {
        assertEquals(52, slub.caches().size());
        assertEquals(new SlabInfo("kmalloc-96", 0, 0, 96, 42, 1, 0, 0), slub.slabinfo(cache("kmalloc-96")));
        assertEquals(new SlabInfo("kmalloc-8k", 0, 0, 8192, 4, 8, 0, 0), slub.slabinfo(cache("kmalloc-8k")));
        assertTrue(slub.check().isEmpty());
    }

    @Test
    void fastPathAfterTheFirstSlab() {
        KmemCache c = slub.kmemCacheCreate("test-64", 64, 0, 0, null);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            objs.add(slub.kmemCacheAlloc(c, GFP_KERNEL));
        }
        assertEquals(64, new HashSet<>(objs).size());
        assertEquals(1, slub.stats(c).get("alloc_slowpath"));
        assertEquals(63, slub.stats(c).get("alloc_fastpath"));
        assertEquals(1, slub.stats(c).get("alloc_slab"));
        for (long o : objs) {
            slub.kmemCacheFree(c, o);
        }
        assertEquals(64, slub.stats(c).get("free_fastpath"));
        SlabInfo si = slub.slabinfo(c);
        assertEquals(64, si.numObjs());
        assertEquals(64, si.activeObjs(), "objects on a CPU's freelist count as active, as in the kernel");
        assertEquals(1, slub.kmemCacheShrink(c), "the empty slab goes back once flushed");
        assertEquals(new SlabInfo("test-64", 0, 0, 64, 64, 1, 0, 0), slub.slabinfo(c));
        assertEquals(freeAtBoot, freePages());
        assertTrue(slub.check().isEmpty(), slub.check().toString());
    }

    @Test
    void deactivateSlabGoesToTheTailOnlyAfterRemoteFrees() {
        KmemCache c = slub.kmemCacheCreate("test-deact", 128, 0, 0, null);
        long[] o = new long[3];
        m.runOn(0, () -> {
            o[0] = slub.kmemCacheAlloc(c, GFP_KERNEL);
            o[1] = slub.kmemCacheAlloc(c, GFP_KERNEL);
            return null;
        });
        // CPU 0 still holds the slab's other objects, but nobody freed into it: the head
        slub.kmemCacheShrink(c);
        assertEquals(1, slub.stats(c).get("deactivate_to_head"));
        assertEquals(0, slub.stats(c).get("deactivate_to_tail"));
        assertEquals(0, slub.stats(c).get("deactivate_remote_frees"));
        m.runOn(0, () -> {
            o[2] = slub.kmemCacheAlloc(c, GFP_KERNEL); // the slab is CPU 0's again
            return null;
        });
        m.runOn(1, () -> {
            slub.kmemCacheFree(c, o[0]); // a remote free: onto slab->freelist
            return null;
        });
        slub.kmemCacheShrink(c);
        assertEquals(1, slub.stats(c).get("deactivate_remote_frees"));
        assertEquals(1, slub.stats(c).get("deactivate_to_tail"));
        assertEquals(1, slub.stats(c).get("deactivate_to_head"));
        assertEquals(2, slub.slabinfo(c).activeObjs());
        assertTrue(slub.check().isEmpty(), slub.check().toString());
    }

    @Test
    void debugFreeKeepsFewerThanMinPartialEmptySlabs() {
        KmemCache c = slub.kmemCacheCreate("test-dbg-free", 64, 0, SlabFlags.SLAB_CONSISTENCY_CHECKS, null);
        int minPartial = Integer.parseInt(slub.sysfs(c).get("min_partial"));
        int slabs = minPartial + 3;
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < slabs * c.objectsPerSlab(); i++) {
            objs.add(slub.kmemCacheAlloc(c, GFP_KERNEL));
        }
        assertEquals(slabs, slub.slabinfo(c).numSlabs());
        for (long o : objs) {
            slub.kmemCacheFree(c, o);
        }
        // free_to_partial_list: an empty slab goes once nr_partial >= min_partial, itself counted
        assertEquals(minPartial - 1, slub.slabinfo(c).numSlabs());
        assertEquals(slabs, slub.stats(c).get("free_add_partial"));
        assertEquals(slabs - (minPartial - 1), slub.stats(c).get("free_remove_partial"));
        assertEquals(slabs - (minPartial - 1), slub.stats(c).get("free_slab"));
        assertTrue(slub.check().isEmpty(), slub.check().toString());
    }

    @Test
    void debugFreeOfAFullSlabThatEmptiesCountsNoListMove() {
        KmemCache c = slub.kmemCacheCreate("test-dbg-big", 40_000, 0, SlabFlags.SLAB_CONSISTENCY_CHECKS, null);
        assertEquals(1, c.objectsPerSlab());
        int minPartial = Integer.parseInt(slub.sysfs(c).get("min_partial"));
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < minPartial + 3; i++) {
            objs.add(slub.kmemCacheAlloc(c, GFP_KERNEL));
        }
        for (long o : objs) {
            slub.kmemCacheFree(c, o);
        }
        // each slab goes from the full list straight to empty: kept on the partial list while it has
        // fewer than min_partial slabs, freed after, with neither FREE_ADD_PARTIAL nor FREE_REMOVE_PARTIAL
        assertEquals(minPartial, slub.slabinfo(c).numSlabs());
        assertEquals(minPartial, slub.stats(c).get("free_add_partial"));
        assertEquals(0, slub.stats(c).get("free_remove_partial"));
        assertEquals(3, slub.stats(c).get("free_slab"));
        assertTrue(slub.check().isEmpty(), slub.check().toString());
    }

    @Test
    void remoteFreesAndPartialLists() {
        KmemCache c = slub.kmemCacheCreate("test-256", 256, 0, SlabFlags.SLAB_HWCACHE_ALIGN, null);
        int perSlab = c.objectsPerSlab();
        List<Long> objs = new ArrayList<>();
        m.runOn(0, () -> {
            for (int i = 0; i < perSlab * 10; i++) {
                objs.add(slub.kmemCacheAlloc(c, GFP_KERNEL));
            }
            return null;
        });
        assertEquals(10, slub.slabinfo(c).numSlabs());
        // CPU 1 frees one object of each full slab: each goes to CPU 1's partial list, drained to the node past cpu_partial_slabs
        m.runOn(1, () -> {
            for (int s = 0; s < 9; s++) {
                slub.kmemCacheFree(c, objs.get(s * perSlab));
            }
            return null;
        });
        assertEquals(9, slub.stats(c).get("cpu_partial_free"));
        assertEquals(9, slub.stats(c).get("free_slowpath"));
        assertEquals(1, slub.stats(c).get("cpu_partial_drain"), "the ninth slab found the chain full: it went to the node");
        assertEquals(7, slub.stats(c).get("free_add_partial"), "__put_partials: the drained slabs onto the node's partial list");
        assertTrue(slub.check().isEmpty(), slub.check().toString());
        // everything back from CPU 1
        m.runOn(1, () -> {
            for (int i = 0; i < objs.size(); i++) {
                if (i % perSlab != 0 || i / perSlab >= 9) {
                    slub.kmemCacheFree(c, objs.get(i));
                }
            }
            return null;
        });
        assertTrue(slub.check().isEmpty(), slub.check().toString());
        slub.kmemCacheShrink(c);
        slub.kmemCacheDestroy(c);
        assertEquals(freeAtBoot, freePages());
        assertEquals(0, m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE));
    }

    @Test
    void aCtorMovesTheFreePointerOutOfTheObject() {
        KmemCache c = slub.kmemCacheCreate("ctor", 40, 0, 0, addr -> { });
        assertEquals("40", slub.sysfs(c).get("object_size"));
        assertEquals("48", slub.sysfs(c).get("slab_size"), "the free pointer moves out of the object");
    }

    /**
     * A predecessor that failed without handing over (its quiesce threw): the successor gets an
     * empty hand-over, keeps the slabs it cannot know as orphans (allocated, counted, never handed out
     * again), takes back the large kmalloc blocks, and says so when an orphan's object is freed.
     */
    @Test
    void aPredecessorThatFailedWithoutHandingOverLeavesOrphansNotCorruption() {
        long obj = slub.kmalloc(100, GFP_KERNEL);
        long big = slub.kmalloc(20_000, GFP_KERNEL);
        long slabPages = m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);
        SlubAllocator next = new SlubAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        next.adopt(new Handover(ObjectCache.CONTRACT, "broken", java.util.Map.of()));
        assertTrue(next.check().isEmpty(), next.check().toString());
        assertEquals(1, next.orphanedSlabPages());
        assertEquals(slabPages, m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> next.kfree(obj));
        assertTrue(e.getMessage().contains("held by an implementation that failed without handing over"), e.getMessage());
        next.kfree(big);
        long again = next.kmalloc(100, GFP_KERNEL);
        assertTrue(again != obj, "an orphaned slab's objects are never handed out again");
        next.kfree(again);
        assertTrue(next.check().isEmpty(), next.check().toString());
    }

    @Test
    void debugDoubleFreeIsReportedTheKernelsWay() {
        KmemCache c = slub.kmemCacheCreate("dbg", 64, 0, SlabFlags.SLAB_DEBUG_FLAGS, null);
        long a = slub.kmemCacheAlloc(c, GFP_KERNEL);
        slub.kmemCacheFree(c, a);
        SlabCorruptionException e = assertThrows(SlabCorruptionException.class, () -> slub.kmemCacheFree(c, a));
        assertEquals("BUG dbg (Not tainted): Object already free", e.getMessage());
        assertTrue(e.report().stream().anyMatch(l -> l.startsWith("Allocated in kmem_cache_alloc_noprof+0x0/0x0 age=0 cpu=0 pid=0")), e.report().toString());
        assertTrue(e.report().stream().anyMatch(l -> l.startsWith("Freed in kmem_cache_free+0x0/0x0")));
        assertTrue(slub.check().isEmpty());
    }

    @Test
    void debugRightRedzoneOverwrittenIsCaughtOnFree() {
        slub.setSlubDebug(SlabFlags.SLAB_DEBUG_FLAGS, List.of());
        KmemCache c = slub.kmemCacheCreate("dbg2", 64, 0, 0, null);
        long a = slub.kmemCacheAlloc(c, GFP_KERNEL);
        slub.poke(a + 64, new byte[] {0x78});
        SlabCorruptionException e = assertThrows(SlabCorruptionException.class, () -> slub.kmemCacheFree(c, a));
        assertEquals("BUG dbg2 (Not tainted): Right Redzone overwritten", e.getMessage());
        // the first object of the slab starts after an 8-byte left red zone: its byte 64 is the slab's byte 72
        assertTrue(e.report().contains(String.format("0x%016x-0x%016x @offset=72. First byte 0x78 instead of 0xcc", a + 64, a + 64)),
                e.report().toString());
        assertEquals("FIX dbg2: Object at " + String.format("0x%016x", a) + " not freed", e.report().get(e.report().size() - 1));
        slub.kmemCacheFree(c, a); // restored by the report: now it goes
        assertTrue(slub.validate(c).isEmpty());
    }

    @Test
    void validateRestoresThePoisonItReports() {
        KmemCache c = slub.kmemCacheCreate("dbg3", 64, 0, SlabFlags.SLAB_POISON | SlabFlags.SLAB_RED_ZONE, null);
        long a = slub.kmemCacheAlloc(c, GFP_KERNEL);
        slub.kmemCacheFree(c, a);
        slub.poke(a + 50, new byte[] {0x12});
        List<String> errors = slub.validate(c);
        assertTrue(errors.contains("BUG dbg3 (Not tainted): Poison overwritten"), errors.toString());
        assertEquals(0x6b, slub.peek(a + 50, 1)[0], "restore_bytes: the report put POISON_FREE back");
        assertTrue(slub.validate(c).isEmpty(), "the report restored the poison");
    }

    @Test
    void kmallocRedzoneCatchesWritesPastTheRequestedSize() {
        MachineImpl m2 = MachineImpl.boot(SMALL);
        SlubAllocator dbg = new SlubAllocator(m2, new BuddyAllocator(m2), SlabGeometry.Tunables.DEFAULT);
        dbg.setSlubDebug(SlabFlags.SLAB_DEBUG_FLAGS, List.of());
        dbg.adopt(Handover.BOOT);
        long p = dbg.kmalloc(50, GFP_KERNEL);
        assertEquals("kmalloc-64", dbg.cacheOf(p).orElseThrow().name());
        dbg.poke(p + 55, new byte[] {1});
        SlabCorruptionException e = assertThrows(SlabCorruptionException.class, () -> dbg.kfree(p));
        assertEquals("BUG kmalloc-64 (Not tainted): kmalloc Redzone overwritten", e.getMessage());
    }
}

package mm.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import mm.hw.machine.SimClockImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SlabAllocatorTest {

    static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);
    static final int GFP_KERNEL = Gfp.GFP_KERNEL;
    static final long PAGE_OFFSET = 0xffff888000000000L;

    private MachineImpl m;
    private BuddyAllocator pages;
    private SlabAllocator slab;
    private long freeAtBoot;

    @BeforeEach
    void boot() {
        m = MachineImpl.boot(SMALL);
        pages = new BuddyAllocator(m);
        slab = new SlabAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        slab.adopt(Handover.BOOT);
        freeAtBoot = freePages();
    }

    private long freePages() {
        return freePages(m, pages);
    }

    static long freePages(MachineImpl m, BuddyAllocator pages) {
        long n = m.zoneState(ZoneStat.NR_FREE_PAGES);
        for (var z : m.zones()) {
            for (int cpu = 0; cpu < m.cpuCount(); cpu++) {
                n += pages.pcpCount(z, cpu);
            }
        }
        return n;
    }

    private KmemCache cache(String name) {
        return slab.findCache(name).orElseThrow();
    }

    private KmemCacheSlab internal(KmemCache c) {
        return slab.slabCaches().stream().filter(k -> k.name().equals(c.name())).findFirst().orElseThrow();
    }

    private void assertChecked() {
        List<String> problems = slab.check();
        assertTrue(problems.isEmpty(), problems.toString());
    }

    // ---- the cases every ObjectCache answers the same way -------------------------------------------

    @Test
    void kmallocCachesExistAtBootWithoutSlabs() {
        assertEquals("slab", slab.implName());
        assertEquals(52, slab.caches().size());
        assertEquals(new SlabInfo("kmalloc-96", 0, 0, 96, 42, 1, 0, 0, 120, 60, 8, 0), slab.slabinfo(cache("kmalloc-96")));
        assertEquals(new SlabInfo("kmalloc-8k", 0, 0, 8192, 4, 8, 0, 0, 8, 4, 0, 0), slab.slabinfo(cache("kmalloc-8k")));
        assertChecked();
    }

    @Test
    void anObjectInAnArrayCacheIsFree() {
        long a = slab.kmalloc(64, GFP_KERNEL);
        slab.kfree(a); // onto the CPU's array cache, still off the slab's free chain
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> slab.kfree(a));
        assertTrue(e.getMessage().startsWith("double free"), "an object in an array cache is free: " + e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> slab.ksize(a), "ksize of an object in an array cache");
        assertChecked();
    }

    @Test
    void aCtorMovesTheFreePointerOutOfTheObject() {
        KmemCache c = slab.kmemCacheCreate("ctor", 40, 0, 0, addr -> { });
        assertEquals("40", slab.sysfs(c).get("object_size"));
        assertEquals("48", slab.sysfs(c).get("slab_size"), "the free pointer moves out of the object, as with SLUB");
    }

    @Test
    void tuneCpucacheOnAQuiescedInstanceTunesItsSuccessor() {
        KmemCache c = slab.kmemCacheCreate("test-tune", 64, 0, 0, null);
        Handover h = slab.quiesce();
        SlabAllocator next = new SlabAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        next.adopt(h);
        slab.forwardTo(next);
        slab.tuneCpucache(c, 8, 4, 0);
        KmemCacheSlab k = next.slabCaches().stream().filter(x -> x.name().equals("test-tune")).findFirst().orElseThrow();
        assertEquals(8, k.limit);
        assertEquals(8, k.array[0].limit);
        assertTrue(next.check().isEmpty(), next.check().toString());
        Handover toSlub = next.quiesce();
        mm.slub.SlubAllocator slub = new mm.slub.SlubAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        slub.adopt(toSlub);
        next.forwardTo(slub);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> next.tuneCpucache(c, 8, 4, 0));
        assertEquals("tuneCpucache(test-tune): the object cache is now 'slub', which has no per-CPU arrays to tune: only "
                + "SLAB's are", e.getMessage());
    }

    @Test
    void handOverToAnotherSlabKeepsEveryObject() {
        KmemCache c = slab.kmemCacheCreate("handed", 200, 0, SlabFlags.SLAB_RECLAIM_ACCOUNT, null);
        Set<Long> objs = new HashSet<>();
        List<Long> kmallocs = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            objs.add(slab.kmemCacheAlloc(c, GFP_KERNEL));
            kmallocs.add(slab.kmalloc(1 + i * 7 % 3000, GFP_KERNEL));
        }
        for (int i = 0; i < 100; i++) {
            slab.kfree(kmallocs.remove(kmallocs.size() - 1)); // some in the array caches when the hand-over comes
        }
        long big = slab.kmalloc(20_000, GFP_KERNEL);
        long reclaimable = m.nodeState(NodeStat.NR_SLAB_RECLAIMABLE);
        assertTrue(reclaimable > 0);
        Handover h = slab.quiesce();
        SlabAllocator next = new SlabAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        next.adopt(h);
        slab.forwardTo(next);
        assertTrue(next.check().isEmpty(), next.check().toString());
        assertEquals(reclaimable, m.nodeState(NodeStat.NR_SLAB_RECLAIMABLE));
        for (long o : objs) {
            next.kmemCacheFree(c, o); // the old handle is found by name
        }
        for (long k : kmallocs) {
            slab.kfree(k); // through the old instance: forwarded
        }
        next.kfree(big);
        for (KmemCache k : next.caches()) {
            next.kmemCacheShrink(k);
        }
        assertTrue(next.check().isEmpty(), next.check().toString());
        assertEquals(freeAtBoot, freePages());
    }

    // ---- debugging: the reports every implementation shares -----------------------------------------

    @Test
    void debugDoubleFreeIsReportedTheKernelsWay() {
        KmemCache c = slab.kmemCacheCreate("dbg", 64, 0, SlabFlags.SLAB_DEBUG_FLAGS, null);
        long a = slab.kmemCacheAlloc(c, GFP_KERNEL);
        slab.kmemCacheFree(c, a);
        SlabCorruptionException e = assertThrows(SlabCorruptionException.class, () -> slab.kmemCacheFree(c, a));
        assertEquals("BUG dbg (Not tainted): Object already free", e.getMessage());
        assertTrue(e.report().stream().anyMatch(l -> l.startsWith("Allocated in kmem_cache_alloc_noprof+0x0/0x0 age=0 cpu=0 pid=0")),
                e.report().toString());
        assertTrue(e.report().stream().anyMatch(l -> l.startsWith("Freed in kmem_cache_free+0x0/0x0")));
        assertChecked();
    }

    @Test
    void debugRightRedzoneOverwrittenIsCaughtOnFree() {
        slab.setSlubDebug(SlabFlags.SLAB_DEBUG_FLAGS, List.of());
        KmemCache c = slab.kmemCacheCreate("dbg2", 64, 0, 0, null);
        long a = slab.kmemCacheAlloc(c, GFP_KERNEL);
        slab.poke(a + 64, new byte[] {0x78});
        SlabCorruptionException e = assertThrows(SlabCorruptionException.class, () -> slab.kmemCacheFree(c, a));
        assertEquals("BUG dbg2 (Not tainted): Right Redzone overwritten", e.getMessage());
        long slabStart = a - 8 - (a - 8 - PAGE_OFFSET) % 4096; // the first slab of dbg2 has colour 0
        assertTrue(e.report().contains(String.format("0x%016x-0x%016x @offset=%d. First byte 0x78 instead of 0xcc", a + 64, a + 64,
                a + 64 - slabStart)), e.report().toString());
        assertEquals("FIX dbg2: Object at " + String.format("0x%016x", a) + " not freed", e.report().get(e.report().size() - 1));
        slab.kmemCacheFree(c, a); // restored by the report: now it goes
        assertTrue(slab.validate(c).isEmpty());
        assertChecked();
    }

    @Test
    void validateRestoresThePoisonItReports() {
        KmemCache c = slab.kmemCacheCreate("dbg3", 64, 0, SlabFlags.SLAB_POISON | SlabFlags.SLAB_RED_ZONE, null);
        long a = slab.kmemCacheAlloc(c, GFP_KERNEL);
        slab.kmemCacheFree(c, a);
        slab.poke(a + 50, new byte[] {0x12});
        List<String> errors = slab.validate(c);
        assertTrue(errors.contains("BUG dbg3 (Not tainted): Poison overwritten"), errors.toString());
        assertEquals(0x6b, slab.peek(a + 50, 1)[0], "restore_bytes: the report put POISON_FREE back");
        assertTrue(slab.validate(c).isEmpty(), "the report restored the poison");
    }

    @Test
    void kmallocRedzoneCatchesWritesPastTheRequestedSize() {
        MachineImpl m2 = MachineImpl.boot(SMALL);
        SlabAllocator dbg = new SlabAllocator(m2, new BuddyAllocator(m2), SlabGeometry.Tunables.DEFAULT);
        dbg.setSlubDebug(SlabFlags.SLAB_DEBUG_FLAGS, List.of());
        dbg.adopt(Handover.BOOT);
        long p = dbg.kmalloc(50, GFP_KERNEL);
        assertEquals("kmalloc-64", dbg.cacheOf(p).orElseThrow().name());
        dbg.poke(p + 55, new byte[] {1});
        SlabCorruptionException e = assertThrows(SlabCorruptionException.class, () -> dbg.kfree(p));
        assertEquals("BUG kmalloc-64 (Not tainted): kmalloc Redzone overwritten", e.getMessage());
        assertTrue(dbg.check().isEmpty(), dbg.check().toString());
    }

    // ---- SLAB's own mechanics -------------------------------------------------------------------------

    @Test
    void enableCpucacheSizesTheArraysByObjectSize() {
        int[][] expected = {{8, 120, 60, 8}, {256, 120, 60, 8}, {512, 54, 27, 8}, {1024, 54, 27, 8}, {2048, 24, 12, 8},
            {4096, 24, 12, 8}, {8192, 8, 4, 0}};
        for (int[] e : expected) {
            KmemCacheSlab c = internal(cache("kmalloc-" + (e[0] >= 1024 ? e[0] / 1024 + "k" : Integer.toString(e[0]))));
            assertEquals(e[1], c.limit, c.name() + " limit");
            assertEquals(e[2], c.batchcount, c.name() + " batchcount");
            assertEquals(e[3], c.shared, c.name() + " shared");
            assertEquals(e[1], c.array[1].limit);
            assertEquals(e[3] * e[2], c.node[0].shared == null ? 0 : c.node[0].shared.limit);
            assertEquals((1 + 2) * e[2] + c.num, c.node[0].freeLimit, "free_limit = (1 + nr_cpus_node) * batchcount + num");
        }
        KmemCacheSlab dbg = internal(slab.kmemCacheCreate("dbg-tunables", 64, 0, SlabFlags.SLAB_RED_ZONE, null));
        assertEquals(32, dbg.limit, "CONFIG_DEBUG_SLAB caps the arrays at 32");
        assertTrue(slab.describe(cache("kmalloc-64")).get(1).contains("tunables: limit 120, batchcount 60, shared 8"),
                slab.describe(cache("kmalloc-64")).toString());
    }

    @Test
    void theArrayCacheIsRefilledAndServesLifo() {
        KmemCache c = slab.kmemCacheCreate("test-64", 64, 0, 0, null);
        KmemCacheSlab k = internal(c);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            objs.add(slab.kmemCacheAlloc(c, GFP_KERNEL));
        }
        assertEquals(64, new HashSet<>(objs).size());
        Map<String, Long> st = slab.stats(c);
        // the first miss refills BATCHREFILL_LIMIT (16) of a new slab into an untouched array; the second, 60 asked, gets the 48 left
        assertEquals(2, st.get("allocmiss"));
        assertEquals(62, st.get("allochit"));
        assertEquals(64, st.get("listallocs"));
        assertEquals(1, st.get("grown"));
        assertEquals(0, k.array[0].avail);
        for (long o : objs) {
            slab.kmemCacheFree(c, o);
        }
        assertEquals(64, slab.stats(c).get("freehit"));
        assertEquals(64, k.array[0].avail);
        assertEquals(objs.get(63), slab.kmemCacheAlloc(c, GFP_KERNEL), "LIFO: the object freed last comes back first");
        slab.kmemCacheFree(c, objs.get(63));
        SlabInfo si = slab.slabinfo(c);
        assertEquals(64, si.numObjs());
        assertEquals(64, si.activeObjs(), "objects in array caches count as active, as in the kernel's slabinfo");
        assertEquals(1, si.activeSlabs(), "a slab whose objects are all in an array cache is active");
        assertChecked();
        assertEquals(1, slab.kmemCacheShrink(c), "the drain empties the slab, the shrink gives it back");
        assertEquals(0, k.array[0].avail);
        assertEquals(new SlabInfo("test-64", 0, 0, 64, 64, 1, 0, 0, 120, 60, 8, 0), slab.slabinfo(c));
        assertEquals(freeAtBoot, freePages());
        assertChecked();
    }

    @Test
    void aFullArrayFlushesItsOldestBatch() {
        KmemCache c = slab.kmemCacheCreate("test-flush", 64, 0, 0, null);
        KmemCacheSlab k = internal(c);
        slab.tuneCpucache(c, 8, 4, 0);
        assertEquals(3 * 4 + 64, k.node[0].freeLimit);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            objs.add(slab.kmemCacheAlloc(c, GFP_KERNEL));
        }
        Map<String, Long> st = slab.stats(c);
        assertEquals(3, st.get("allocmiss"), "refills of 4 at the 1st, 5th and 9th allocation");
        assertEquals(7, st.get("allochit"));
        assertEquals(12, st.get("listallocs"));
        assertEquals(2, k.array[0].avail);
        assertEquals(52, k.node[0].freeObjects);
        // two objects refilled but not handed out sit at the bottom; six frees fill the array to its limit of 8
        for (int i = 0; i < 6; i++) {
            slab.kmemCacheFree(c, objs.get(i));
        }
        assertEquals(8, k.array[0].avail);
        long bottom = k.array[0].slab[0].address(k.array[0].idx[0]);
        slab.kmemCacheFree(c, objs.get(6)); // full: the oldest 4 go back to the slab first
        st = slab.stats(c);
        assertEquals(6, st.get("freehit"));
        assertEquals(1, st.get("freemiss"));
        assertEquals(5, k.array[0].avail);
        assertEquals(56, k.node[0].freeObjects);
        assertEquals(new SlabInfo("test-flush", 8, 64, 64, 64, 1, 1, 1, 8, 4, 0, 0), slab.slabinfo(c),
                "3 objects in use, 5 in the array: 8 active");
        assertEquals(objs.get(6), k.array[0].slab[4].address(k.array[0].idx[4]), "the new object on top");
        assertNotEquals(bottom, k.array[0].slab[0].address(k.array[0].idx[0]), "the bottom went to the slab");
        assertChecked();
        for (int i = 7; i < 10; i++) {
            slab.kmemCacheFree(c, objs.get(i));
        }
        assertChecked();
        assertThrows(IllegalArgumentException.class, () -> slab.tuneCpucache(c, 4, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> slab.tuneCpucache(c, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> slab.tuneCpucache(c, 4, 2, -1));
        slab.kmemCacheDestroy(c);
        assertEquals(freeAtBoot, freePages());
    }

    @Test
    void theSharedArrayPassesObjectsBetweenCpus() {
        KmemCache c = slab.kmemCacheCreate("test-shared", 64, 0, 0, null);
        KmemCacheSlab k = internal(c);
        slab.tuneCpucache(c, 8, 4, 2); // a shared array of 2 batches
        List<Long> objs = new ArrayList<>();
        m.runOn(0, () -> {
            for (int i = 0; i < 20; i++) {
                objs.add(slab.kmemCacheAlloc(c, GFP_KERNEL));
            }
            for (long o : objs) {
                slab.kmemCacheFree(c, o);
            }
            return null;
        });
        assertEquals(8, k.node[0].shared.avail, "two flushes of 4 went to the shared array");
        assertEquals(8, slab.slabinfo(c).sharedAvail());
        assertEquals(2, slab.slabinfo(c).sharedfactor());
        assertEquals(8, k.array[0].avail);
        long listallocs = slab.stats(c).get("listallocs");
        long got = m.runOn(1, () -> slab.kmemCacheAlloc(c, GFP_KERNEL));
        assertEquals(4, k.node[0].shared.avail, "CPU 1's refill took a batch from the shared array");
        assertEquals(3, k.array[1].avail);
        assertEquals(listallocs, slab.stats(c).get("listallocs"), "no object came off a slab");
        assertTrue(objs.contains(got));
        assertChecked();
        m.runOn(1, () -> {
            slab.kmemCacheFree(c, got);
            return null;
        });
        slab.kmemCacheDestroy(c);
        assertEquals(freeAtBoot, freePages());
    }

    @Test
    void freeSlabsBeyondTheFreeLimitGoBackAtOnce() {
        KmemCache c = slab.kmemCacheCreate("test-limit", 64, 0, 0, null);
        KmemCacheSlab k = internal(c);
        slab.tuneCpucache(c, 8, 4, 0); // free_limit (1 + 2) * 4 + 64 = 76
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 5 * 64; i++) {
            objs.add(slab.kmemCacheAlloc(c, GFP_KERNEL));
        }
        assertEquals(5, slab.slabinfo(c).numSlabs());
        long slabPages = m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);
        for (long o : objs) {
            slab.kmemCacheFree(c, o);
        }
        // four slabs went back as they emptied; the last one stays, 8 of its objects in CPU 0's array
        assertEquals(56, k.node[0].freeObjects, "free_objects");
        assertEquals(8, k.array[0].avail);
        assertEquals(1, slab.slabinfo(c).numSlabs(), slab.describe(c).toString());
        assertEquals(slabPages - 4, m.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE));
        assertChecked();
        slab.kmemCacheDestroy(c);
        assertEquals(freeAtBoot, freePages());
    }

    @Test
    void colouringShiftsEachNewSlabByACacheLineAndWraps() {
        // 1000-byte objects: order 2, 16 objects, 384 bytes left over: 6 colours of 64 bytes
        KmemCache c = slab.kmemCacheCreate("test-colour", 1000, 0, 0, null);
        KmemCacheSlab k = internal(c);
        assertEquals(2, c.order());
        assertEquals(16, c.objectsPerSlab());
        assertEquals(6, k.colour);
        assertEquals(64, k.colourOff);
        Map<Long, Long> firstOfSlab = new LinkedHashMap<>(); // slab start -> its first object
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 8 * 16; i++) {
            long a = slab.kmemCacheAlloc(c, GFP_KERNEL);
            objs.add(a);
            long slabStart = a - (a - PAGE_OFFSET) % (4096 << 2);
            firstOfSlab.merge(slabStart, a, Math::min);
        }
        assertEquals(8, firstOfSlab.size());
        List<Long> colours = new ArrayList<>();
        firstOfSlab.forEach((start, first) -> colours.add(first - start));
        assertEquals(List.of(0L, 64L, 128L, 192L, 256L, 320L, 0L, 64L), colours, "slabs in the order they were grown");
        for (long a : objs) {
            assertEquals(1000, slab.ksize(a));
            assertEquals("test-colour", slab.cacheOf(a).orElseThrow().name());
        }
        assertTrue(slab.describe(c).get(0).contains("384 bytes left over: colour 6 x colour_off 64"), slab.describe(c).get(0));
        assertChecked();
        for (long a : objs) {
            slab.kmemCacheFree(c, a);
        }
        slab.kmemCacheDestroy(c);
        assertEquals(freeAtBoot, freePages());
    }

    @Test
    void theReaperTrimsIdleArraysAndFreeSlabs() {
        KmemCache c = slab.kmemCacheCreate("test-reap", 64, 0, 0, null);
        KmemCacheSlab k = internal(c);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            objs.add(slab.kmemCacheAlloc(c, GFP_KERNEL));
        }
        for (long o : objs) {
            slab.kmemCacheFree(c, o);
        }
        assertEquals(64, k.array[0].avail, "one slab's worth, all in CPU 0's array");
        KmemCache other = slab.kmemCacheCreate("test-reap-other", 32, 0, 0, null);
        // every 2 s each CPU reaps at its next call: an array touched since the last reap is only marked untouched; an
        // untouched one gives back (limit + 4) / 5 = 24 objects, at most half of what it holds; every 4 s the node's free
        // slabs go back too, unless a refill found no partial slab since the node was last reaped (the first time here)
        List<Integer> avail = new ArrayList<>();
        List<Long> reaped = new ArrayList<>();
        for (int tick = 1; tick <= 8; tick++) {
            m.clock().advance(2_000_000_000L);
            slab.kmemCacheFree(other, slab.kmemCacheAlloc(other, GFP_KERNEL));
            avail.add(k.array[0].avail);
            reaped.add(slab.stats(c).get("reaped"));
        }
        assertEquals(List.of(64, 40, 16, 8, 4, 2, 1, 0), avail);
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 0L, 1L), reaped, "the empty slab goes back at the 16 s node reap");
        assertEquals(0, slab.slabinfo(c).numSlabs());
        assertChecked();
        int timers = ((SimClockImpl) m.clock()).pendingTimers();
        Handover h = slab.quiesce();
        assertEquals(timers - 1, ((SimClockImpl) m.clock()).pendingTimers(), "quiesce cancels the reap timer");
        m.clock().advance(20_000_000_000L);
        SlabAllocator next = new SlabAllocator(m, pages, SlabGeometry.Tunables.DEFAULT);
        next.adopt(h);
        for (KmemCache x : next.caches()) {
            next.kmemCacheShrink(x);
        }
        assertEquals(freeAtBoot, freePages());
        assertTrue(next.check().isEmpty(), next.check().toString());
    }

    @Test
    void remoteFreesGoStraightBackToTheirNode() {
        MachineImpl m2 = MachineImpl.boot(new MachineConfig(Arch.X86_64, 512L << 20, 2, 2, 0));
        BuddyAllocator p2 = new BuddyAllocator(m2);
        SlabAllocator s2 = new SlabAllocator(m2, p2, SlabGeometry.Tunables.DEFAULT);
        s2.adopt(Handover.BOOT);
        long boot = freePages(m2, p2);
        assertEquals(0, m2.cpuToNode(0));
        assertEquals(1, m2.cpuToNode(1));
        KmemCache c = s2.kmemCacheCreate("numa", 128, 0, 0, null);
        KmemCacheSlab k = s2.slabCaches().stream().filter(x -> x.name().equals("numa")).findFirst().orElseThrow();
        assertEquals((1 + 1) * 60 + 32, k.node[0].freeLimit, "one CPU per node");
        List<Long> onNode0 = new ArrayList<>();
        m2.runOn(0, () -> {
            for (int i = 0; i < 50; i++) {
                onNode0.add(s2.kmemCacheAlloc(c, GFP_KERNEL));
            }
            return null;
        });
        for (long o : onNode0) {
            assertEquals(0, m2.frames().nid((o - PAGE_OFFSET) >> 12), "CPU 0 grows node 0's slabs");
        }
        m2.runOn(1, () -> {
            for (long o : onNode0) {
                s2.kmemCacheFree(c, o);
            }
            long mine = s2.kmemCacheAlloc(c, GFP_KERNEL);
            assertEquals(1, m2.frames().nid((mine - PAGE_OFFSET) >> 12), "CPU 1 grows its own node's slab");
            s2.kmemCacheFree(c, mine);
            return null;
        });
        assertEquals(50, s2.stats(c).get("remotefrees"));
        assertEquals(0, s2.stats(c).get("freemiss"));
        assertTrue(k.array[1].avail > 0);
        for (int i = 0; i < k.array[1].avail; i++) {
            assertEquals(1, k.array[1].slab[i].nid, "CPU 1's array holds only node 1's objects");
        }
        assertEquals(k.array[0].avail, k.node[0].totalObjects - k.node[0].freeObjects,
                "the 50 objects are back on node 0's slabs: only CPU 0's refilled array holds some");
        assertTrue(s2.check().isEmpty(), s2.check().toString());
        s2.kmemCacheDestroy(c);
        assertEquals(boot, freePages(m2, p2));
    }
}

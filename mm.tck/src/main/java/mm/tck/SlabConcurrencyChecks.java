package mm.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabInfo;

/**
 * The check of two CPUs allocating and freeing at once, each also freeing objects the other
 * allocated.
 *
 * <p>In SLUB each CPU allocates from its own slab's freelist without a lock
 * ({@code slab_alloc_node()}: a cmpxchg of freelist and transaction id); a free of an object of
 * another CPU's slab goes to the slab itself ({@code __slab_free()}: a cmpxchg of the slab's
 * freelist and counters), and may make a full slab partial or an empty one free while the owner
 * allocates. No object is handed out twice and none is lost.
 *
 * @param subject the implementation graded, the machines and frame allocator it runs on, the reference and the time limit
 */
record SlabConcurrencyChecks(SlabSubject subject) {

    /** Operations per CPU. */
    static final int OPS = 50_000;

    /** {@code concurrent-cpus-no-object-twice}: two CPUs at once, each also freeing the other's objects. */
    void concurrentCpusNoObjectTwice() throws InterruptedException {
        SlabRig rig = subject.rig();
        Machine m = rig.machine;
        ObjectCache c = rig.active;
        KmemCache kc = c.kmemCacheCreate("tck-smp", 128, 0, 0, null);
        ConcurrentHashMap<Long, Integer> owner = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<long[]> shared = new ConcurrentLinkedQueue<>();
        AtomicReference<String> problem = new AtomicReference<>();
        TwoCpus.run(m, subject.timeLimit(), "mm.tck slab", problem, cpu -> churn(rig, c, kc, cpu, owner, shared, problem));
        for (long[] o = shared.poll(); o != null; o = shared.poll()) {
            release(c, kc, owner, o, problem);
        }
        Expect.that(problem.get() == null, "two CPUs at once: %s", problem.get());
        if (!owner.isEmpty()) {
            throw new IllegalStateException("a bug of the kit: it lost track of " + owner.size() + " objects");
        }
        Expect.noProblems(c.check(), "after two CPUs allocated and freed at once");
        long left = SlabRig.inUse(c, kc);
        Expect.that(left == 0, "after two CPUs allocated and freed every object of tck-smp, slabinfo shows %d active objects "
                + "after kmemCacheShrink", left);
        for (KmemCache k : c.caches()) {
            SlabInfo boot = rig.bootInfo(k.name());
            if (boot != null) {
                long now = SlabRig.inUse(c, k);
                Expect.that(now == boot.activeObjs(), "after two CPUs allocated and freed every object, slabinfo of %s shows %d "
                        + "active objects after kmemCacheShrink, %d right after boot", k.name(), now, boot.activeObjs());
            }
        }
        c.kmemCacheDestroy(kc);
        rig.expectBackToBoot("two CPUs allocating and freeing at once");
    }

    /** One CPU's share: kmalloc and kmem_cache_alloc of a seeded mix, frees of its own objects and of the other CPU's. */
    private static void churn(SlabRig rig, ObjectCache c, KmemCache kc, int cpu, ConcurrentHashMap<Long, Integer> owner,
            ConcurrentLinkedQueue<long[]> shared, AtomicReference<String> problem) {
        Random rnd = new Random(Workload.SEED * 37 + cpu);
        List<long[]> mine = new ArrayList<>();
        try {
            for (int i = 0; i < OPS && problem.get() == null; i++) {
                int r = rnd.nextInt(100);
                if (r < 50 && mine.size() < 3000) {
                    long size;
                    long addr;
                    if (rnd.nextInt(3) == 0) {
                        size = 0;
                        addr = c.kmemCacheAlloc(kc, Gfp.GFP_KERNEL);
                    } else {
                        size = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 4096 : 256);
                        addr = c.kmalloc(size, Gfp.GFP_KERNEL);
                    }
                    String call = size == 0 ? "kmemCacheAlloc(tck-smp)" : "kmalloc(" + size + ")";
                    if (addr == 0) {
                        problem.compareAndSet(null, call + " on cpu " + cpu + " returned NULL with plenty of free memory");
                        return;
                    }
                    if (rig.pfnOf(addr) < 0) {
                        problem.compareAndSet(null, call + " on cpu " + cpu + " returned " + SlabRig.hex(addr) + ", not an "
                                + "address of this machine's RAM");
                        return;
                    }
                    Integer prev = owner.putIfAbsent(addr, cpu);
                    if (prev != null) {
                        problem.compareAndSet(null, call + " on cpu " + cpu + " returned " + SlabRig.hex(addr) + ", which cpu "
                                + prev + " still holds");
                        return;
                    }
                    long[] o = {addr, size};
                    if (rnd.nextInt(3) == 0) {
                        shared.add(o);
                    } else {
                        mine.add(o);
                    }
                } else if (r < 80 && !mine.isEmpty()) {
                    int k = rnd.nextInt(mine.size());
                    long[] o = mine.get(k);
                    mine.set(k, mine.get(mine.size() - 1));
                    mine.remove(mine.size() - 1);
                    release(c, kc, owner, o, problem);
                } else {
                    long[] o = shared.poll();
                    if (o != null) {
                        release(c, kc, owner, o, problem);
                    }
                }
            }
        } finally {
            for (long[] o : mine) {
                release(c, kc, owner, o, problem);
            }
        }
    }

    /** Forgets who holds an object, then frees it (after the free another CPU may get it at once). */
    private static void release(ObjectCache c, KmemCache kc, ConcurrentHashMap<Long, Integer> owner, long[] o,
            AtomicReference<String> problem) {
        if (owner.remove(o[0]) == null) {
            problem.compareAndSet(null, "the kit frees " + SlabRig.hex(o[0]) + ", which it did not record");
        }
        if (o[1] == 0) {
            c.kmemCacheFree(kc, o[0]);
        } else {
            c.kfree(o[0]);
        }
    }
}

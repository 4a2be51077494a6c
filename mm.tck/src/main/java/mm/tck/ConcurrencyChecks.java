package mm.tck;

import static mm.tck.Expect.hex;
import static mm.tck.Machines.SMALL;
import static mm.tck.Workload.MIX_GFP;
import static mm.tck.Workload.SEED;
import static mm.tck.Workload.pickOrder;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.Zone;

/**
 * The check of two CPUs allocating and freeing at once, each freeing blocks the other allocated.
 *
 * <p>It mirrors what {@code zone->lock} and the per-CPU lists' {@code pcp->lock} guard in
 * mm/page_alloc.c: a block freed on another CPU than the one that allocated it goes to the freeing
 * CPU's list ({@code free_unref_page()}), and {@code free_pcppages_bulk()} and {@code rmqueue_bulk()}
 * move pages between the lists and the zone while the other CPU allocates. No frame is handed out
 * twice and none is lost.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record ConcurrencyChecks(Subject subject) {

    /** {@code concurrent-cpus-no-frame-twice}: two CPUs at once, each also freeing the other's blocks. */
    void concurrentCpusNoFrameTwice() throws InterruptedException {
        AllocatorRig rig = subject.rig(SMALL);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        ConcurrentHashMap<Long, Integer> owner = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<long[]> shared = new ConcurrentLinkedQueue<>();
        AtomicReference<String> problem = new AtomicReference<>();
        TwoCpus.run(m, subject.timeLimit(), "mm.tck", problem, cpu -> churn(m, a, cpu, owner, shared, problem));
        for (long[] b = shared.poll(); b != null; b = shared.poll()) {
            release(owner, b, problem);
            a.freePages(b[0], (int) b[1]);
        }
        Expect.that(problem.get() == null, "two CPUs at once: %s", problem.get());
        if (!owner.isEmpty()) {
            throw new IllegalStateException("a bug of the kit: it lost track of " + owner.size() + " frames");
        }
        rig.expectBackToAdoption(a, "two CPUs allocating and freeing at once");
    }

    /** One CPU's share: a seeded mix of allocations and frees, some blocks passed to the other CPU to free. */
    private static void churn(Machine m, FrameAllocator a, int cpu, ConcurrentHashMap<Long, Integer> owner,
            ConcurrentLinkedQueue<long[]> shared, AtomicReference<String> problem) {
        Random rnd = new Random(SEED * 31 + cpu);
        List<long[]> mine = new ArrayList<>();
        long pages = 0;
        try {
            for (int i = 0; i < 20_000 && problem.get() == null; i++) {
                int r = rnd.nextInt(100);
                if (r < 50 && pages < 4096) {
                    int order = pickOrder(rnd);
                    int gfp = MIX_GFP[rnd.nextInt(MIX_GFP.length)];
                    long pfn = a.allocPages(gfp, order);
                    if (pfn == FrameAllocator.NO_PAGE) {
                        continue;
                    }
                    String bad = badBlock(m, pfn, gfp, order);
                    if (bad != null) {
                        problem.compareAndSet(null, "allocPages(" + Gfp.format(gfp) + ", " + order + ") on cpu " + cpu + " " + bad);
                        return;
                    }
                    for (long p = pfn; p < pfn + (1L << order); p++) {
                        Integer prev = owner.putIfAbsent(p, cpu);
                        if (prev != null) {
                            problem.compareAndSet(null, "allocPages(" + Gfp.format(gfp) + ", " + order + ") on cpu " + cpu
                                    + " returned " + hex(pfn) + ", whose frame " + hex(p) + " cpu " + prev + " still holds");
                            return;
                        }
                    }
                    long[] block = {pfn, order};
                    if (rnd.nextInt(4) == 0) {
                        shared.add(block);
                    } else {
                        mine.add(block);
                        pages += 1L << order;
                    }
                } else if (r < 85 && !mine.isEmpty()) {
                    long[] b = mine.remove(rnd.nextInt(mine.size()));
                    pages -= 1L << b[1];
                    release(owner, b, problem);
                    a.freePages(b[0], (int) b[1]);
                } else {
                    long[] b = shared.poll();
                    if (b != null) {
                        release(owner, b, problem);
                        a.freePages(b[0], (int) b[1]);
                    }
                }
            }
        } finally {
            for (long[] b : mine) {
                release(owner, b, problem);
                a.freePages(b[0], (int) b[1]);
            }
        }
    }

    /** Forgets who holds a block's frames, before it is freed (after, another CPU may get them at once). */
    private static void release(ConcurrentHashMap<Long, Integer> owner, long[] block, AtomicReference<String> problem) {
        for (long p = block[0]; p < block[0] + (1L << block[1]); p++) {
            if (owner.remove(p) == null) {
                problem.compareAndSet(null, "the kit frees frame " + hex(p) + ", which it did not record");
            }
        }
    }

    /** What is wrong with a block just handed out, judged by its head alone (other CPUs change the rest); null if nothing. */
    private static String badBlock(Machine m, long pfn, int gfp, int order) {
        Zone z = pfn < 0 ? null : FrameCensus.zoneOf(m, pfn);
        if (z == null) {
            return "returned " + pfn + ", not a frame of this machine";
        }
        if ((pfn & ((1L << order) - 1)) != 0) {
            return "returned " + hex(pfn) + ", not aligned to its order";
        }
        if (z.type().ordinal() > Gfp.gfpZone(gfp).ordinal()) {
            return "returned " + hex(pfn) + " in " + FrameCensus.name(z) + ", a zone these flags do not allow";
        }
        FrameTable ft = m.frames();
        if (!FrameCensus.allocatedHead(ft, pfn) || ft.refcount(pfn) != 1 || ft.order(pfn) != order) {
            return "returned " + hex(pfn) + " with count " + ft.refcount(pfn) + ", order " + ft.order(pfn) + ", flags "
                    + FrameCensus.flags(ft, pfn) + " in the frame table";
        }
        return null;
    }
}

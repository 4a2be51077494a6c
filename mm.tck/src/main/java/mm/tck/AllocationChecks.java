package mm.tck;

import static mm.tck.Expect.hex;
import static mm.tck.Machines.ARM64;
import static mm.tck.Machines.MOVABLE;
import static mm.tck.Machines.SMALL;
import static mm.tck.Machines.TWO_NODES;
import static mm.tck.Workload.NO_WATERMARKS;
import static mm.tck.Workload.SEED;
import static mm.tck.Workload.exhaust;
import static mm.tck.Workload.mix;
import static mm.tck.Workload.mustAlloc;

import java.util.List;
import java.util.Random;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;

/**
 * The checks of where a block comes from and what it looks like when it is handed out.
 *
 * <p>They mirror the allocation path of mm/page_alloc.c: {@code gfp_zone()} (include/linux/gfp.h)
 * turns the zone modifiers into the highest zone allowed; {@code get_page_from_freelist()} walks
 * the preferred node's zonelist from that zone down, taking a lower zone only once the ones before
 * it fail {@code zone_watermark_fast()} at the low watermark plus lowmem reserve;
 * {@code __GFP_THISNODE} restricts the walk to one node ({@code ZONELIST_NOFALLBACK});
 * {@code prep_new_page()} gives the head its reference and, through {@code post_alloc_hook()},
 * clears the frames for {@code __GFP_ZERO}. Every block returned is aligned to its order, inside
 * one zone, and overlaps no block still handed out.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record AllocationChecks(Subject subject) {

    /**
     * {@code blocks-aligned-recorded-disjoint}: every order, then a seeded mix, each block verified
     * by the rig as it returns.
     */
    void blocksAlignedRecordedDisjoint() {
        AllocatorRig rig = subject.rig(SMALL);
        Random rnd = new Random(SEED + 3);
        for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
            for (int i = 0; i < 3; i++) {
                long pfn = rig.alloc(Gfp.GFP_KERNEL, order);
                Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, %d) returned NO_PAGE on a fresh %s", order,
                        SMALL.summary());
            }
        }
        rig.expectAccounted(rig.allocator, "after blocks of every order");
        mix(rig, rnd, 3000, 60, 16_384);
        rig.expectLiveIntact("after a mix of allocations and frees");
        rig.expectAccounted(rig.allocator, "after a mix of allocations and frees");
        rig.freeAll(rig.allocator, rnd);
        rig.expectBackToAdoption(rig.allocator, "freeing every block");
    }

    /** {@code gfp-zone-modifiers-respected}: {@code gfp_zone()} bounds the zone of every block, on x86_64 and arm64. */
    void gfpZoneModifiersRespected() {
        int[] gfps = {Gfp.GFP_DMA, Gfp.GFP_DMA32, Gfp.GFP_KERNEL, Gfp.GFP_KERNEL | Gfp.__GFP_MOVABLE, Gfp.GFP_HIGHUSER,
            Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_ATOMIC, Gfp.GFP_NOWAIT | Gfp.__GFP_DMA32};
        for (MachineConfig c : List.of(MOVABLE, ARM64)) {
            AllocatorRig rig = subject.rig(c);
            for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
                for (int gfp : gfps) {
                    long pfn = rig.alloc(gfp, order);
                    Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(%s, %d) returned NO_PAGE on a fresh %s", Gfp.format(gfp),
                            order, c.summary());
                }
            }
            rig.freeAll(rig.allocator, new Random(SEED + 4));
            rig.expectBackToAdoption(rig.allocator, "freeing every block on " + c.summary());
        }
    }

    /**
     * {@code zonelist-order-respected}: the first allowed zone first; a lower one only below the
     * low watermark of those before it.
     */
    void zonelistOrderRespected() {
        AllocatorRig rig = subject.rig(MOVABLE);
        Machine m = rig.machine;
        List<Zone> zonelist = m.zonelist(m.cpuToNode(m.currentCpu()));
        for (int gfp : new int[] {Gfp.GFP_HIGHUSER_MOVABLE, Gfp.GFP_KERNEL, Gfp.GFP_DMA32, Gfp.GFP_DMA}) {
            Zone first = zonelist.stream().filter(z -> z.managed() && z.type().ordinal() <= Gfp.gfpZone(gfp).ordinal())
                    .findFirst().orElseThrow();
            for (int order : new int[] {0, FrameAllocator.MAX_PAGE_ORDER}) {
                long pfn = rig.alloc(gfp, order);
                Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(%s, %d) returned NO_PAGE on a fresh %s", Gfp.format(gfp), order,
                        MOVABLE.summary());
                Zone got = FrameCensus.zoneOf(m, pfn);
                Expect.that(got == first, "on a fresh machine allocPages(%s, %d) returned %s in %s: the first zone of the zonelist "
                        + "these flags allow is %s, with %d free pages", Gfp.format(gfp), order, hex(pfn), FrameCensus.name(got),
                        FrameCensus.name(first), first.freePages());
            }
        }
        rig.freeAll(rig.allocator, new Random(SEED + 5));
        rig.expectBackToAdoption(rig.allocator, "freeing every block");

        // a lower zone only once the higher ones fail the fast path's low watermark
        AllocatorRig small = subject.rig(SMALL);
        int hz = Gfp.gfpZone(Gfp.GFP_KERNEL).ordinal();
        List<Zone> allowed = FrameCensus.allowedZones(small.machine, 0, Gfp.GFP_KERNEL);
        long bound = FrameCensus.total(FrameCensus.freeFrames(small.machine)) + 1;
        for (long n = 0;; n++) {
            Expect.that(n <= bound, "allocPages(GFP_KERNEL, 0) handed out more pages than were free");
            long[] free = new long[allowed.size()];
            long[] low = new long[allowed.size()];
            for (int i = 0; i < allowed.size(); i++) {
                free[i] = allowed.get(i).freePages();
                low[i] = allowed.get(i).watermark(Watermark.LOW) + allowed.get(i).lowmemReserve(hz);
            }
            long pfn = small.alloc(Gfp.GFP_KERNEL, 0);
            if (pfn == FrameAllocator.NO_PAGE) {
                break;
            }
            int at = allowed.indexOf(FrameCensus.zoneOf(small.machine, pfn));
            for (int i = 0; i < at; i++) {
                Expect.that(free[i] <= low[i], "allocPages(GFP_KERNEL, 0) returned %s in %s while %s, before it in the zonelist, "
                        + "had %d free pages, above its low watermark + lowmem reserve (%d)", hex(pfn),
                        FrameCensus.name(allowed.get(at)), FrameCensus.name(allowed.get(i)), free[i], low[i]);
            }
        }
        small.freeAll(small.allocator, new Random(SEED + 6));
        small.expectBackToAdoption(small.allocator, "freeing every block");
    }

    /**
     * {@code gfp-zero-clears-content}: tokens written into every frame, then {@code __GFP_ZERO}
     * blocks of every order come back clear.
     */
    void gfpZeroClearsContent() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        // write a token into every free frame, through allocations
        List<Long> all = exhaust(rig, -1, NO_WATERMARKS, 0, FrameCensus.total(FrameCensus.freeFrames(rig.machine)), "allocPages(GFP_KERNEL|"
                + "__GFP_MEMALLOC, 0)");
        for (long p : all) {
            ft.setContentToken(p, token(p));
        }
        rig.freeAll(a, new Random(SEED + 16));
        rig.expectBackToAdoption(a, "writing a content token into every frame and freeing them");
        int[] gfps = {Gfp.GFP_KERNEL | Gfp.__GFP_ZERO, Gfp.GFP_ATOMIC | Gfp.__GFP_ZERO, Gfp.GFP_DMA | Gfp.__GFP_ZERO,
            Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO | Gfp.__GFP_COMP};
        for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
            for (int gfp : gfps) {
                long pfn = mustAlloc(rig, gfp, order);
                for (long p = pfn; p < pfn + (1L << order); p++) {
                    long t = ft.contentToken(p);
                    Expect.that(t == 0, "allocPages(%s, %d) returned %s, but its frame %s still holds content token %#x: "
                            + "__GFP_ZERO clears every frame of the block", Gfp.format(gfp), order, hex(pfn), hex(p), t);
                }
            }
        }
        rig.freeAll(a, new Random(SEED + 17));
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static long token(long pfn) {
        return 0x7e57_0000_0000_0000L | pfn;
    }

    /**
     * {@code thisnode-respected}: the preferred node first; {@code __GFP_THISNODE} never leaves it,
     * a request without it falls back.
     */
    void thisNodeRespected() {
        AllocatorRig rig = subject.rig(TWO_NODES);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        int thisNode = Gfp.GFP_KERNEL | Gfp.__GFP_THISNODE;
        for (int nid = 0; nid < 2; nid++) {
            for (int order : new int[] {0, 4, FrameAllocator.MAX_PAGE_ORDER}) {
                long pfn = mustAllocNode(rig, nid, thisNode, order);
                expectNode(m, pfn, nid, "allocPagesNode(" + nid + ", GFP_KERNEL|__GFP_THISNODE, " + order + ")");
                pfn = mustAllocNode(rig, nid, Gfp.GFP_KERNEL, order);
                expectNode(m, pfn, nid, "on a fresh machine allocPagesNode(" + nid + ", GFP_KERNEL, " + order + ")");
            }
        }
        for (int cpu = 0; cpu < m.cpuCount(); cpu++) {
            int node = m.cpuToNode(cpu);
            long pfn = m.runOn(cpu, () -> rig.alloc(Gfp.GFP_KERNEL, 0));
            Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, 0) on cpu %d failed on a fresh machine", cpu);
            expectNode(m, pfn, node, "on a fresh machine allocPages(GFP_KERNEL, 0) on cpu " + cpu);
        }
        // exhaust node 1: never a page of node 0
        long[] before = rig.figures();
        long[] free = FrameCensus.freeFrames(m);
        long node1Free = rig.zones.stream().filter(z -> z.nid() == 1).mapToLong(z -> free[z.id()]).sum();
        String what = "allocPagesNode(1, GFP_KERNEL|__GFP_THISNODE|__GFP_MEMALLOC, 0)";
        exhaust(rig, 1, thisNode | Gfp.__GFP_MEMALLOC, 0, node1Free, what, pfn -> expectNode(m, pfn, 1, what));
        long[] census = FrameCensus.freeFrames(m);
        long[] after = rig.figures();
        for (Zone z : rig.zones) {
            if (z.nid() == 1) {
                Expect.that(census[z.id()] == 0, "%s returned NO_PAGE while %s still had %d free frames", what, FrameCensus.name(z),
                        census[z.id()]);
            } else {
                Expect.that(after[z.id()] == before[z.id()], "%s took pages from %s: __GFP_THISNODE never leaves node 1", what,
                        FrameCensus.name(z));
            }
        }
        for (int order : new int[] {0, 3}) {
            Expect.that(rig.allocNode(1, thisNode, order) == FrameAllocator.NO_PAGE, "allocPagesNode(1, GFP_KERNEL|__GFP_THISNODE, "
                    + "%d) succeeded with node 1 exhausted", order);
        }
        long fallback = rig.allocNode(1, Gfp.GFP_KERNEL, 0);
        Expect.that(fallback != FrameAllocator.NO_PAGE, "allocPagesNode(1, GFP_KERNEL, 0) returned NO_PAGE with node 1 exhausted: "
                + "without __GFP_THISNODE it falls back to node 0");
        expectNode(m, fallback, 0, "allocPagesNode(1, GFP_KERNEL, 0) with node 1 exhausted");
        rig.freeAll(a, new Random(SEED + 18));
        rig.expectBackToAdoption(a, "freeing every block");
    }

    private static long mustAllocNode(AllocatorRig rig, int nid, int gfp, int order) {
        long pfn = rig.allocNode(nid, gfp, order);
        Expect.that(pfn != FrameAllocator.NO_PAGE, "allocPagesNode(%d, %s, %d) returned NO_PAGE on a fresh machine", nid,
                Gfp.format(gfp), order);
        return pfn;
    }

    private static void expectNode(Machine m, long pfn, int nid, String call) {
        int got = FrameCensus.zoneOf(m, pfn).nid();
        Expect.that(got == nid, "%s returned %s, a frame of node %d, not node %d", call, hex(pfn), got, nid);
    }
}

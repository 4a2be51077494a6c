package mm.tck;

import static mm.tck.Expect.hex;
import static mm.tck.Machines.SMALL;
import static mm.tck.Workload.SEED;
import static mm.tck.Workload.mix;
import static mm.tck.Workload.mustAlloc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;

/**
 * The checks of giving pages back and of refusing what must not be accepted.
 *
 * <p>They mirror {@code __free_pages()} in mm/page_alloc.c: {@code put_page_testzero()} drops one
 * reference and only the last one frees the block; the pages go back to their zone, directly or
 * through a per-CPU list that {@code drain_all_pages()} empties; the free lists add up to
 * {@code NR_FREE_PAGES} ({@code zone->free_area[order].nr_free} per order and migratetype, as
 * /proc/buddyinfo and /proc/pagetypeinfo print them). Where the kernel warns or reports a bad page
 * ({@code WARN_ON_ONCE(order > MAX_PAGE_ORDER)}, {@code free_page_is_bad()} and {@code bad_page()}),
 * the contract requires an {@link IllegalArgumentException} that changes nothing.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record FreeChecks(Subject subject) {

    /** {@code frees-return-every-page}: a seeded mix allocated and freed on both CPUs gives every page back. */
    void freesReturnEveryPage() {
        AllocatorRig rig = subject.rig(SMALL);
        Random rnd = new Random(SEED + 7);
        Machine m = rig.machine;
        for (int round = 0; round < 4; round++) {
            int cpu = round % 2;
            m.runOn(cpu, () -> {
                mix(rig, rnd, 800, 70, 16_384);
                return null;
            });
        }
        // free half of what is left on the other CPU than most of it came from, the rest on CPU 0
        List<Long> pfns = new ArrayList<>(rig.live.keySet());
        Collections.shuffle(pfns, rnd);
        m.runOn(1, () -> {
            for (long pfn : pfns.subList(0, pfns.size() / 2)) {
                rig.free(pfn);
            }
            return null;
        });
        for (long pfn : pfns.subList(pfns.size() / 2, pfns.size())) {
            rig.free(pfn);
        }
        rig.expectBackToAdoption(rig.allocator, "freeing every block");
    }

    /**
     * {@code nr-free-adds-up-to-free-pages}: the free lists, by order and by migratetype, add up to
     * {@code NR_FREE_PAGES}.
     */
    void nrFreeAddsUp() {
        for (MachineConfig c : List.of(SMALL, MachineConfig.DEFAULT)) {
            AllocatorRig rig = subject.rig(c);
            FrameAllocator a = rig.allocator;
            a.drainAllPages();
            expectNrFreeAddsUp(rig, "after adoption on " + c.summary());
            if (c != SMALL) {
                continue;
            }
            Random rnd = new Random(SEED + 8);
            mix(rig, rnd, 2000, 65, 16_384);
            a.drainAllPages();
            expectNrFreeAddsUp(rig, "after a mix of allocations and frees");
            List<Long> pfns = new ArrayList<>(rig.live.keySet());
            Collections.shuffle(pfns, rnd);
            for (long pfn : pfns.subList(0, pfns.size() / 2)) {
                rig.free(pfn);
            }
            a.drainAllPages();
            expectNrFreeAddsUp(rig, "after freeing half the blocks");
            rig.freeAll(a, rnd);
            rig.expectBackToAdoption(a, "freeing every block");
            expectNrFreeAddsUp(rig, "after freeing every block");
        }
    }

    private static void expectNrFreeAddsUp(AllocatorRig rig, String when) {
        FrameAllocator a = rig.active;
        for (Zone z : rig.zones) {
            if (!z.populated()) {
                continue;
            }
            long pages = 0;
            for (int order = 0; order <= FrameAllocator.MAX_PAGE_ORDER; order++) {
                long n = a.nrFree(z, order);
                Expect.that(n >= 0, "%s, nrFree(%s, %d) is %d", when, FrameCensus.name(z), order, n);
                long byType = 0;
                for (int mt = 0; mt < MigrateType.MIGRATE_TYPES; mt++) {
                    long t = a.nrFree(z, order, mt);
                    Expect.that(t >= 0, "%s, nrFree(%s, %d, %s) is %d", when, FrameCensus.name(z), order,
                            MigrateType.of(mt).kernelName(), t);
                    byType += t;
                }
                Expect.that(byType == n, "%s, nrFree(%s, %d) is %d but the per-migratetype counts nrFree(zone, %d, type) add up "
                        + "to %d", when, FrameCensus.name(z), order, n, order, byType);
                pages += n << order;
            }
            Expect.that(pages == z.freePages(), "%s, the free blocks nrFree(%s, order) x 2^order add up to %d pages but "
                    + "NR_FREE_PAGES is %d", when, FrameCensus.name(z), pages, z.freePages());
        }
    }

    /**
     * {@code refcount-needs-every-reference}: as with {@code put_page_testzero()}, only the last
     * reference frees the block.
     */
    void refcountNeedsEveryReference() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        for (int order : new int[] {0, 3, FrameAllocator.MAX_PAGE_ORDER}) {
            long pfn = mustAlloc(rig, Gfp.GFP_KERNEL, order);
            ft.setRefcount(pfn, 2);
            long[] before = rig.figures();
            long[] census = FrameCensus.freeFrames(rig.machine);
            a.freePages(pfn, order);
            Expect.that(ft.refcount(pfn) == 1 && FrameCensus.allocatedHead(ft, pfn) && ft.order(pfn) == order, "freePages(%s, %d) "
                    + "with the head's reference count at 2 left count %d, order %d, flags %s: it drops one reference and keeps "
                    + "the block", hex(pfn), order, ft.refcount(pfn), ft.order(pfn), FrameCensus.flags(ft, pfn));
            long[] after = rig.figures();
            long[] censusAfter = FrameCensus.freeFrames(rig.machine);
            for (Zone z : rig.zones) {
                Expect.that(after[z.id()] == before[z.id()] && censusAfter[z.id()] == census[z.id()], "freePages(%s, %d) with a "
                        + "second reference changed the free pages of %s from %d to %d", hex(pfn), order, FrameCensus.name(z),
                        before[z.id()], after[z.id()]);
            }
            rig.free(pfn);
            rejectedFree(rig, pfn, order, "its last reference already dropped");
        }
        rig.expectBackToAdoption(a, "dropping every reference");
    }

    /**
     * {@code bad-arguments-rejected}: orders, flags and nodes the kernel would warn about are
     * refused, changing nothing.
     */
    void badArgumentsRejected() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        for (int order : new int[] {0, 2, 5}) {
            Expect.that(rig.alloc(Gfp.GFP_KERNEL, order) != FrameAllocator.NO_PAGE, "allocPages(GFP_KERNEL, %d) failed on a fresh "
                    + "machine", order);
        }
        int nodes = rig.machine.nodes().size();
        for (int order : new int[] {-1, FrameAllocator.MAX_PAGE_ORDER + 1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            rejected(rig, "allocPages(GFP_KERNEL, " + order + ")", () -> a.allocPages(Gfp.GFP_KERNEL, order));
            rejected(rig, "allocPagesNode(0, GFP_KERNEL, " + order + ")", () -> a.allocPagesNode(0, Gfp.GFP_KERNEL, order));
        }
        int[] badGfp = {Gfp.GFP_KERNEL | 1 << 9, Gfp.GFP_KERNEL | 1 << 25, Gfp.GFP_KERNEL | 1 << 31, Gfp.__GFP_DMA | Gfp.__GFP_DMA32,
            Gfp.GFP_KERNEL | Gfp.__GFP_DMA32 | Gfp.__GFP_HIGHMEM, Gfp.GFP_KERNEL | Gfp.__GFP_DMA | Gfp.__GFP_HIGHMEM,
            Gfp.GFP_KERNEL | Gfp.__GFP_MOVABLE | Gfp.__GFP_RECLAIMABLE};
        for (int gfp : badGfp) {
            String g = String.format("%#x", gfp);
            rejected(rig, "allocPages(" + g + ", 0)", () -> a.allocPages(gfp, 0));
            rejected(rig, "allocPagesNode(0, " + g + ", 0)", () -> a.allocPagesNode(0, gfp, 0));
        }
        for (int nid : new int[] {nodes, MachineConfig.MAX_NUMNODES, -2, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            rejected(rig, "allocPagesNode(" + nid + ", GFP_KERNEL, 0) on a machine with " + nodes + " node" + (nodes == 1 ? "" : "s"),
                    () -> a.allocPagesNode(nid, Gfp.GFP_KERNEL, 0));
        }
        rig.freeAll(a, new Random(SEED + 9));
        rig.expectBackToAdoption(a, "the bad calls and freeing every block");
    }

    /** {@code bad-frees-rejected}: frees the kernel would report as a bad page are refused, changing nothing. */
    void badFreesRejected() {
        AllocatorRig rig = subject.rig(SMALL);
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        long single = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        long four = mustAlloc(rig, Gfp.GFP_KERNEL, 2);
        long eight = mustAlloc(rig, Gfp.GFP_KERNEL, 3);
        long odd = FrameAllocator.NO_PAGE;
        for (int i = 0; i < 64 && odd == FrameAllocator.NO_PAGE; i++) {
            long p = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
            if ((p & 1) != 0) {
                odd = p;
            }
        }
        // never allocated: a free frame of the largest zone
        Zone largest = rig.zones.stream().max((x, y) -> Long.compare(x.managedPages(), y.managedPages())).orElseThrow();
        long[] freeFrame = {-1};
        FrameCensus.scan(rig.machine, largest, p -> freeFrame[0] = p);
        rejectedFree(rig, freeFrame[0], 0, "a free frame, never allocated");
        // twice
        long once = mustAlloc(rig, Gfp.GFP_KERNEL, 0);
        rig.free(once);
        rejectedFree(rig, once, 0, "already freed");
        long sixteen = mustAlloc(rig, Gfp.GFP_KERNEL, 4);
        rig.free(sixteen);
        rejectedFree(rig, sixteen, 4, "already freed");
        // the wrong order
        rejectedFree(rig, four, 0, "allocated with order 2");
        rejectedFree(rig, four, 1, "allocated with order 2");
        rejectedFree(rig, four, 3, "allocated with order 2");
        rejectedFree(rig, eight, 2, "allocated with order 3");
        rejectedFree(rig, single, 1, "allocated with order 0");
        // tail frames
        rejectedFree(rig, eight + 1, 0, "a tail frame of an order-3 block");
        rejectedFree(rig, eight + 4, 2, "a tail frame of an order-3 block");
        rejectedFree(rig, four + 2, 1, "a tail frame of an order-2 block");
        // misaligned
        Expect.that(odd != FrameAllocator.NO_PAGE, "64 order-0 allocations returned only even pfns: the kit cannot try "
                + "freeing an order-0 block at an odd pfn as order 1");
        rejectedFree(rig, odd, 1, "an order-0 block at an odd pfn, freed as order 1: misaligned");
        rejectedFree(rig, eight + 4, 3, "misaligned for order 3");
        // reserved: the first reserved frame, and the first inside a zone's span
        long reserved = -1;
        long reservedInZone = -1;
        for (long p = ft.startPfn(); p < ft.endPfn() && reservedInZone < 0; p++) {
            if (ft.pfnValid(p) && ft.test(p, PageFlags.PG_reserved)) {
                reserved = reserved < 0 ? p : reserved;
                Zone z = FrameCensus.zoneOf(rig.machine, p);
                if (z != null && z.spans(p)) {
                    reservedInZone = p;
                }
            }
        }
        Expect.that(reserved >= 0, "the machine has no reserved frame to try");
        rejectedFree(rig, reserved, 0, "a reserved frame");
        if (reservedInZone >= 0 && reservedInZone != reserved) {
            rejectedFree(rig, reservedInZone, 0, "a reserved frame inside " + FrameCensus.name(FrameCensus.zoneOf(rig.machine,
                    reservedInZone)));
        }
        // out of range
        for (long p : new long[] {ft.endPfn(), ft.endPfn() + 12345, FrameAllocator.NO_PAGE, -4096, Long.MAX_VALUE, Long.MIN_VALUE}) {
            rejectedFree(rig, p, 0, "not a frame of this machine");
        }
        for (long p = ft.startPfn(); p < ft.endPfn(); p++) {
            if (!ft.pfnValid(p)) {
                rejectedFree(rig, p, 0, "a pfn without a frame (a hole between memory sections)");
                break;
            }
        }
        // orders out of range
        for (int order : new int[] {-1, FrameAllocator.MAX_PAGE_ORDER + 1, 64, Integer.MIN_VALUE}) {
            rejectedFree(rig, single, order, "an order out of range");
        }
        rig.freeAll(a, new Random(SEED + 10));
        rig.expectBackToAdoption(a, "the bad frees and freeing every block");
    }

    /** A call that must throw IllegalArgumentException and leave every count, frame and block as it was. */
    private static void rejected(AllocatorRig rig, String call, Expect.Call body) {
        long[] figures = rig.figures();
        long[] census = FrameCensus.freeFrames(rig.machine);
        Expect.illegalArgument(call, body);
        long[] after = rig.figures();
        long[] censusAfter = FrameCensus.freeFrames(rig.machine);
        for (Zone z : rig.zones) {
            Expect.that(after[z.id()] == figures[z.id()], "%s was refused but changed the free pages of %s from %d to %d", call,
                    FrameCensus.name(z), figures[z.id()], after[z.id()]);
            Expect.that(censusAfter[z.id()] == census[z.id()], "%s was refused but changed the free frames of %s in the frame table "
                    + "from %d to %d", call, FrameCensus.name(z), census[z.id()], censusAfter[z.id()]);
        }
        rig.expectLiveIntact("after " + call + " was refused");
        Expect.noProblems(rig.active.check(), "after " + call + " was refused");
    }

    private static void rejectedFree(AllocatorRig rig, long pfn, int order, String what) {
        FrameAllocator a = rig.active;
        rejected(rig, "freePages(" + hex(pfn) + ", " + order + ") (" + what + ")", () -> a.freePages(pfn, order));
    }
}

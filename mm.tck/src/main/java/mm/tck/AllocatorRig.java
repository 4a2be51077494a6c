package mm.tck;

import static mm.tck.Expect.hex;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MachineFactory;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;

/**
 * A fresh machine, an implementation that adopted it, and the kit's bookkeeping around every call:
 * the blocks handed out and not yet freed, and the free figures after adoption. Every allocation
 * made through the rig is checked as it returns (a valid, aligned block of one zone the GFP flags
 * allow, recorded in the frame table, overlapping no live block, taken from its zone's free pages
 * exactly), and every free is checked to give exactly its pages back. Used by one check on one
 * thread.
 */
final class AllocatorRig {

    final Machine machine;
    final FrameTable ft;
    final List<Zone> zones;
    /** The implementation that adopted the machine at boot. */
    final FrameAllocator allocator;
    /**
     * The implementation that owns the machine now: whose per-CPU counts make up the free
     * figures. The adopter, until a hand-over names its successor.
     */
    FrameAllocator active;
    /** Blocks handed out through the rig and not freed: first pfn to order. */
    final TreeMap<Long, Integer> live = new TreeMap<>();
    /** Per zone id, after adoption: NR_FREE_PAGES plus the per-CPU lists. */
    private final long[] adoptedFree;
    /** Per zone id, after adoption: free frames by the frame table. */
    private final long[] adoptedCensus;

    private AllocatorRig(Machine machine, FrameAllocator allocator) {
        this.machine = machine;
        this.ft = machine.frames();
        this.zones = FrameCensus.zones(machine);
        this.allocator = allocator;
        this.active = allocator;
        this.adoptedFree = figures(allocator);
        this.adoptedCensus = FrameCensus.freeFrames(machine);
    }

    /** Boots a machine through the factory. */
    static Machine boot(MachineFactory machines, MachineConfig config) {
        Machine m = machines.boot(config);
        Expect.that(m != null, "the MachineFactory returned null for %s", config.summary());
        return m;
    }

    /** A new, dormant instance of the implementation. */
    static FrameAllocator create(FrameAllocatorFactory factory, Machine m) {
        FrameAllocator a = factory.create(m);
        Expect.that(a != null, "the factory of '%s' returned null from create(machine)", factory.implName());
        return a;
    }

    /** The rig around an implementation that has just adopted {@code m} at boot. */
    static AllocatorRig of(Machine m, FrameAllocator adopted) {
        return new AllocatorRig(m, adopted);
    }

    /** A fresh machine of this shape, adopted by a new instance of the implementation at boot. */
    static AllocatorRig adopt(MachineFactory machines, MachineConfig config, FrameAllocatorFactory factory) {
        Machine m = boot(machines, config);
        FrameAllocator a = create(factory, m);
        a.adopt(Handover.BOOT);
        return new AllocatorRig(m, a);
    }

    // ---- figures ------------------------------------------------------------------------------

    /** Pages on every CPU's per-CPU lists for a zone. */
    long pcp(FrameAllocator a, Zone z) {
        return FrameCensus.pcp(machine, a, z);
    }

    /** A zone's free pages as the implementation accounts them: NR_FREE_PAGES plus the per-CPU lists. */
    long free(FrameAllocator a, Zone z) {
        return z.freePages() + pcp(a, z);
    }

    /** {@link #free} of every zone, by zone id, as the active implementation accounts them. */
    long[] figures() {
        return figures(active);
    }

    /** {@link #free} of every zone, by zone id. */
    long[] figures(FrameAllocator a) {
        return FrameCensus.accountedFree(machine, a);
    }

    /** Free frames of a zone after adoption, by the frame table. */
    long adoptedCensus(Zone z) {
        return adoptedCensus[z.id()];
    }

    /** NR_FREE_PAGES plus per-CPU pages of a zone after adoption. */
    long adoptedFree(Zone z) {
        return adoptedFree[z.id()];
    }

    // ---- allocation ---------------------------------------------------------------------------

    /** {@code allocPages} through the active implementation. */
    long alloc(int gfp, int order) {
        return alloc(active, gfp, order);
    }

    /** {@code allocPages} through {@code a} (the active one, or one that forwards to it), checked and recorded; NO_PAGE if it failed. */
    long alloc(FrameAllocator a, int gfp, int order) {
        long[] before = figures();
        long pfn = a.allocPages(gfp, order);
        return record(pfn, gfp, order, "allocPages(" + Gfp.format(gfp) + ", " + order + ")", before);
    }

    /** {@code allocPagesNode} through the active implementation. */
    long allocNode(int nid, int gfp, int order) {
        return allocNode(active, nid, gfp, order);
    }

    /** {@code allocPagesNode} through {@code a}, checked and recorded; NO_PAGE if it failed. */
    long allocNode(FrameAllocator a, int nid, int gfp, int order) {
        long[] before = figures();
        long pfn = a.allocPagesNode(nid, gfp, order);
        return record(pfn, gfp, order, "allocPagesNode(" + nid + ", " + Gfp.format(gfp) + ", " + order + ")", before);
    }

    private long record(long pfn, int gfp, int order, String call, long[] before) {
        if (pfn == FrameAllocator.NO_PAGE) {
            long[] after = figures();
            for (Zone z : zones) {
                Expect.that(after[z.id()] == before[z.id()], "%s failed (NO_PAGE) but changed the free pages of %s from %d to %d",
                        call, FrameCensus.name(z), before[z.id()], after[z.id()]);
            }
            return pfn;
        }
        verifyNewBlock(pfn, gfp, order, call);
        Zone zone = FrameCensus.zoneOf(machine, pfn);
        long[] after = figures();
        long n = 1L << order;
        for (Zone z : zones) {
            long expected = before[z.id()] - (z == zone ? n : 0);
            Expect.that(after[z.id()] == expected, "%s returned %s in %s, but the free pages (NR_FREE_PAGES + per-CPU lists) of %s "
                    + "went from %d to %d instead of %d", call, hex(pfn), FrameCensus.name(zone), FrameCensus.name(z),
                    before[z.id()], after[z.id()], expected);
        }
        live.put(pfn, order);
        return pfn;
    }

    /**
     * A block just handed out: a frame of this machine, aligned to its order, inside one zone the
     * GFP flags allow, its head holding one reference and the order, its other frames unreferenced,
     * and overlapping no block handed out before and not freed.
     */
    void verifyNewBlock(long pfn, int gfp, int order, String call) {
        Expect.that(pfn >= 0, "%s returned %d: neither a pfn nor NO_PAGE (-1)", call, pfn);
        Zone zone = FrameCensus.zoneOf(machine, pfn);
        Expect.that(zone != null, "%s returned %s, which is not a page frame of this machine (frames are %s to %s)", call,
                hex(pfn), hex(ft.startPfn()), hex(ft.endPfn() - 1));
        long n = 1L << order;
        Expect.that((pfn & (n - 1)) == 0, "%s returned %s, which is not aligned to its order (a multiple of %d pages)", call,
                hex(pfn), n);
        Expect.that(zone.type().ordinal() <= Gfp.gfpZone(gfp).ordinal(), "%s returned %s in zone %s: these flags allow zones "
                + "up to %s only", call, hex(pfn), FrameCensus.name(zone), Gfp.gfpZone(gfp).kernelName());
        Expect.that(pfn + n <= zone.endPfn(), "%s returned %s: the order-%d block runs past the end of %s at %s", call, hex(pfn),
                order, FrameCensus.name(zone), hex(zone.endPfn()));
        Expect.that(!ft.test(pfn, PageFlags.PG_reserved), "%s returned %s, a reserved frame (PG_reserved)", call, hex(pfn));
        Expect.that(!ft.test(pfn, PageFlags.PG_buddy) && !ft.test(pfn, PageFlags.PG_pcp),
                "%s returned %s, whose frame is still marked free (%s)", call, hex(pfn), FrameCensus.flags(ft, pfn));
        Expect.that(ft.refcount(pfn) == 1, "%s returned %s with reference count %d in the frame table: a new block's head has 1",
                call, hex(pfn), ft.refcount(pfn));
        Expect.that(ft.order(pfn) == order, "%s returned %s with order %d in the frame table: the head records the block's order",
                call, hex(pfn), ft.order(pfn));
        for (long p = pfn + 1; p < pfn + n; p++) {
            Expect.that(ft.pfnValid(p) && FrameCensus.zoneOf(machine, p) == zone, "%s returned %s: its frame %s is not in %s",
                    call, hex(pfn), hex(p), FrameCensus.name(zone));
            Expect.that(!ft.test(p, PageFlags.PG_reserved), "%s returned the order-%d block %s, which contains the reserved frame %s",
                    call, order, hex(pfn), hex(p));
            Expect.that(ft.refcount(p) == 0 && !ft.test(p, PageFlags.PG_buddy) && !ft.test(p, PageFlags.PG_pcp),
                    "%s returned the order-%d block %s whose frame %s is %s", call, order, hex(pfn), hex(p),
                    ft.refcount(p) != 0 ? "referenced (count " + ft.refcount(p) + ")" : "marked free (" + FrameCensus.flags(ft, p) + ")");
        }
        Map.Entry<Long, Integer> below = live.floorEntry(pfn + n - 1);
        if (below != null && below.getKey() + (1L << below.getValue()) > pfn) {
            throw Expect.fail("%s returned %s (order %d), which overlaps the order-%d block at %s handed out earlier and not freed",
                    call, hex(pfn), order, below.getValue(), hex(below.getKey()));
        }
    }

    // ---- freeing ------------------------------------------------------------------------------

    /** Frees a live block through the active implementation. */
    void free(long pfn) {
        free(active, pfn);
    }

    /** Frees a live block through {@code a}: exactly its pages go back to its zone. */
    void free(FrameAllocator a, long pfn) {
        Integer order = live.remove(pfn);
        if (order == null) {
            throw new IllegalStateException("the kit frees " + hex(pfn) + ", which it did not allocate");
        }
        Zone zone = FrameCensus.zoneOf(machine, pfn);
        long[] before = figures();
        a.freePages(pfn, order);
        long[] after = figures();
        for (Zone z : zones) {
            long expected = before[z.id()] + (z == zone ? 1L << order : 0);
            Expect.that(after[z.id()] == expected, "freePages(%s, %d) changed the free pages (NR_FREE_PAGES + per-CPU lists) of %s "
                    + "from %d to %d instead of %d", hex(pfn), order, FrameCensus.name(z), before[z.id()], after[z.id()], expected);
        }
    }

    /** Frees every live block through {@code a}, in a seeded random order. */
    void freeAll(FrameAllocator a, Random rnd) {
        List<Long> pfns = new ArrayList<>(live.keySet());
        Collections.shuffle(pfns, rnd);
        for (long pfn : pfns) {
            free(a, pfn);
        }
    }

    // ---- expectations -------------------------------------------------------------------------

    /** Every live block is still allocated in the frame table, with its order. */
    void expectLiveIntact(String when) {
        for (Map.Entry<Long, Integer> e : live.entrySet()) {
            long pfn = e.getKey();
            Expect.that(FrameCensus.allocatedHead(ft, pfn) && ft.order(pfn) == e.getValue(), "%s, the order-%d block at %s is no "
                    + "longer allocated in the frame table (count %d, order %d, flags %s)", when, e.getValue(), hex(pfn),
                    ft.refcount(pfn), ft.order(pfn), FrameCensus.flags(ft, pfn));
        }
    }

    /** Each zone's NR_FREE_PAGES plus per-CPU pages equals its free frames by the frame table. */
    void expectAccounted(FrameAllocator a, String when) {
        long[] census = FrameCensus.freeFrames(machine);
        for (Zone z : zones) {
            long pcp = pcp(a, z);
            long nr = z.freePages();
            Expect.that(nr + pcp == census[z.id()], "%s, %s has %d free frames in the frame table but NR_FREE_PAGES %d%s",
                    when, FrameCensus.name(z), census[z.id()], nr, pcp == 0 ? "" : " + " + pcp + " on per-CPU lists");
        }
    }

    /**
     * After {@code drainAllPages()}: no page on any per-CPU list, every zone's NR_FREE_PAGES and
     * free frames back to what they were after adoption, and {@code check()} finds nothing.
     */
    void expectBackToAdoption(FrameAllocator a, String when) {
        a.drainAllPages();
        long[] census = FrameCensus.freeFrames(machine);
        for (Zone z : zones) {
            for (int cpu = 0; cpu < machine.cpuCount(); cpu++) {
                int n = a.pcpCount(z, cpu);
                Expect.that(n == 0, "after %s and drainAllPages(), cpu %d still has %d pages of %s on its per-CPU lists", when, cpu, n,
                        FrameCensus.name(z));
            }
            Expect.that(census[z.id()] == adoptedCensus[z.id()], "after %s, %s has %d free frames in the frame table, %d after "
                    + "adoption: %d pages %s", when, FrameCensus.name(z), census[z.id()], adoptedCensus[z.id()],
                    Math.abs(census[z.id()] - adoptedCensus[z.id()]), census[z.id()] < adoptedCensus[z.id()] ? "lost" : "gained");
            long nr = z.freePages();
            Expect.that(nr == adoptedFree[z.id()], "after %s and drainAllPages(), NR_FREE_PAGES of %s is %d, %d after adoption",
                    when, FrameCensus.name(z), nr, adoptedFree[z.id()]);
        }
        Expect.noProblems(a.check(), "after " + when);
    }

    /** Records a block allocated outside the rig (on another thread): checked like the rig's own, without the accounting. */
    void track(long pfn, int gfp, int order, String call) {
        verifyNewBlock(pfn, gfp, order, call);
        live.put(pfn, order);
    }
}

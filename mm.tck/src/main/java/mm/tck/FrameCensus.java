package mm.tck;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.function.LongConsumer;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;

/**
 * The kit's own reading of the frame table, independent of any allocator: which frames are free
 * by the conventions every frame allocator keeps (a reserved frame has {@code PG_reserved}; an
 * allocated block's head has a reference count of at least 1 and its order in the flags word;
 * every other frame of a zone is free, wherever the allocator keeps it). The suites compare what
 * an implementation says (its counters) with what this census counts.
 */
final class FrameCensus {

    private FrameCensus() {
    }

    /** The zones that span any frame, in {@link Machine#zones()} order. */
    static List<Zone> zones(Machine m) {
        List<Zone> out = new ArrayList<>();
        for (Zone z : m.zones()) {
            if (z.spannedPages() > 0) {
                out.add(z);
            }
        }
        return out;
    }

    /** A zone as messages name it: {@code DMA32 (node 0)}. */
    static String name(Zone z) {
        return z.name() + " (node " + z.nid() + ")";
    }

    /** The zone a valid frame belongs to, from its flags word; null for a pfn without a descriptor. */
    static Zone zoneOf(Machine m, long pfn) {
        FrameTable ft = m.frames();
        if (pfn < ft.startPfn() || pfn >= ft.endPfn() || !ft.pfnValid(pfn)) {
            return null;
        }
        int nid = ft.nid(pfn);
        int zi = ft.zoneIndex(pfn);
        if (nid < 0 || nid >= m.nodes().size() || zi < 0 || zi >= ZoneType.MAX_NR_ZONES) {
            return null;
        }
        return m.zone(nid, ZoneType.of(zi));
    }

    /** Free frames per zone, indexed by {@link Zone#id()}. */
    static long[] freeFrames(Machine m) {
        long[] out = new long[m.nodes().size() * ZoneType.MAX_NR_ZONES];
        for (Zone z : zones(m)) {
            long[] n = {0};
            scan(m, z, pfn -> n[0]++);
            out[z.id()] = n[0];
        }
        return out;
    }

    /** Pages on every CPU's per-CPU lists of {@code a} for a zone; a negative count fails. */
    static long pcp(Machine m, FrameAllocator a, Zone z) {
        long sum = 0;
        for (int cpu = 0; cpu < m.cpuCount(); cpu++) {
            int n = a.pcpCount(z, cpu);
            Expect.that(n >= 0, "pcpCount(%s, cpu %d) is %d: a page count cannot be negative", name(z), cpu, n);
            sum += n;
        }
        return sum;
    }

    /** Free pages per zone id as {@code a} accounts them: NR_FREE_PAGES plus its per-CPU lists. */
    static long[] accountedFree(Machine m, FrameAllocator a) {
        long[] out = new long[m.nodes().size() * ZoneType.MAX_NR_ZONES];
        for (Zone z : zones(m)) {
            out[z.id()] = z.freePages() + pcp(m, a, z);
        }
        return out;
    }

    /** The free frames of every zone: bit {@code pfn - frames().startPfn()}. */
    static BitSet freeSet(Machine m) {
        BitSet set = new BitSet();
        long base = m.frames().startPfn();
        for (Zone z : zones(m)) {
            scan(m, z, pfn -> set.set((int) (pfn - base)));
        }
        return set;
    }

    /** A frame's page flags as the kernel prints them, {@code none} for none. */
    static String flags(FrameTable ft, long pfn) {
        String f = PageFlags.format(ft.pageFlags(pfn));
        return f.isEmpty() ? "none" : f;
    }

    /** True if the frame is the head of an allocated block by the conventions. */
    static boolean allocatedHead(FrameTable ft, long pfn) {
        return !ft.test(pfn, PageFlags.PG_reserved) && !ft.test(pfn, PageFlags.PG_buddy) && !ft.test(pfn, PageFlags.PG_pcp)
                && ft.refcount(pfn) > 0;
    }

    /**
     * The highest free frame of a zone that holds no list links and lies in no block on a per-CPU
     * list: no page flags, count 0, not covered by a {@code PG_pcp} head. -1 if there is none.
     */
    static long lastPlainFreeFrame(Machine m, Zone z) {
        FrameTable ft = m.frames();
        long found = -1;
        long pfn = Math.max(z.startPfn(), ft.startPfn());
        long end = Math.min(z.endPfn(), ft.endPfn());
        while (pfn < end) {
            if (!ft.pfnValid(pfn) || ft.nid(pfn) != z.nid() || ft.zoneIndex(pfn) != z.type().ordinal()
                    || ft.test(pfn, PageFlags.PG_reserved)) {
                pfn++;
                continue;
            }
            if (allocatedHead(ft, pfn) || ft.test(pfn, PageFlags.PG_pcp)) {
                int order = ft.order(pfn);
                pfn += order <= FrameAllocator.MAX_PAGE_ORDER ? 1L << order : 1;
                continue;
            }
            if (ft.pageFlags(pfn) == 0 && ft.refcount(pfn) == 0) {
                found = pfn;
            }
            pfn++;
        }
        return found;
    }

    /** Calls {@code onFree} with every free frame of a zone, lowest first. */
    static void scan(Machine m, Zone z, LongConsumer onFree) {
        FrameTable ft = m.frames();
        int nid = z.nid();
        int zi = z.type().ordinal();
        long pfn = Math.max(z.startPfn(), ft.startPfn());
        long end = Math.min(z.endPfn(), ft.endPfn());
        while (pfn < end) {
            if (!ft.pfnValid(pfn) || ft.nid(pfn) != nid || ft.zoneIndex(pfn) != zi || ft.test(pfn, PageFlags.PG_reserved)) {
                pfn++;
                continue;
            }
            if (allocatedHead(ft, pfn)) {
                int order = ft.order(pfn);
                pfn += order <= FrameAllocator.MAX_PAGE_ORDER ? 1L << order : 1;
                continue;
            }
            onFree.accept(pfn);
            pfn++;
        }
    }

    /** The zones of a node's zonelist that these flags allow, in zonelist order. */
    static List<Zone> allowedZones(Machine m, int nid, int gfp) {
        List<Zone> out = new ArrayList<>();
        for (Zone z : m.zonelist(nid)) {
            if (z.type().ordinal() <= Gfp.gfpZone(gfp).ordinal()) {
                out.add(z);
            }
        }
        return out;
    }

    /** The sum of per-zone figures ({@link #freeFrames}: every free frame of the machine). */
    static long total(long[] a) {
        long s = 0;
        for (long v : a) {
            s += v;
        }
        return s;
    }
}

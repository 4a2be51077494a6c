package mm.slab;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import mm.api.slab.SlabFlags;
import mm.core.slab.DirectMap;
import mm.core.slab.Slab;
import mm.core.slab.SlabList;
import mm.core.slab.SlabGeometry;

/** What {@code mm:slab} shows of a SLAB cache, and the invariants {@code mm:check} proves. */
final class SlabReport {

    private static final int SHOWN = 8;
    private static final String[] LIST_NAMES = {"none", "slabs_partial", "slabs_full", "slabs_free"};
    private final SlabAllocator slab;

    SlabReport(SlabAllocator slab) {
        this.slab = slab;
    }

    /** The geometry and tunables, each node's lists and shared array, each CPU's array, the statistics. */
    List<String> describe(KmemCacheSlab c) {
        SlabGeometry g = c.geometry();
        List<String> out = new ArrayList<>();
        long leftOver = g.slabBytes() - (long) g.objects() * g.size();
        out.add(String.format("%s: object_size %d, buffer_size %d, align %d, order %d, %d objects per slab, %d bytes left over: "
                + "colour %d x colour_off %d", c.name(), g.objectSize(), g.size(), g.align(), g.order(), c.num, leftOver, c.colour,
                c.colourOff));
        out.add(String.format("flags %s; tunables: limit %d, batchcount %d, shared %d%s", SlabFlags.format(g.flags()), c.limit,
                c.batchcount, c.shared, c.debug ? "; debugging: no array caches, objects one at a time under the node's lock" : ""));
        for (int nid = 0; nid < c.node.length; nid++) {
            KmemCacheNode n = c.node[nid];
            synchronized (n) {
                out.add(String.format("node %d: %d slab%s (%d full, %d partial, %d free), %d objects, free_objects %d, free_limit %d, "
                        + "colour_next %d%s", nid, n.totalSlabs, n.totalSlabs == 1 ? "" : "s", n.full.count, n.partial.count, n.free.count,
                        n.totalObjects,
                        n.freeObjects, n.freeLimit, n.colourNext,
                        n.shared == null ? "" : String.format(", shared array %d/%d", n.shared.avail, n.shared.limit)));
                for (SlabList l : new SlabList[] {n.partial, n.full, n.free}) {
                    if (l.head != null) {
                        out.add("  " + LIST_NAMES[l.id] + ":" + slabList(l.head));
                    }
                }
            }
        }
        for (int cpu = 0; cpu < c.array.length; cpu++) {
            ArrayCache ac = c.array[cpu];
            long[] st = c.stat[cpu];
            out.add(String.format("cpu %d: array cache avail %d, limit %d, batchcount %d, touched %d; allochit %d, allocmiss %d, "
                    + "freehit %d, freemiss %d", cpu, ac.avail, ac.limit, ac.batchcount, ac.touched ? 1 : 0,
                    st[SlabStat.ALLOCHIT.ordinal()], st[SlabStat.ALLOCMISS.ordinal()], st[SlabStat.FREEHIT.ordinal()],
                    st[SlabStat.FREEMISS.ordinal()]));
        }
        long[] total = new long[SlabStat.NR];
        for (long[] st : c.stat) {
            for (int k = 0; k < SlabStat.NR; k++) {
                total[k] += st[k];
            }
        }
        out.add(String.format("globalstat: listallocs %d, grown %d, reaped %d, nodeallocs %d, remotefrees %d",
                total[SlabStat.LISTALLOCS.ordinal()], total[SlabStat.GROWN.ordinal()], total[SlabStat.REAPED.ordinal()],
                total[SlabStat.NODEALLOCS.ordinal()], total[SlabStat.REMOTEFREES.ordinal()]));
        return out;
    }

    private static String slabList(Slab first) {
        StringBuilder sb = new StringBuilder();
        int total = 0;
        for (Slab s = first; s != null; s = s.nextSlab) {
            if (total++ < SHOWN) {
                sb.append(String.format(" [0x%x +%d %d/%d]", s.pfn, s.base, s.inuse, s.objects));
            }
        }
        if (total > SHOWN) {
            sb.append(" ... ").append(total).append(" in all");
        }
        return sb.toString();
    }

    /**
     * Every CPU stopped: each object of each slab is in exactly one place (handed out, on its
     * slab's free chain, or in one array cache); each slab is on the list of its node its
     * {@code inuse} says; the node counts agree with the lists and the slabs.
     */
    void check(KmemCacheSlab c, List<String> problems) {
        String name = c.name();
        Map<Slab, Integer> inArrays = new IdentityHashMap<>();
        Set<Long> seen = new HashSet<>();
        for (int cpu = 0; cpu < c.array.length; cpu++) {
            checkArray(c, c.array[cpu], "cpu " + cpu + "'s array cache", slab.nodeOf(cpu), inArrays, seen, problems);
            if (c.debug && c.array[cpu].avail > 0) {
                problems.add(String.format("%s: cpu %d's array cache holds %d objects, but a debug cache does not use it", name, cpu,
                        c.array[cpu].avail));
            }
        }
        for (int nid = 0; nid < c.node.length; nid++) {
            checkArray(c, c.node[nid].shared, "node " + nid + "'s shared array", nid, inArrays, seen, problems);
        }
        int nodes = c.node.length;
        long[] slabs = new long[nodes];
        long[] objects = new long[nodes];
        long[] freeObjects = new long[nodes];
        Set<Slab> mine = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Slab s : slab.slabs(c)) {
            mine.add(s);
            slabs[s.nid]++;
            objects[s.nid] += s.objects;
            int chain = 0;
            boolean[] onChain = new boolean[s.objects];
            for (int i = s.freelist; i != Slab.END; i = s.next[i]) {
                if (i < 0 || i >= s.objects || onChain[i]) {
                    problems.add(String.format("%s: slab pfn 0x%x has a broken free chain (entry %d)", name, s.pfn, i));
                    break;
                }
                onChain[i] = true;
                chain++;
            }
            int used = 0;
            int cached = 0;
            for (int i = 0; i < s.objects; i++) {
                if (onChain[i]) {
                    continue;
                }
                if (s.next[i] == Slab.ALLOCATED) {
                    used++;
                } else if (s.next[i] == ArrayCache.IN_ARRAY) {
                    cached++;
                } else {
                    problems.add(String.format("%s: object %s of slab pfn 0x%x is neither in use, nor on the free chain, nor in an array "
                            + "cache (chain entry %d)", name, DirectMap.format(s.address(i)), s.pfn, s.next[i]));
                }
            }
            freeObjects[s.nid] += chain;
            int arrays = inArrays.getOrDefault(s, 0);
            if (cached != arrays) {
                problems.add(String.format("%s: slab pfn 0x%x marks %d objects as in an array cache, but the arrays hold %d of them",
                        name, s.pfn, cached, arrays));
            }
            if (s.inuse != s.objects - chain) {
                problems.add(String.format("%s: slab pfn 0x%x counts %d objects in use (inuse) but %d are off its free chain", name, s.pfn,
                        s.inuse, s.objects - chain));
            }
            int expected = s.inuse == 0 ? KmemCacheNode.FREE : s.inuse == s.objects ? KmemCacheNode.FULL : KmemCacheNode.PARTIAL;
            if (s.list != expected) {
                problems.add(String.format("%s: slab pfn 0x%x with %d of %d objects in use is on %s, not %s", name, s.pfn, s.inuse,
                        s.objects, LIST_NAMES[Math.max(0, Math.min(3, s.list))], LIST_NAMES[expected]));
            }
        }
        for (Slab s : inArrays.keySet()) {
            if (!mine.contains(s)) {
                problems.add(String.format("%s: an array cache holds objects of slab pfn 0x%x, which is not a slab of the cache", name, s.pfn));
            }
        }
        for (int nid = 0; nid < nodes; nid++) {
            KmemCacheNode n = c.node[nid];
            long listed = 0;
            for (SlabList l : new SlabList[] {n.partial, n.full, n.free}) {
                long walked = 0;
                for (Slab s = l.head; s != null && walked <= l.count; s = s.nextSlab) {
                    walked++;
                    if (s.list != l.id || s.nid != nid || !mine.contains(s)) {
                        problems.add(String.format("%s: node %d's %s holds slab pfn 0x%x (node %d, marked %s)%s", name, nid,
                                LIST_NAMES[l.id], s.pfn, s.nid, LIST_NAMES[Math.max(0, Math.min(3, s.list))],
                                mine.contains(s) ? "" : ", which is not a slab of the cache"));
                    }
                }
                if (walked != l.count) {
                    problems.add(String.format("%s: node %d's %s holds %d slabs, its count says %d", name, nid, LIST_NAMES[l.id], walked,
                            l.count));
                }
                listed += walked;
            }
            if (n.totalSlabs != slabs[nid] || listed != slabs[nid] || n.totalObjects != objects[nid] || n.freeObjects != freeObjects[nid]) {
                problems.add(String.format("%s: node %d counts %d slabs (%d listed), %d objects, %d free; the slabs say %d, %d, %d", name, nid,
                        n.totalSlabs, listed, n.totalObjects, n.freeObjects, slabs[nid], objects[nid], freeObjects[nid]));
            }
        }
    }

    private static void checkArray(KmemCacheSlab c, ArrayCache ac, String what, int nid, Map<Slab, Integer> inArrays, Set<Long> seen,
            List<String> problems) {
        if (ac == null) {
            return;
        }
        if (ac.avail < 0 || ac.avail > ac.limit) {
            problems.add(String.format("%s: %s holds %d entries, its limit is %d", c.name(), what, ac.avail, ac.limit));
            return;
        }
        for (int k = 0; k < ac.avail; k++) {
            Slab s = ac.slab[k];
            int i = ac.idx[k];
            if (s == null || s.cache != c || i < 0 || i >= s.objects) {
                problems.add(String.format("%s: %s entry %d is not an object of the cache", c.name(), what, k));
                continue;
            }
            long addr = s.address(i);
            if (!seen.add(addr)) {
                problems.add(String.format("%s: object %s is in the array caches twice (again in %s)", c.name(), DirectMap.format(addr), what));
            }
            if (s.next[i] != ArrayCache.IN_ARRAY) {
                problems.add(String.format("%s: %s holds %s, which its slab marks as %s", c.name(), what, DirectMap.format(addr),
                        s.next[i] == Slab.ALLOCATED ? "in use" : "free"));
            }
            if (s.nid != nid) {
                problems.add(String.format("%s: %s (node %d) holds %s of a slab on node %d", c.name(), what, nid, DirectMap.format(addr), s.nid));
            }
            inArrays.merge(s, 1, Integer::sum);
        }
    }
}

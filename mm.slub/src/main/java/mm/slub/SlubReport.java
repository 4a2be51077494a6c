package mm.slub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mm.api.slab.SlabFlags;
import mm.core.slab.Slab;
import mm.core.slab.SlabGeometry;

/** What {@code mm:slab} shows of a SLUB cache, and the invariants {@code mm:check} proves. */
final class SlubReport {

    private static final int SHOWN = 8;
    private final SlubAllocator slub;

    SlubReport(SlubAllocator slub) {
        this.slub = slub;
    }

    /** The geometry, each node's lists and each CPU's slabs. */
    List<String> describe(KmemCacheSlub s) {
        SlabGeometry g = s.geometry();
        List<String> out = new ArrayList<>();
        out.add(String.format("%s: object_size %d, size %d, align %d, offset %d, order %d, %d objects per slab%s", s.name(),
                g.objectSize(), g.size(), g.align(), g.offset(), g.order(), g.objects(),
                g.minOrder() != g.order() ? " (fallback order " + g.minOrder() + ", " + g.minObjects() + " objects)" : ""));
        out.add(String.format("flags %s; min_partial %d, cpu_partial %d (%d slabs)%s", SlabFlags.format(g.flags()), g.minPartial(),
                g.cpuPartial(), g.cpuPartialSlabs(), s.debug ? "; debugging: no CPU slabs, objects one at a time under the node's lock" : ""));
        for (int nid = 0; nid < s.node.length; nid++) {
            KmemCacheNode n = s.node[nid];
            synchronized (n) {
                out.add(String.format("node %d: %d slabs, %d objects, %d partial%s", nid, n.nrSlabs, n.totalObjects, n.partial.count,
                        n.partial.head == null ? "" : ":" + slabList(n.partial.head, false)));
                if (n.full.head != null) {
                    out.add("  full:" + slabList(n.full.head, false));
                }
            }
        }
        for (int cpu = 0; cpu < s.cpuSlab.length; cpu++) {
            KmemCacheCpu c = s.cpuSlab[cpu];
            StringBuilder sb = new StringBuilder("cpu " + cpu + ": ");
            Slab slab = c.slab;
            if (slab == null) {
                sb.append("no slab");
            } else {
                int remote;
                synchronized (slab) {
                    remote = chainLength(slab, slab.freelist);
                }
                sb.append(String.format("slab pfn 0x%x, %d free on the CPU freelist, %d remote frees", slab.pfn, chainLength(slab, c.freelist), remote));
            }
            if (c.partial != null) {
                sb.append("; partial:").append(slabList(c.partial, true));
            }
            out.add(sb.toString());
        }
        return out;
    }

    private static String slabList(Slab first, boolean cpuChain) {
        StringBuilder sb = new StringBuilder();
        int k = 0;
        int total = 0;
        for (Slab s = first; s != null; s = s.nextSlab) {
            if (k++ < SHOWN) {
                synchronized (s) {
                    sb.append(String.format(" [0x%x %d/%d]", s.pfn, s.inuse, s.objects));
                }
            }
            total++;
        }
        if (total > SHOWN) {
            sb.append(" ... ").append(total).append(" in all");
        }
        return sb.toString();
    }

    private static int chainLength(Slab slab, int idx) {
        int n = 0;
        while (idx >= 0 && n <= slab.objects) {
            idx = slab.next[idx];
            n++;
        }
        return n;
    }

    /**
     * Every CPU stopped: each slab's objects are in use, on its freelist or on its CPU's freelist,
     * once each; the node counts and lists agree with the slabs.
     */
    void check(KmemCacheSlub s, List<String> problems) {
        Map<Slab, Integer> cpuFree = new HashMap<>();
        for (int cpu = 0; cpu < s.cpuSlab.length; cpu++) {
            KmemCacheCpu c = s.cpuSlab[cpu];
            if (c.slab != null) {
                cpuFree.put(c.slab, chainLength(c.slab, c.freelist));
                if (!c.slab.frozen && c.freelist >= 0) {
                    problems.add(String.format("%s: cpu %d's slab pfn 0x%x is not frozen", s.name(), cpu, c.slab.pfn));
                }
            }
        }
        long[] slabs = new long[s.node.length];
        long[] objects = new long[s.node.length];
        long[] partial = new long[s.node.length];
        for (Slab slab : slub.slabs(s)) {
            slabs[slab.nid]++;
            objects[slab.nid] += slab.objects;
            if (slab.list == KmemCacheNode.NODE_PARTIAL) {
                partial[slab.nid]++;
            }
            int used = slab.countAllocated();
            int onSlab = chainLength(slab, slab.freelist);
            int onCpu = cpuFree.getOrDefault(slab, 0);
            if (used + onSlab + onCpu != slab.objects) {
                problems.add(String.format("%s: slab pfn 0x%x has %d objects in use, %d on its freelist and %d on a CPU's, not %d",
                        s.name(), slab.pfn, used, onSlab, onCpu, slab.objects));
            }
            if (!slab.frozen && slab.inuse != used) {
                problems.add(String.format("%s: slab pfn 0x%x counts %d objects in use (inuse) but %d are", s.name(), slab.pfn, slab.inuse, used));
            }
        }
        for (int nid = 0; nid < s.node.length; nid++) {
            KmemCacheNode n = s.node[nid];
            if (n.nrSlabs != slabs[nid] || n.totalObjects != objects[nid] || n.partial.count != partial[nid]) {
                problems.add(String.format("%s: node %d counts %d slabs, %d objects, %d partial; the slabs say %d, %d, %d", s.name(), nid,
                        n.nrSlabs, n.totalObjects, n.partial.count, slabs[nid], objects[nid], partial[nid]));
            }
            long listed = 0;
            for (Slab x = n.partial.head; x != null && listed <= n.partial.count; x = x.nextSlab) {
                listed++;
            }
            if (listed != n.partial.count) {
                problems.add(String.format("%s: node %d's partial list holds %d slabs, nr_partial says %d", s.name(), nid, listed, n.partial.count));
            }
        }
    }
}

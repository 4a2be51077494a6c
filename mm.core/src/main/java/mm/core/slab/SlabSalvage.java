package mm.core.slab;

import java.util.Map;
import java.util.TreeMap;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.Owners;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;

/**
 * What the frame table still says about an object cache whose implementation failed without
 * handing over (its quiesce threw or hung): which allocated blocks are slabs ({@code PG_slab} on
 * the head) and which are large kmalloc blocks (the slab owner, no {@code PG_slab}). The objects
 * in those slabs are lost with the implementation that knew them; the blocks are kept allocated,
 * so that nothing is handed out twice, and the large blocks can still be freed.
 */
final class SlabSalvage {

    /** Orphaned slabs and large kmalloc blocks, each pfn to order. */
    record Found(Map<Long, Integer> slabs, Map<Long, Integer> large) {
        long slabPages() {
            long n = 0;
            for (int order : slabs.values()) {
                n += 1L << order;
            }
            return n;
        }
    }

    private SlabSalvage() {
    }

    /** Scans every zone of the machine for allocated blocks the object caches held. */
    static Found scan(Machine machine) {
        FrameTable ft = machine.frames();
        Map<Long, Integer> slabs = new TreeMap<>();
        Map<Long, Integer> large = new TreeMap<>();
        for (Zone z : machine.zones()) {
            long pfn = z.startPfn();
            while (pfn < z.endPfn()) {
                if (!ft.pfnValid(pfn) || ft.refcount(pfn) == 0 || ft.test(pfn, PageFlags.PG_buddy) || ft.test(pfn, PageFlags.PG_pcp)) {
                    pfn++;
                    continue;
                }
                int order = ft.order(pfn);
                if (ft.test(pfn, PageFlags.PG_slab)) {
                    slabs.put(pfn, order);
                } else if (ft.owner(pfn) == Owners.SLAB) {
                    large.put(pfn, order);
                }
                pfn += 1L << order;
            }
        }
        return new Found(slabs, large);
    }
}

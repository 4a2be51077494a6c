package mm.tck;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;

/**
 * The fragmentation compaction exists for, made on purpose: every free frame of a machine taken as
 * a movable order-0 page, then every other one (by pfn) freed, so that no two free pages are
 * buddies. The conformance kit's compaction check, the buddy allocator's compaction tests and the
 * compaction benchmark start from it.
 */
public final class Fragmentation {

    private Fragmentation() {
    }

    /**
     * Allocates movable order-0 pages until none is left (the last ones below the watermarks, as
     * {@code __GFP_MEMALLOC} may), frees every other one by pfn, records {@code owner} on the others
     * in the frame table and drains the per-CPU lists.
     *
     * @return the pages kept, by increasing pfn
     */
    public static List<Long> everyOtherPageFree(FrameAllocator a, FrameTable ft, int owner) {
        List<Long> pfns = new ArrayList<>();
        long pfn;
        while ((pfn = a.allocPages(Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_MEMALLOC, 0)) != FrameAllocator.NO_PAGE) {
            pfns.add(pfn);
        }
        pfns.sort(null);
        List<Long> kept = new ArrayList<>(pfns.size() / 2 + 1);
        for (int i = 0; i < pfns.size(); i++) {
            long p = pfns.get(i);
            if (i % 2 == 1) {
                a.freePages(p, 0);
            } else {
                ft.setOwner(p, owner);
                kept.add(p);
            }
        }
        a.drainAllPages();
        return kept;
    }
}

package mm.core.slab;

import java.util.Arrays;
import mm.api.machine.FrameTable;
import mm.api.machine.Owners;
import mm.api.machine.PageFlags;

/**
 * Finds the slab of a frame ({@code virt_to_slab}): every frame of a slab carries PG_slab and, in
 * its private word, the slab's slot here. One per implementation instance.
 */
public final class SlabTable {

    private final FrameTable frames;
    private volatile Slab[] slabs = new Slab[256];
    private int[] freeIds = new int[256];
    private int nfree;
    private int top;
    private int count;

    /** A table over a machine's frames. */
    public SlabTable(FrameTable frames) {
        this.frames = frames;
    }

    /** Marks the slab's frames ({@code __folio_set_slab}, owner slab) and gives it a slot. */
    public synchronized void add(Slab slab) {
        int id;
        if (nfree > 0) {
            id = freeIds[--nfree];
        } else {
            if (top == slabs.length) {
                slabs = Arrays.copyOf(slabs, top * 2);
            }
            id = top++;
        }
        slabs[id] = slab;
        slab.id = id;
        count++;
        long n = 1L << slab.order;
        for (long p = slab.pfn; p < slab.pfn + n; p++) {
            frames.set(p, PageFlags.PG_slab);
            frames.setPrivate(p, id);
        }
        frames.setOwner(slab.pfn, Owners.SLAB);
    }

    /** Unmarks the slab's frames ({@code __folio_clear_slab}) before they go back to the page allocator. */
    public synchronized void remove(Slab slab) {
        long n = 1L << slab.order;
        for (long p = slab.pfn; p < slab.pfn + n; p++) {
            frames.clear(p, PageFlags.PG_slab);
            frames.setPrivate(p, 0);
        }
        slabs[slab.id] = null;
        if (nfree == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, nfree * 2);
        }
        freeIds[nfree++] = slab.id;
        slab.id = -1;
        count--;
    }

    /** The slab a frame belongs to, or null if it is not a slab frame of this table. */
    public Slab slabOf(long pfn) {
        if (!frames.test(pfn, PageFlags.PG_slab)) {
            return null;
        }
        int id = frames.privateWord(pfn);
        Slab[] s = slabs;
        if (id < 0 || id >= s.length) {
            return null;
        }
        Slab slab = s[id];
        return slab != null && pfn >= slab.pfn && pfn < slab.pfn + (1L << slab.order) ? slab : null;
    }

    /** Slabs in the table. */
    public synchronized int count() {
        return count;
    }

    /** Forgets every slab without touching the frames (before an adoption rebuilds the table). */
    public synchronized void clear() {
        Arrays.fill(slabs, null);
        top = 0;
        nfree = 0;
        count = 0;
    }

    /** Every slab, for checks and hand-over. */
    public synchronized java.util.List<Slab> all() {
        java.util.List<Slab> out = new java.util.ArrayList<>(count);
        for (int i = 0; i < top; i++) {
            if (slabs[i] != null) {
                out.add(slabs[i]);
            }
        }
        return out;
    }
}

package mm.slab;

import mm.core.slab.Slab;

/**
 * {@code struct array_cache} (mm/slab.c): a LIFO stack of free objects, a CPU's own (only calls
 * running on that CPU, its gate held, touch it) or a node's shared one (under the node's
 * {@code list_lock}). The kernel keeps object pointers in {@code entry[]}; here each entry is a
 * (slab, index) pair, {@code entry[i]} being object {@code idx[i]} of {@code slab[i]}. The slabs
 * count objects in an array as in use ({@code slab->active}); their chain entry is
 * {@link #IN_ARRAY}.
 */
final class ArrayCache {

    /**
     * The chain entry ({@link Slab#next}) of an object that sits in an array cache: neither on its
     * slab's free chain nor handed out, so that freeing it again is a double free and
     * {@link Slab#countAllocated()} does not count it.
     */
    static final short IN_ARRAY = -3;

    /** Objects in the array ({@code avail}). */
    int avail;
    /** Capacity ({@code limit}). */
    final int limit;
    /** Objects moved at a time ({@code batchcount}). */
    final int batchcount;
    /** Used since the reaper last looked ({@code touched}). */
    boolean touched;
    /** The entries' slabs. */
    final Slab[] slab;
    /** The entries' object indexes. */
    final int[] idx;

    /** {@code alloc_arraycache} / {@code init_arraycache}. */
    ArrayCache(int limit, int batchcount) {
        this.limit = limit;
        this.batchcount = batchcount;
        this.slab = new Slab[limit];
        this.idx = new int[limit];
    }

    /** {@code __free_one}: pushes object {@code i} of {@code s}, which the caller has marked {@link #IN_ARRAY}. */
    void push(Slab s, int i) {
        slab[avail] = s;
        idx[avail] = i;
        avail++;
    }

    /** Removes the first (oldest) {@code n} entries ({@code memmove(ac->entry, &ac->entry[n], ...)}). */
    void dropBottom(int n) {
        int left = avail - n;
        System.arraycopy(slab, n, slab, 0, left);
        System.arraycopy(idx, n, idx, 0, left);
        java.util.Arrays.fill(slab, left, avail, null);
        avail = left;
    }

    /** Empties the array after its entries went back to their slabs. */
    void clear() {
        java.util.Arrays.fill(slab, 0, avail, null);
        avail = 0;
    }

    /**
     * {@code transfer_objects}: moves up to {@code max} entries from the top of {@code from} to
     * the top of {@code to}, as many as {@code to} has room for; the number moved.
     */
    static int transfer(ArrayCache to, ArrayCache from, int max) {
        int nr = Math.min(Math.min(from.avail, max), to.limit - to.avail);
        if (nr <= 0) {
            return 0;
        }
        System.arraycopy(from.slab, from.avail - nr, to.slab, to.avail, nr);
        System.arraycopy(from.idx, from.avail - nr, to.idx, to.avail, nr);
        java.util.Arrays.fill(from.slab, from.avail - nr, from.avail, null);
        from.avail -= nr;
        to.avail += nr;
        return nr;
    }
}

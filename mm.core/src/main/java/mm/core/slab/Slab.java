package mm.core.slab;

/**
 * A slab: one block of 2<sup>order</sup> frames cut into objects ({@code struct slab},
 * mm/slab.h). The kernel keeps the free pointer of a free object inside the object; here the
 * chain of free objects is {@link #next}, one short per object: the index of the next free
 * object, {@link #END}, or {@link #ALLOCATED} while the object is in use (which is how a double
 * free is told from a free, debugging on or off). Objects are addressed by index.
 *
 * <p>Who may touch what: {@link #freelist}, {@link #inuse} and {@link #frozen} under the slab's
 * monitor (the kernel's {@code cmpxchg_double} of freelist and counters); the chain entries of
 * objects on a CPU's private freelist by that CPU; list links under the node's list lock.
 */
public final class Slab {

    /** The end of a free chain. */
    public static final short END = -1;
    /** The chain entry of an object in use. */
    public static final short ALLOCATED = -2;

    /** The first frame. */
    public final long pfn;
    /** The order of the block. */
    public final int order;
    /** The node of the frames ({@code slab_nid}). */
    public final int nid;
    /** The byte offset of the first object's slot (0 for SLUB; the colour for SLAB). */
    public final int base;
    /** The distance between slots ({@code s->size}). */
    public final int stride;
    /** Objects in the slab ({@code slab->objects}). */
    public final int objects;
    /** The cache the slab belongs to ({@code slab->slab_cache}). */
    public final SlabCache cache;
    /** The free chain, one entry per object. */
    public final short[] next;
    /** The address of object 0 ({@link ObjectCacheCore} sets it): object i is at {@code start + i * stride}. */
    public long start;
    /** Memory contents, for slabs of caches with debugging on; null otherwise. */
    public byte[] mem;

    /** The first free object not on a CPU's private freelist ({@code slab->freelist}), or {@link #END}. */
    public int freelist = END;
    /** Objects not on {@link #freelist} ({@code slab->inuse}). */
    public int inuse;
    /** Owned by a CPU as its current slab ({@code slab->frozen}). */
    public boolean frozen;

    /** Which list the slab is on: one of the implementation's list numbers, 0 for none. */
    public int list;
    /** List links ({@code slab->slab_list}, {@code slab->next}). */
    public Slab prev;
    /** List links. */
    public Slab nextSlab;
    /** Slabs on a per-CPU partial chain from this one on ({@code slab->slabs}). */
    public int slabs;
    /** The slab's slot in its {@link SlabTable}. */
    int id = -1;

    /** A new slab with every object free, chained in address order. */
    public Slab(SlabCache cache, long pfn, int order, int nid, int base, int stride, int objects) {
        this.cache = cache;
        this.pfn = pfn;
        this.order = order;
        this.nid = nid;
        this.base = base;
        this.stride = stride;
        this.objects = objects;
        this.next = new short[objects];
        for (int i = 0; i < objects - 1; i++) {
            next[i] = (short) (i + 1);
        }
        next[objects - 1] = END;
        this.freelist = 0;
    }

    /** The byte offset in the slab of object {@code i} itself (after its left red zone). */
    public int objectOffset(int i) {
        return base + i * stride + cache.geometry().redLeftPad();
    }

    /** The index of the object at a kernel address, or -1 if no object of this slab starts there. */
    public int indexOf(long addr) {
        long rel = addr - start;
        if (rel < 0 || rel % stride != 0) {
            return -1;
        }
        long i = rel / stride;
        return i < objects ? (int) i : -1;
    }

    /** The address of object {@code i}. */
    public long address(int i) {
        return start + (long) i * stride;
    }

    /**
     * {@code slab_get_obj}: takes the first object of the free chain, marks it {@link #ALLOCATED}
     * and counts it in {@link #inuse}; the chain must not be empty. Under the slab's monitor (or
     * the list lock that stands for it).
     *
     * @return the object's index
     */
    public int getObj() {
        int i = freelist;
        freelist = next[i];
        next[i] = ALLOCATED;
        inuse++;
        return i;
    }

    /**
     * {@code slab_put_obj}: object {@code i} to the head of the free chain, no longer counted in
     * {@link #inuse}; in a slab whose bytes are kept (debugging), its free pointer is written too.
     *
     * @return the previous head of the chain ({@link #END} if the slab was full)
     */
    public int putObj(int i) {
        int prior = freelist;
        next[i] = (short) prior;
        freelist = i;
        inuse--;
        if (mem != null) {
            SlabDebug.setFreePointer(this, i, prior >= 0 ? address(prior) : 0);
        }
        return prior;
    }

    /** True if object {@code i} is in use. */
    public boolean allocated(int i) {
        return next[i] == ALLOCATED;
    }

    /** Objects in use, counted from the chain entries (what {@link #inuse} means once no CPU holds objects privately). */
    public int countAllocated() {
        int n = 0;
        for (short s : next) {
            if (s == ALLOCATED) {
                n++;
            }
        }
        return n;
    }

    /** Bytes of the block. */
    public int bytes() {
        return 4096 << order;
    }

    @Override
    public String toString() {
        return String.format("slab pfn 0x%x order %d objects %d inuse %d", pfn, order, objects, inuse);
    }
}

package mm.slab;

import mm.core.slab.Slab;
import mm.core.slab.SlabList;

/**
 * A node's part of a cache ({@code struct kmem_cache_node}, {@code struct kmem_list3} before
 * 3.7): the three slab lists, the free-object count that decides when empty slabs go back to the
 * page allocator, the colour of the next slab and the shared array. The object itself is the
 * {@code list_lock}: every field, and the free chain and {@code inuse} of every slab on the lists,
 * is read and written with it held.
 */
final class KmemCacheNode {
    /** Slab list numbers for {@link Slab#list}. */
    static final int NONE = 0;
    static final int PARTIAL = 1;
    static final int FULL = 2;
    static final int FREE = 3;

    /** {@code slabs_partial}: some objects free. */
    final SlabList partial = new SlabList(PARTIAL);
    /** {@code slabs_full}: no object free. */
    final SlabList full = new SlabList(FULL);
    /** {@code slabs_free}: every object free. */
    final SlabList free = new SlabList(FREE);
    /** Free objects on this node's slabs ({@code free_objects}); objects in array caches are not free here. */
    long freeObjects;
    /** Free objects above which empty slabs are freed ({@code free_limit}). */
    int freeLimit;
    /** Slabs on the three lists ({@code total_slabs}). */
    long totalSlabs;
    /** Objects in those slabs (the kernel's {@code total_slabs * num}; slabs handed over may hold another number). */
    long totalObjects;
    /** The colour of the next slab grown on this node ({@code colour_next}). */
    int colourNext;
    /** The node's shared array, or null ({@code shared}). */
    ArrayCache shared;
    /** A refill found no partial slab since the reaper last looked ({@code free_touched}). */
    boolean freeTouched;
    /** The jiffy after which the reaper next drains the shared array and the free list ({@code next_reap}). */
    long nextReap;

    /** The list with this number. */
    SlabList list(int which) {
        return switch (which) {
            case PARTIAL -> partial;
            case FULL -> full;
            case FREE -> free;
            default -> null;
        };
    }

    /** Takes a slab off whichever list it is on ({@code list_del}). */
    void unlist(Slab s) {
        SlabList l = list(s.list);
        if (l != null) {
            l.remove(s);
        }
    }

    /**
     * {@code get_first_slab}: the first partial slab, else the first free one (noting that a
     * refill found no partial slab); null if both lists are empty. The slab stays listed.
     */
    Slab firstSlab() {
        Slab s = partial.head;
        if (s == null) {
            freeTouched = true;
            s = free.head;
        }
        return s;
    }

    /** {@code fixup_slab_list}: off its list, then to the head of slabs_full or slabs_partial. */
    void fixupSlabList(Slab s) {
        unlist(s);
        if (s.freelist < 0) {
            full.addHead(s);
        } else {
            partial.addHead(s);
        }
    }
}

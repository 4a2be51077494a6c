package mm.slub;

import mm.core.slab.Slab;
import mm.core.slab.SlabList;

/**
 * A node's part of a cache ({@code struct kmem_cache_node}): its partial slabs, in a list, and
 * its slab and object counts. The object itself is the {@code list_lock}.
 */
final class KmemCacheNode {
    /** Slab list numbers for {@link Slab#list}. */
    static final int NONE = 0;
    static final int NODE_PARTIAL = 1;
    static final int CPU_PARTIAL = 2;
    static final int CPU_SLAB = 3;
    static final int FULL = 4;

    /** The partial slabs ({@code partial}, {@code nr_partial}). */
    final SlabList partial = new SlabList(NODE_PARTIAL);
    /** Full slabs, kept only for caches with debugging ({@code full}). */
    final SlabList full = new SlabList(FULL);
    /** Slabs of the node ({@code nr_slabs}). */
    long nrSlabs;
    /** Objects in those slabs ({@code total_objects}). */
    long totalObjects;

    /** {@code add_partial}: at the tail, or at the head. */
    void addPartial(Slab s, boolean toTail) {
        if (toTail) {
            partial.addTail(s);
        } else {
            partial.addHead(s);
        }
    }

    /** {@code remove_partial}. */
    void removePartial(Slab s) {
        partial.remove(s);
    }

    /** {@code add_full} (debugging only). */
    void addFull(Slab s) {
        full.addHead(s);
    }

    /** {@code remove_full}. */
    void removeFull(Slab s) {
        full.remove(s);
    }
}

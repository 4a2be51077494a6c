package mm.slub;

import mm.core.slab.Slab;

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

    Slab head;
    Slab tail;
    /** Slabs on the partial list ({@code nr_partial}). */
    long nrPartial;
    /** Slabs of the node ({@code nr_slabs}). */
    long nrSlabs;
    /** Objects in those slabs ({@code total_objects}). */
    long totalObjects;
    /** Full slabs, kept only for caches with debugging ({@code full} list). */
    Slab fullHead;

    /** {@code add_partial}: at the tail, or at the head. */
    void addPartial(Slab s, boolean toTail) {
        s.list = NODE_PARTIAL;
        if (head == null) {
            head = tail = s;
            s.prev = s.nextSlab = null;
        } else if (toTail) {
            s.prev = tail;
            s.nextSlab = null;
            tail.nextSlab = s;
            tail = s;
        } else {
            s.prev = null;
            s.nextSlab = head;
            head.prev = s;
            head = s;
        }
        nrPartial++;
    }

    /** {@code remove_partial}. */
    void removePartial(Slab s) {
        if (s.prev != null) {
            s.prev.nextSlab = s.nextSlab;
        } else {
            head = s.nextSlab;
        }
        if (s.nextSlab != null) {
            s.nextSlab.prev = s.prev;
        } else {
            tail = s.prev;
        }
        s.prev = s.nextSlab = null;
        s.list = NONE;
        nrPartial--;
    }

    /** {@code add_full} (debugging only). */
    void addFull(Slab s) {
        s.list = FULL;
        s.prev = null;
        s.nextSlab = fullHead;
        if (fullHead != null) {
            fullHead.prev = s;
        }
        fullHead = s;
    }

    /** {@code remove_full}. */
    void removeFull(Slab s) {
        if (s.prev != null) {
            s.prev.nextSlab = s.nextSlab;
        } else {
            fullHead = s.nextSlab;
        }
        if (s.nextSlab != null) {
            s.nextSlab.prev = s.prev;
        }
        s.prev = s.nextSlab = null;
        s.list = NONE;
    }
}

package mm.core.slab;

/**
 * A doubly linked list of slabs ({@code struct list_head}) with its length: a node's partial,
 * full or free slabs. The links are the slabs' own ({@link Slab#prev}, {@link Slab#nextSlab});
 * whoever holds the list's lock changes it.
 */
public final class SlabList {
    /** The list number slabs on it carry in {@link Slab#list}. */
    public final int id;
    /** The first slab, or null. */
    public Slab head;
    /** The last slab, or null. */
    public Slab tail;
    /** Slabs on the list. */
    public long count;

    /** An empty list whose slabs carry {@code id} in {@link Slab#list}. */
    public SlabList(int id) {
        this.id = id;
    }

    /** {@code list_add}. */
    public void addHead(Slab s) {
        s.list = id;
        s.prev = null;
        s.nextSlab = head;
        if (head != null) {
            head.prev = s;
        } else {
            tail = s;
        }
        head = s;
        count++;
    }

    /** {@code list_add_tail}. */
    public void addTail(Slab s) {
        s.list = id;
        s.nextSlab = null;
        s.prev = tail;
        if (tail != null) {
            tail.nextSlab = s;
        } else {
            head = s;
        }
        tail = s;
        count++;
    }

    /** {@code list_del}. */
    public void remove(Slab s) {
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
        s.list = 0; // on no list
        count--;
    }
}

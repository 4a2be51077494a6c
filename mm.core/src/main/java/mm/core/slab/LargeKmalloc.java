package mm.core.slab;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.machine.Owners;
import mm.api.machine.PageFlags;
import mm.api.slab.Kmalloc;
import mm.core.page.FrameState;

/**
 * The blocks an object cache holds outside its slabs: large kmalloc blocks straight from the page
 * allocator ({@code __kmalloc_large_node}, {@code free_large_kmalloc}), counted as unreclaimable
 * slab memory as in the kernel, and the orphaned slabs of a predecessor that failed without
 * handing over ({@link SlabSalvage}), kept allocated with their objects lost.
 */
final class LargeKmalloc {

    private final Machine machine;
    private final FrameTable ft;
    private final DirectMap dm;
    /** Large kmalloc blocks: pfn to order. */
    private final Map<Long, Integer> large = new HashMap<>();
    /** Orphaned slabs: pfn to order. */
    private final Map<Long, Integer> orphans = new HashMap<>();

    LargeKmalloc(Machine machine, DirectMap dm) {
        this.machine = machine;
        this.ft = machine.frames();
        this.dm = dm;
    }

    /** {@code __kmalloc_large_node}: whole pages, counted as unreclaimable slab memory; the address, or 0. */
    long alloc(FrameAllocator pages, long size, int gfp) {
        int order = Kmalloc.largeOrder(size);
        // GFP_SLAB_BUG_MASK: __GFP_DMA32 and __GFP_HIGHMEM make no sense for kmalloc; the kernel warns and drops them
        long pfn = pages.allocPages((gfp & ~(Gfp.__GFP_DMA32 | Gfp.__GFP_HIGHMEM)) | Gfp.__GFP_COMP, order);
        if (pfn == FrameAllocator.NO_PAGE) {
            return 0;
        }
        ft.setOwner(pfn, Owners.SLAB);
        machine.node(ft.nid(pfn)).modState(NodeStat.NR_SLAB_UNRECLAIMABLE, 1L << order);
        put(pfn, order);
        return dm.virt(pfn, 0);
    }

    /** {@code free_large_kmalloc}: false, and nothing done, if {@code addr} does not start a large block. */
    boolean free(FrameAllocator pages, long addr, long pfn) {
        Integer order;
        synchronized (large) {
            order = pfn >= 0 && dm.virt(pfn, 0) == addr ? large.remove(pfn) : null;
        }
        if (order == null) {
            return false;
        }
        machine.node(ft.nid(pfn)).modState(NodeStat.NR_SLAB_UNRECLAIMABLE, -(1L << order));
        pages.freePages(pfn, order);
        return true;
    }

    /** The order of the large block {@code addr} starts, or -1. */
    int order(long addr, long pfn) {
        synchronized (large) {
            Integer order = pfn >= 0 && dm.virt(pfn, 0) == addr ? large.get(pfn) : null;
            return order == null ? -1 : order;
        }
    }

    /** Records a large block (allocated, or handed over). */
    void put(long pfn, int order) {
        synchronized (large) {
            large.put(pfn, order);
        }
    }

    /** The large blocks, for a hand-over. */
    Map<Long, Integer> blocks() {
        synchronized (large) {
            return new HashMap<>(large);
        }
    }

    /** Forgets everything, before an adoption. */
    void clear() {
        synchronized (large) {
            large.clear();
        }
        synchronized (orphans) {
            orphans.clear();
        }
    }

    /** Takes what a failed predecessor left: its large blocks, and its slabs as orphans. */
    void salvage(SlabSalvage.Found found) {
        synchronized (large) {
            large.putAll(found.large());
        }
        synchronized (orphans) {
            orphans.putAll(found.slabs());
        }
    }

    /** Pages of orphaned slabs. */
    long orphanedPages() {
        synchronized (orphans) {
            long n = 0;
            for (int order : orphans.values()) {
                n += 1L << order;
            }
            return n;
        }
    }

    /** The line for an address in an orphaned slab, or null if it is not in one. */
    String orphaned(long addr, long pfn, String fn) {
        if (pfn < 0) {
            return null;
        }
        long head = FrameState.allocatedHeadContaining(ft, pfn);
        Integer order;
        synchronized (orphans) {
            order = orphans.get(head);
        }
        return order == null ? null : fn + "(" + DirectMap.format(addr) + "): the object is in a slab held by an implementation that "
                + "failed without handing over; its objects were lost with it (the slab's " + (1 << order) + " pages at pfn 0x"
                + Long.toHexString(head) + " stay allocated)";
    }

    /**
     * Adds the broken invariants of the large blocks and orphans, and their pages per node to
     * {@code unreclaimable} and {@code orphaned}.
     */
    void check(List<String> problems, long[] unreclaimable, long[] orphaned) {
        synchronized (large) {
            for (Map.Entry<Long, Integer> e : large.entrySet()) {
                long pfn = e.getKey();
                if (ft.refcount(pfn) == 0 || ft.order(pfn) != e.getValue()) {
                    problems.add(String.format("kmalloc: large block at pfn 0x%x (order %d) is not allocated in the frame table", pfn, e.getValue()));
                }
                unreclaimable[ft.nid(pfn)] += 1L << e.getValue();
            }
        }
        synchronized (orphans) {
            for (Map.Entry<Long, Integer> e : orphans.entrySet()) {
                if (!ft.test(e.getKey(), PageFlags.PG_slab) || ft.refcount(e.getKey()) == 0) {
                    problems.add(String.format("orphaned slab at pfn 0x%x is no longer an allocated slab block", e.getKey()));
                }
                orphaned[ft.nid(e.getKey())] += 1L << e.getValue();
            }
        }
    }
}

package mm.api.frame;

import java.util.Arrays;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.subsystem.Subsystem;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The page allocator: hands out and takes back blocks of 2<sup>order</sup> contiguous page
 * frames (mm/page_alloc.c). The reference implementation is the buddy allocator ({@code mm.buddy}).
 *
 * <p>Every allocation is recorded in the machine's frame table (the head frame's reference count
 * and order), so that another implementation can take over. Allocation walks the zonelist of the
 * preferred node, checks each zone's watermark and lowmem reserve, and returns {@link #NO_PAGE}
 * when it cannot be satisfied; calls with a bad argument throw {@link IllegalArgumentException}
 * and change nothing.
 *
 * <p>Hand-over keys: none; everything an allocator needs is in the frame table once its per-CPU
 * caches are drained.
 */
@ProviderType
public interface FrameAllocator extends Subsystem {

    /** The contract's name, the value of {@link Subsystem#PROP_CONTRACT}. */
    String CONTRACT = "FrameAllocator";

    /** MAX_PAGE_ORDER: the largest block is 2<sup>10</sup> pages (4 MiB). */
    int MAX_PAGE_ORDER = 10;
    /** NR_PAGE_ORDERS. */
    int NR_PAGE_ORDERS = MAX_PAGE_ORDER + 1;
    /** PAGE_ALLOC_COSTLY_ORDER: orders above it are "costly" and not retried hard. */
    int PAGE_ALLOC_COSTLY_ORDER = 3;
    /** What an allocation returns when it fails (the kernel's NULL page). */
    long NO_PAGE = -1;

    /**
     * {@code pcp_allowed_order} (mm/page_alloc.c): the orders a per-CPU list holds, up to
     * PAGE_ALLOC_COSTLY_ORDER and THP's pageblock order; their frees go through {@code free_unref_folios}
     * when batched, which prints {@code mm_page_free} then {@code mm_page_free_batched}.
     */
    static boolean pcpAllowedOrder(int order) {
        return order >= 0 && (order <= PAGE_ALLOC_COSTLY_ORDER || order == Machine.PAGEBLOCK_ORDER);
    }

    /**
     * Allocates 2<sup>order</sup> contiguous frames on the current CPU's node
     * ({@code alloc_pages}, {@code __alloc_pages_noprof}).
     *
     * @param gfp GFP flags ({@link Gfp})
     * @param order 0 to {@link #MAX_PAGE_ORDER}
     * @return the first pfn, or {@link #NO_PAGE} if the request cannot be satisfied
     * @throws IllegalArgumentException for an order out of range or invalid flags
     */
    long allocPages(int gfp, int order);

    /**
     * Allocates on a preferred node ({@code alloc_pages_node}); other nodes are used as fallback
     * unless {@link Gfp#__GFP_THISNODE} is given.
     *
     * @throws IllegalArgumentException for an unknown node, an order out of range or invalid flags
     */
    long allocPagesNode(int nid, int gfp, int order);

    /**
     * Frees a block ({@code __free_pages}). The block must have been allocated with this order and
     * not freed since.
     *
     * @throws IllegalArgumentException for a pfn that is not the head of an allocated block of this
     *     order (never allocated, already freed, reserved, a tail frame, another order)
     */
    void freePages(long pfn, int order);

    /**
     * Frees many order-0 pages at once, as {@code release_pages}/{@code folios_put} do
     * ({@code free_unref_folios}, mm/page_alloc.c): in batches of {@link #PAGEVEC_SIZE}, each page
     * is prepared ({@code free_pages_prepare}: traced {@code mm_page_free}), then each goes onto a
     * per-CPU list (traced {@code mm_page_free_batched}). A page whose reference count stays above
     * zero is only dropped. A pfn given twice refuses the batch. The allocators built on mm.core
     * check every page before they free any; this default frees one by one and stops at the first
     * bad pfn.
     *
     * @throws IllegalArgumentException if a pfn appears twice (nothing freed), or a pfn is not an
     *     allocated order-0 page
     * @since 1.2
     */
    default void freePagesBatched(long[] pfns) {
        checkBatch(pfns);
        for (long pfn : pfns) {
            freePages(pfn, 0);
        }
    }

    /** {@code PAGEVEC_SIZE}: the pages of one {@code folio_batch}. */
    int PAGEVEC_SIZE = 31;

    /**
     * The checks of {@link #freePagesBatched} that need no allocator: no pfn twice.
     *
     * @throws IllegalArgumentException naming the first pfn given twice
     */
    static void checkBatch(long[] pfns) {
        long[] sorted = pfns.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException(String.format("pfn 0x%x is in the batch twice: a double free "
                        + "(accepted: each allocated page once)", sorted[i]));
            }
        }
    }

    /**
     * The number of free blocks of an order in a zone ({@code zone->free_area[order].nr_free}), as
     * /proc/buddyinfo prints it.
     */
    long nrFree(Zone zone, int order);

    /**
     * The number of free blocks of an order and migratetype in a zone (the length of
     * {@code free_area[order].free_list[migratetype]}), as /proc/pagetypeinfo prints it.
     */
    long nrFree(Zone zone, int order, int migratetype);

    /** Pages on a CPU's per-CPU lists for a zone ({@code pcp->count}); 0 for an allocator without them. */
    int pcpCount(Zone zone, int cpu);

    /** A CPU's current per-CPU list high mark for a zone ({@code pcp->high}); 0 until the lists are used. */
    int pcpHigh(Zone zone, int cpu);

    /** Returns every frame held in per-CPU lists to the zones ({@code drain_all_pages}). */
    void drainAllPages();

    /**
     * Compacts a zone ({@code compact_zone}, mm/compaction.c): a migrate scanner walks up from the
     * zone's start isolating movable allocated blocks, a free scanner walks down from its end
     * isolating free pages, and each isolated block moves up into free pages with its frames'
     * state and content token, through its owner's {@link mm.api.machine.MovableOps}. With order -1
     * it runs until the scanners meet, as writing {@code /proc/sys/vm/compact_memory} does; with
     * an order it stops as soon as a free block of that order exists.
     *
     * @param order -1 for the whole zone, or 0 to {@link #MAX_PAGE_ORDER}
     * @throws IllegalArgumentException for an order out of range
     * @throws IllegalStateException if this implementation does not compact
     * @since 1.2
     */
    default CompactResult compactZone(Zone zone, int order) {
        throw new IllegalStateException(implName() + " does not compact memory");
    }
}

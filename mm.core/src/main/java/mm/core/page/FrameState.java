package mm.core.page;

import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.PageFlags;

/**
 * How the frame table says whether a frame is free, reserved or part of an allocated block, and
 * the one-line diagnosis of a bad free ({@code free_pages_prepare}'s checks and the
 * "Bad page state" cases of mm/page_alloc.c).
 *
 * <p>Conventions every frame allocator keeps: a reserved frame has {@code PG_reserved}; an
 * allocated block's head has a reference count of at least 1 and its order in the flags word (its
 * other frames have count 0); every other frame of a zone is free: on a free list (PG_buddy), on
 * a per-CPU list (PG_pcp), or inside such a block.
 */
public final class FrameState {

    private FrameState() {
    }

    private static final int NOT_ALLOCATED = (1 << PageFlags.PG_reserved) | (1 << PageFlags.PG_buddy) | (1 << PageFlags.PG_pcp);

    /** True if the frame is the head of an allocated block. */
    public static boolean isAllocatedHead(FrameTable ft, long pfn) {
        return isAllocatedHead(ft.flags(pfn), ft.refcount(pfn));
    }

    /** The same test for a scan that has read the frame's flags word and count already. */
    public static boolean isAllocatedHead(int flags, int refcount) {
        return (flags & NOT_ALLOCATED) == 0 && refcount > 0;
    }

    /** True if the frame is free: not reserved, count 0, not inside an allocated block (the caller knows the last). */
    public static boolean isFreeFrame(FrameTable ft, long pfn) {
        return !ft.test(pfn, PageFlags.PG_reserved) && ft.refcount(pfn) == 0;
    }

    /**
     * The head of the allocated block containing {@code pfn}, found by looking at each aligned
     * candidate below it; -1 if none.
     */
    public static long allocatedHeadContaining(FrameTable ft, long pfn) {
        for (int o = 0; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            long head = pfn & ~((1L << o) - 1);
            if (!ft.pfnValid(head)) {
                continue;
            }
            if (isAllocatedHead(ft, head) && ft.order(head) >= o && head + (1L << ft.order(head)) > pfn) {
                return head;
            }
        }
        return -1;
    }

    /**
     * Why freeing {@code pfn} at {@code order} would be wrong, or null if it is a correct free.
     * Each answer is one line saying what is wrong and what would be accepted.
     */
    public static String badFree(FrameTable ft, long pfn, int order) {
        if (ft.pfnValid(pfn) && (pfn & ((1L << order) - 1)) == 0 && isAllocatedHead(ft, pfn) && ft.order(pfn) == order
                && !ft.test(pfn, PageFlags.PG_slab)) {
            return null;
        }
        String hex = "0x" + Long.toHexString(pfn);
        if (!ft.pfnValid(pfn)) {
            return "pfn " + hex + " is not a page frame of this machine (frames are 0x" + Long.toHexString(ft.startPfn())
                    + " to 0x" + Long.toHexString(ft.endPfn() - 1) + ", holes excluded)";
        }
        if ((pfn & ((1L << order) - 1)) != 0) {
            return "pfn " + hex + " is not aligned to order " + order + ": an order-" + order + " block starts at a multiple of "
                    + (1L << order) + " pages";
        }
        if (ft.test(pfn, PageFlags.PG_slab)) {
            return "pfn " + hex + " belongs to a slab of the object caches: its objects are freed with kfree or kmem_cache_free "
                    + "(mm:kfree, mm:cache-free), and the slab goes back when it is empty";
        }
        if (ft.test(pfn, PageFlags.PG_reserved)) {
            return "pfn " + hex + " is reserved (firmware, kernel image, memmap or a hole): it was never allocated";
        }
        if (!isAllocatedHead(ft, pfn)) {
            long head = allocatedHeadContaining(ft, pfn);
            if (head >= 0) {
                return "pfn " + hex + " is not the start of an allocated block: it lies inside the order-" + ft.order(head)
                        + " block at 0x" + Long.toHexString(head);
            }
            return "pfn " + hex + " is not allocated: it is free (never allocated, or already freed)"
                    + (ft.test(pfn, PageFlags.PG_pcp) ? ", on a per-CPU list" : "");
        }
        int allocated = ft.order(pfn);
        if (allocated != order) {
            return "pfn " + hex + " was allocated with order " + allocated + ", not " + order + ": free it with order " + allocated;
        }
        return null;
    }
}

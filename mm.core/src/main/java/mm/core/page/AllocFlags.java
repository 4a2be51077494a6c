package mm.core.page;

import mm.api.frame.Gfp;

/**
 * The page allocator's internal allocation flags ({@code ALLOC_*}, mm/internal.h, 6.3+) and their
 * derivation from GFP flags ({@code gfp_to_alloc_flags}, {@code __gfp_pfmemalloc_flags},
 * mm/page_alloc.c).
 */
public final class AllocFlags {
    /** ALLOC_WMARK_MIN: check against the min watermark. */
    public static final int ALLOC_WMARK_MIN = 0;
    /** ALLOC_WMARK_LOW: check against the low watermark (the fast path). */
    public static final int ALLOC_WMARK_LOW = 1;
    /** ALLOC_WMARK_HIGH: check against the high watermark. */
    public static final int ALLOC_WMARK_HIGH = 2;
    /** ALLOC_NO_WATERMARKS: ignore watermarks entirely. */
    public static final int ALLOC_NO_WATERMARKS = 0x04;
    /** ALLOC_WMARK_MASK. */
    public static final int ALLOC_WMARK_MASK = ALLOC_NO_WATERMARKS - 1;
    /** ALLOC_OOM: an OOM victim may dip further into the reserves. */
    public static final int ALLOC_OOM = 0x08;
    /** ALLOC_NON_BLOCK: the caller cannot reclaim; may use a quarter more of the min reserve. */
    public static final int ALLOC_NON_BLOCK = 0x10;
    /** ALLOC_MIN_RESERVE: __GFP_HIGH; may use half of the min reserve. */
    public static final int ALLOC_MIN_RESERVE = 0x20;
    /** ALLOC_CPUSET: honour cpusets. */
    public static final int ALLOC_CPUSET = 0x40;
    /** ALLOC_CMA: may use CMA pageblocks. */
    public static final int ALLOC_CMA = 0x80;
    /** ALLOC_NOFRAGMENT: fall back only by claiming whole pageblocks. */
    public static final int ALLOC_NOFRAGMENT = 0x100;
    /** ALLOC_HIGHATOMIC: may use the high-order atomic reserve. */
    public static final int ALLOC_HIGHATOMIC = 0x200;
    /** ALLOC_KSWAPD: wake kswapd (equal to __GFP_KSWAPD_RECLAIM). */
    public static final int ALLOC_KSWAPD = 0x800;
    /** ALLOC_RESERVES: any flag that grants access to the reserves. */
    public static final int ALLOC_RESERVES = ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM;

    private AllocFlags() {
    }

    /**
     * {@code gfp_to_alloc_flags}: the slow path's flags. The min watermark; __GFP_HIGH becomes
     * ALLOC_MIN_RESERVE and __GFP_KSWAPD_RECLAIM ALLOC_KSWAPD (same bit values); a caller that
     * cannot enter direct reclaim gets ALLOC_NON_BLOCK (unless __GFP_NOMEMALLOC), and for
     * order &gt; 0 with __GFP_HIGH also ALLOC_HIGHATOMIC.
     */
    public static int gfpToAllocFlags(int gfp, int order) {
        int allocFlags = ALLOC_WMARK_MIN | ALLOC_CPUSET;
        allocFlags |= gfp & (Gfp.__GFP_HIGH | Gfp.__GFP_KSWAPD_RECLAIM);
        if ((gfp & Gfp.__GFP_DIRECT_RECLAIM) == 0) {
            if ((gfp & Gfp.__GFP_NOMEMALLOC) == 0) {
                allocFlags |= ALLOC_NON_BLOCK;
                if (order > 0 && (allocFlags & ALLOC_MIN_RESERVE) != 0) {
                    allocFlags |= ALLOC_HIGHATOMIC;
                }
            }
            if ((allocFlags & ALLOC_MIN_RESERVE) != 0) {
                allocFlags &= ~ALLOC_CPUSET;
            }
        }
        return allocFlags;
    }

    /**
     * {@code __gfp_pfmemalloc_flags}: __GFP_MEMALLOC may ignore watermarks, unless
     * __GFP_NOMEMALLOC forbids it. (Simulated tasks are never PF_MEMALLOC or OOM victims here.)
     */
    public static int gfpPfmemallocFlags(int gfp) {
        if ((gfp & Gfp.__GFP_NOMEMALLOC) != 0) {
            return 0;
        }
        if ((gfp & Gfp.__GFP_MEMALLOC) != 0) {
            return ALLOC_NO_WATERMARKS;
        }
        return 0;
    }
}

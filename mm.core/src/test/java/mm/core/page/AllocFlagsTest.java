package mm.core.page;

import static mm.core.page.AllocFlags.ALLOC_CPUSET;
import static mm.core.page.AllocFlags.ALLOC_HIGHATOMIC;
import static mm.core.page.AllocFlags.ALLOC_KSWAPD;
import static mm.core.page.AllocFlags.ALLOC_MIN_RESERVE;
import static mm.core.page.AllocFlags.ALLOC_NON_BLOCK;
import static mm.core.page.AllocFlags.ALLOC_NO_WATERMARKS;
import static mm.core.page.AllocFlags.ALLOC_WMARK_MIN;
import static mm.core.page.AllocFlags.gfpPfmemallocFlags;
import static mm.core.page.AllocFlags.gfpToAllocFlags;
import static org.junit.jupiter.api.Assertions.assertEquals;

import mm.api.frame.Gfp;
import org.junit.jupiter.api.Test;

/** {@code gfp_to_alloc_flags} and {@code __gfp_pfmemalloc_flags}, mm/page_alloc.c (6.18). */
class AllocFlagsTest {

    @Test
    void flagValuesAreTheKernels() {
        // mm/internal.h, 6.3+
        assertEquals(0, AllocFlags.ALLOC_WMARK_MIN);
        assertEquals(1, AllocFlags.ALLOC_WMARK_LOW);
        assertEquals(2, AllocFlags.ALLOC_WMARK_HIGH);
        assertEquals(0x04, AllocFlags.ALLOC_NO_WATERMARKS);
        assertEquals(0x03, AllocFlags.ALLOC_WMARK_MASK);
        assertEquals(0x08, AllocFlags.ALLOC_OOM);
        assertEquals(0x10, AllocFlags.ALLOC_NON_BLOCK);
        assertEquals(0x20, AllocFlags.ALLOC_MIN_RESERVE);
        assertEquals(0x40, AllocFlags.ALLOC_CPUSET);
        assertEquals(0x80, AllocFlags.ALLOC_CMA);
        assertEquals(0x100, AllocFlags.ALLOC_NOFRAGMENT);
        assertEquals(0x200, AllocFlags.ALLOC_HIGHATOMIC);
        assertEquals(0x800, AllocFlags.ALLOC_KSWAPD);
        assertEquals(0x10 | 0x20 | 0x200 | 0x08, AllocFlags.ALLOC_RESERVES);
        // the two bits gfp_to_alloc_flags copies straight from the mask
        assertEquals(Gfp.__GFP_HIGH, ALLOC_MIN_RESERVE);
        assertEquals(Gfp.__GFP_KSWAPD_RECLAIM, ALLOC_KSWAPD);
    }

    @Test
    void gfpKernel() {
        assertEquals(ALLOC_WMARK_MIN | ALLOC_CPUSET | ALLOC_KSWAPD, gfpToAllocFlags(Gfp.GFP_KERNEL, 0));
        assertEquals(0x840, gfpToAllocFlags(Gfp.GFP_KERNEL, 0));
        assertEquals(0x840, gfpToAllocFlags(Gfp.GFP_KERNEL, 3), "blocking requests never get ALLOC_HIGHATOMIC");
        assertEquals(0x840, gfpToAllocFlags(Gfp.GFP_HIGHUSER_MOVABLE, 9));
        assertEquals(0x840, gfpToAllocFlags(Gfp.GFP_NOIO, 0));
    }

    @Test
    void gfpAtomic() {
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD, gfpToAllocFlags(Gfp.GFP_ATOMIC, 0));
        assertEquals(0x830, gfpToAllocFlags(Gfp.GFP_ATOMIC, 0), "no ALLOC_CPUSET");
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_KSWAPD | ALLOC_HIGHATOMIC, gfpToAllocFlags(Gfp.GFP_ATOMIC, 1));
        assertEquals(0xa30, gfpToAllocFlags(Gfp.GFP_ATOMIC | Gfp.__GFP_NOWARN, 10));
    }

    @Test
    void gfpNowait() {
        assertEquals(ALLOC_NON_BLOCK | ALLOC_KSWAPD | ALLOC_CPUSET, gfpToAllocFlags(Gfp.GFP_NOWAIT, 0));
        assertEquals(0x850, gfpToAllocFlags(Gfp.GFP_NOWAIT, 0));
        // since 6.17 ("only use ALLOC_HIGHATOMIC for __GFP_HIGH"): high-order GFP_NOWAIT gets no high-atomic reserve
        assertEquals(0x850, gfpToAllocFlags(Gfp.GFP_NOWAIT, 2));
    }

    @Test
    void gfpNomemalloc() {
        // no ALLOC_NON_BLOCK (and so no ALLOC_HIGHATOMIC); __GFP_HIGH still drops ALLOC_CPUSET
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_KSWAPD, gfpToAllocFlags(Gfp.GFP_ATOMIC | Gfp.__GFP_NOMEMALLOC, 0));
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_KSWAPD, gfpToAllocFlags(Gfp.GFP_ATOMIC | Gfp.__GFP_NOMEMALLOC, 3));
        assertEquals(ALLOC_CPUSET | ALLOC_KSWAPD, gfpToAllocFlags(Gfp.GFP_NOWAIT | Gfp.__GFP_NOMEMALLOC, 0));
        assertEquals(0x840, gfpToAllocFlags(Gfp.GFP_KERNEL | Gfp.__GFP_NOMEMALLOC, 0));
    }

    @Test
    void highWithAndWithoutDirectReclaim() {
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_CPUSET | ALLOC_KSWAPD, gfpToAllocFlags(Gfp.GFP_KERNEL | Gfp.__GFP_HIGH, 0));
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_CPUSET | ALLOC_KSWAPD, gfpToAllocFlags(Gfp.GFP_KERNEL | Gfp.__GFP_HIGH, 2));
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, gfpToAllocFlags(Gfp.__GFP_HIGH, 0));
        assertEquals(ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK | ALLOC_HIGHATOMIC, gfpToAllocFlags(Gfp.__GFP_HIGH, 1));
        // GFP_DMA alone cannot reclaim either: non-blocking, cpuset kept
        assertEquals(ALLOC_NON_BLOCK | ALLOC_CPUSET, gfpToAllocFlags(Gfp.GFP_DMA, 0));
        assertEquals(ALLOC_NON_BLOCK | ALLOC_CPUSET, gfpToAllocFlags(0, 0));
    }

    @Test
    void memallocAndNomemalloc() {
        assertEquals(ALLOC_NO_WATERMARKS, gfpPfmemallocFlags(Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC));
        assertEquals(ALLOC_NO_WATERMARKS, gfpPfmemallocFlags(Gfp.GFP_ATOMIC | Gfp.__GFP_MEMALLOC));
        assertEquals(0, gfpPfmemallocFlags(Gfp.GFP_KERNEL | Gfp.__GFP_MEMALLOC | Gfp.__GFP_NOMEMALLOC));
        assertEquals(0, gfpPfmemallocFlags(Gfp.GFP_KERNEL));
        assertEquals(0, gfpPfmemallocFlags(Gfp.GFP_ATOMIC));
    }
}

package mm.api.machine;

/** The zone watermarks, in the kernel's {@code enum zone_watermarks} order (include/linux/mmzone.h). */
public enum Watermark {
    /** WMARK_MIN: below it only atomic and reserve allocations succeed. */
    MIN,
    /** WMARK_LOW: the fast path's mark; falling below it wakes kswapd. */
    LOW,
    /** WMARK_HIGH: kswapd reclaims until free pages are above it. */
    HIGH,
    /** WMARK_PROMO: the mark for promoting pages in memory tiering (6.0+). */
    PROMO;

    /** NR_WMARK. */
    public static final int NR_WMARK = 4;
}

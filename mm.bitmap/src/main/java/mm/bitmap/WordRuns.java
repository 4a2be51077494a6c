package mm.bitmap;

/**
 * Word-level tricks on a 64-bit word of the free-frame bitmap (bit set = frame free): where the
 * aligned runs of 2<sup>order</sup> set bits start, for orders 0 to 6.
 *
 * <p>Folding the word onto itself ({@code x & x >>> 1}, then {@code >>> 2}, {@code >>> 4}...) leaves
 * bit i set only if bits i to i + 2<sup>order</sup> - 1 all were; masking with one bit every
 * 2<sup>order</sup> keeps the aligned starts. That answers "is there a free aligned block of this
 * order in these 64 frames?" in a handful of instructions, and {@link Long#numberOfTrailingZeros}
 * says where the first one is. The kernel's bitmap helpers work the same way a word at a time
 * (lib/bitmap.c, lib/find_bit.c: {@code find_next_bit}, {@code bitmap_find_next_zero_area}).
 */
final class WordRuns {

    /** Bits in a word ({@code BITS_PER_LONG}). */
    static final int BITS_PER_LONG = 64;
    /** log2 of {@link #BITS_PER_LONG}: the largest order that fits in one word. */
    static final int WORD_ORDER = 6;

    /** One bit at each multiple of 2<sup>order</sup>, orders 0 to 6. */
    private static final long[] ALIGNED = {
        0xffffffffffffffffL,
        0x5555555555555555L,
        0x1111111111111111L,
        0x0101010101010101L,
        0x0001000100010001L,
        0x0000000100000001L,
        0x0000000000000001L,
    };

    private WordRuns() {
    }

    /**
     * The starts of the aligned runs of 2<sup>order</sup> set bits in {@code x}: bit i of the result
     * is set if i is a multiple of 2<sup>order</sup> and bits i to i + 2<sup>order</sup> - 1 of
     * {@code x} are all set.
     *
     * @param order 0 to {@link #WORD_ORDER}
     */
    static long runStarts(long x, int order) {
        long y = x;
        for (int shift = 1; shift < 1 << order; shift <<= 1) {
            y &= y >>> shift;
        }
        return y & ALIGNED[order];
    }

    /**
     * Adds to {@code fullRuns[k]}, for k = 0 to 6, how many aligned runs of 2<sup>k</sup> set bits
     * {@code x} holds (for k = 0, its set bits). From these counts, the largest aligned blocks
     * follow: a run of order k that is not half of a run of order k + 1 is a block of its own.
     */
    static void countRuns(long x, int[] fullRuns) {
        if (x == -1L) {
            for (int k = 0; k <= WORD_ORDER; k++) {
                fullRuns[k] += BITS_PER_LONG >>> k;
            }
            return;
        }
        long y = x;
        fullRuns[0] += Long.bitCount(y);
        for (int k = 1; k < WORD_ORDER && y != 0; k++) {
            y &= y >>> (1 << (k - 1));
            fullRuns[k] += Long.bitCount(y & ALIGNED[k]);
        }
    }

    /** A mask of 2<sup>order</sup> set bits starting at bit {@code bit}, for order 0 to 5 (the run stays in one word). */
    static long runMask(int bit, int order) {
        return ((1L << (1 << order)) - 1) << bit;
    }
}

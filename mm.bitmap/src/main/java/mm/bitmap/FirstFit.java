package mm.bitmap;

/**
 * The first-fit search of a free-frame bitmap: the lowest run of 2<sup>order</sup> set bits that
 * starts at a multiple of 2<sup>order</sup>. It is lib/bitmap.c's
 * {@code bitmap_find_next_zero_area} with {@code align_mask = 2^order - 1} (this bitmap sets the
 * bits of free frames, so it looks for ones), and the scan the old bootmem allocator made in
 * {@code alloc_bootmem_bdata} (mm/bootmem.c, removed in 4.20).
 *
 * <p>A word at a time: below order 6 a run lies inside one word and {@link WordRuns#runStarts}
 * finds it with masks; order 6 is one word of all ones; above it, 2<sup>order - 6</sup> aligned
 * words of all ones, and the scan jumps past the first word that is not. The cost is linear in
 * the words between the start and the run: a fragmented zone is scanned again for every request.
 */
final class FirstFit {

    private FirstFit() {
    }

    /**
     * The bit index of the first aligned run of 2<sup>order</sup> set bits that starts in word
     * {@code fromWord} or after it, or -1.
     *
     * @param map the bitmap; its length is a multiple of 2<sup>MAX_PAGE_ORDER - 6</sup> words
     * @param fromWord the word to start at
     * @param order 0 to {@code MAX_PAGE_ORDER}
     */
    static int findNextArea(long[] map, int fromWord, int order) {
        if (order < WordRuns.WORD_ORDER) {
            return withinWords(map, fromWord, order);
        }
        return wholeWords(map, fromWord, 1 << (order - WordRuns.WORD_ORDER));
    }

    /** Orders 0 to 5: the first word with an aligned run ({@code find_next_bit} for order 0). */
    private static int withinWords(long[] map, int fromWord, int order) {
        for (int w = fromWord; w < map.length; w++) {
            long x = map[w];
            if (x == 0) {
                continue;
            }
            long starts = order == 0 ? x : WordRuns.runStarts(x, order);
            if (starts != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(starts);
            }
        }
        return -1;
    }

    /** Orders 6 to 10: the first group of {@code words} aligned words that are all ones. */
    private static int wholeWords(long[] map, int fromWord, int words) {
        int w = (fromWord + words - 1) & -words;
        next:
        while (w + words <= map.length) {
            for (int j = w; j < w + words; j++) {
                if (map[j] != -1L) {
                    w = (j & -words) + words;
                    continue next;
                }
            }
            return w << 6;
        }
        return -1;
    }
}

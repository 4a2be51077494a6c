package mm.bitmap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The word-level search on hand-made bitmaps: {@link WordRuns} masks and {@link FirstFit} across words. */
class SearchTest {

    /** A bitmap of {@code words} words (a whole number of 1024-frame chunks) with bits [from, to) set. */
    private static long[] map(int words, int... ranges) {
        long[] m = new long[words];
        for (int r = 0; r < ranges.length; r += 2) {
            for (int i = ranges[r]; i < ranges[r + 1]; i++) {
                m[i >>> 6] |= 1L << i;
            }
        }
        return m;
    }

    @Test
    void runStartsKeepsOnlyAlignedWholeRuns() {
        // bits 1..7 set: order-1 runs start at 2, 4 and 6 (not at 1: misaligned); one order-2 run at 4; none of order 3
        long x = 0b1111_1110L;
        assertEquals(x, WordRuns.runStarts(x, 0));
        assertEquals((1L << 2) | (1L << 4) | (1L << 6), WordRuns.runStarts(x, 1));
        assertEquals(1L << 4, WordRuns.runStarts(x, 2));
        assertEquals(0, WordRuns.runStarts(x, 3));
        // the top half of a word: one order-5 run at 32, no order-6 run
        long top = 0xffffffff00000000L;
        assertEquals(1L << 32, WordRuns.runStarts(top, 5));
        assertEquals(0, WordRuns.runStarts(top, 6));
        assertEquals(1, WordRuns.runStarts(-1L, 6));
        // a run ending at bit 63 is seen (the fold shifts zeros in from the top)
        assertEquals(1L << 62, WordRuns.runStarts(0xc000000000000000L, 1));
    }

    @Test
    void countRunsCountsAlignedRunsOfEachOrder() {
        int[] runs = new int[11];
        WordRuns.countRuns(0b1111_0110L, runs);
        // bits 1,2,4,5,6,7: order-1 runs at 4 and 6 (1..2 is misaligned), order-2 at 4
        assertEquals(6, runs[0]);
        assertEquals(2, runs[1]);
        assertEquals(1, runs[2]);
        assertEquals(0, runs[3]);
        int[] all = new int[11];
        WordRuns.countRuns(-1L, all);
        assertEquals(64, all[0]);
        assertEquals(2, all[5]);
        assertEquals(1, all[6]);
    }

    @Test
    void findNextAreaTakesTheLowestAlignedRunOfEachOrder() {
        // free: 3, 5..7, 9..15, 64..1279 (over 1024 frames, but no aligned 1024 in it), 2048..3071
        long[] m = map(64, 3, 4, 5, 8, 9, 16, 64, 1280, 2048, 3072);
        assertEquals(3, FirstFit.findNextArea(m, 0, 0));
        assertEquals(6, FirstFit.findNextArea(m, 0, 1));
        assertEquals(12, FirstFit.findNextArea(m, 0, 2));
        assertEquals(64, FirstFit.findNextArea(m, 0, 3));
        assertEquals(64, FirstFit.findNextArea(m, 0, 6));
        assertEquals(128, FirstFit.findNextArea(m, 0, 7), "not at 64: misaligned");
        assertEquals(256, FirstFit.findNextArea(m, 0, 8));
        assertEquals(512, FirstFit.findNextArea(m, 0, 9));
        assertEquals(2048, FirstFit.findNextArea(m, 0, 10), "64..1279 holds no aligned 1024");
        assertEquals(-1, FirstFit.findNextArea(map(64, 2048, 3071), 0, 10), "one frame short");
        // starting further on
        assertEquals(64, FirstFit.findNextArea(m, 1, 0));
        assertEquals(1024, FirstFit.findNextArea(m, 16, 8));
        assertEquals(2048, FirstFit.findNextArea(m, 17, 8), "a run must start at or after the first word");
        assertEquals(-1, FirstFit.findNextArea(m, 48, 0));
    }

    @Test
    void anEmptyOrFullMap() {
        long[] empty = new long[16];
        for (int order = 0; order <= 10; order++) {
            assertEquals(-1, FirstFit.findNextArea(empty, 0, order));
        }
        long[] full = map(32, 0, 2048);
        for (int order = 0; order <= 10; order++) {
            assertEquals(0, FirstFit.findNextArea(full, 0, order));
            assertEquals(1024, FirstFit.findNextArea(full, 16, order));
        }
    }
}

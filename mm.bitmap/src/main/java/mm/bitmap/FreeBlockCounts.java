package mm.bitmap;

import java.util.Arrays;
import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;

/**
 * What /proc/buddyinfo and /proc/pagetypeinfo print for a bitmap zone: its free frames seen as
 * the blocks a buddy allocator would hold ({@code free_area[order].nr_free}, and per migratetype
 * the length of {@code free_list[migratetype]}). A bitmap has no blocks; they are computed from
 * it.
 *
 * <p>The decomposition is the one {@code memblock_free_all} and a fully merged buddy system
 * produce: every free run cut into the largest aligned blocks, at most order 10. Such a block
 * never crosses a multiple of 1024 frames, so each aligned chunk of 1024 frames (16 words) can be
 * decomposed on its own: count the aligned all-free runs of each order ({@link WordRuns#countRuns},
 * then whole words, whole pageblocks, the whole chunk); a run of order k that is not half of a free
 * run of order k + 1 is a block. Two free pageblocks make an order-10 block only if the buddy
 * allocator would merge them ({@code migratetype_is_mergeable}: the same type, or both of the
 * three per-CPU types). Each block counts for its pageblock's migratetype
 * ({@link FrameTable#pageblockMigratetype}).
 *
 * <p>The counts are a cache: a change to the bitmap marks its chunk dirty (one bit), and the next
 * question recomputes the dirty chunks only, taking each one's old contribution out and its new
 * one in. The buddy allocator keeps these counts as it goes, for nothing; here they cost a scan
 * of what changed. Guarded by the zone's lock, like the bitmap.
 */
final class FreeBlockCounts {

    /** MAX_ORDER_NR_PAGES. */
    static final int CHUNK_PAGES = 1 << FrameAllocator.MAX_PAGE_ORDER;
    /** Words of bitmap per chunk. */
    static final int CHUNK_WORDS = CHUNK_PAGES / WordRuns.BITS_PER_LONG;
    /** Words of bitmap per pageblock. */
    static final int PAGEBLOCK_WORDS = CHUNK_WORDS / 2;

    private static final int ORDERS = FrameAllocator.NR_PAGE_ORDERS;
    private static final int MAX_ORDER = FrameAllocator.MAX_PAGE_ORDER;
    /** pageblock_order: 9, so that a chunk of order MAX_PAGE_ORDER is two pageblocks. */
    private static final int PAGEBLOCK_ORDER = Machine.PAGEBLOCK_ORDER;
    private static final int MT = MigrateType.MIGRATE_TYPES;
    /** Per chunk: blocks per order of its first pageblock (order 10 included), then of its second. */
    private static final int STRIDE = 2 * ORDERS;

    private final long[] map;
    private final long base;
    private final FrameTable ft;
    /** Per chunk: its blocks per order, as last counted ({@link #STRIDE} entries). */
    private final short[] contribution;
    /** Per chunk: the migratetypes its blocks were counted under (two entries). */
    private final byte[] countedAs;
    /** One bit per chunk changed since it was last counted. */
    private final long[] dirty;
    private boolean anyDirty;
    private final long[] count = new long[ORDERS * MT];
    private final long[] nrFree = new long[ORDERS];
    /** Scratch: aligned all-free runs per order of the pageblock being counted. */
    private final int[] runs = new int[ORDERS];
    private final short[] fresh = new short[STRIDE];
    private final byte[] freshTypes = new byte[2];

    FreeBlockCounts(long[] map, long base, FrameTable ft) {
        this.map = map;
        this.base = base;
        this.ft = ft;
        int chunks = map.length / CHUNK_WORDS;
        contribution = new short[chunks * STRIDE];
        countedAs = new byte[chunks * 2];
        dirty = new long[(chunks + 63) >>> 6];
    }

    /** Forgets everything: the bitmap was cleared. */
    void reset() {
        Arrays.fill(contribution, (short) 0);
        Arrays.fill(countedAs, (byte) 0);
        Arrays.fill(dirty, 0);
        Arrays.fill(count, 0);
        Arrays.fill(nrFree, 0);
        anyDirty = false;
    }

    /** The chunk holding bitmap word {@code word} has changed. */
    void markDirty(int word) {
        int chunk = word / CHUNK_WORDS;
        dirty[chunk >>> 6] |= 1L << chunk;
        anyDirty = true;
    }

    /** {@code free_area[order].nr_free}. */
    long nrFree(int order) {
        refresh();
        return nrFree[order];
    }

    /** The length of {@code free_area[order].free_list[migratetype]}. */
    long count(int order, int migratetype) {
        refresh();
        return count[order * MT + migratetype];
    }

    /** Recounts the dirty chunks. */
    private void refresh() {
        if (!anyDirty) {
            return;
        }
        for (int i = 0; i < dirty.length; i++) {
            long bits = dirty[i];
            while (bits != 0) {
                int chunk = (i << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                apply(chunk, -1);
                decompose(chunk, fresh, freshTypes);
                System.arraycopy(fresh, 0, contribution, chunk * STRIDE, STRIDE);
                countedAs[chunk * 2] = freshTypes[0];
                countedAs[chunk * 2 + 1] = freshTypes[1];
                apply(chunk, 1);
            }
            dirty[i] = 0;
        }
        anyDirty = false;
    }

    /** Adds (sign 1) or takes out (sign -1) a chunk's recorded contribution. */
    private void apply(int chunk, int sign) {
        int off = chunk * STRIDE;
        for (int half = 0; half < 2; half++) {
            int mt = countedAs[chunk * 2 + half];
            for (int order = 0; order < ORDERS; order++) {
                int n = contribution[off + half * ORDERS + order];
                if (n != 0) {
                    count[order * MT + mt] += sign * n;
                    nrFree[order] += sign * n;
                }
            }
        }
    }

    /**
     * The blocks of one chunk as they are in the bitmap now: per pageblock (first, then second)
     * the number of blocks of each order (order 10, if the chunk is one block, counted in the first
     * pageblock), and the migratetype of each pageblock (0 for one without free frames).
     */
    void decompose(int chunk, short[] out, byte[] types) {
        Arrays.fill(out, (short) 0);
        int firstWord = chunk * CHUNK_WORDS;
        int wholePageblocks = 0;
        for (int half = 0; half < 2; half++) {
            int w0 = firstWord + half * PAGEBLOCK_WORDS;
            types[half] = (byte) countHalf(w0);
            wholePageblocks += runs[PAGEBLOCK_ORDER];
            for (int order = 0; order < PAGEBLOCK_ORDER; order++) {
                out[half * ORDERS + order] = (short) (runs[order] - 2 * runs[order + 1]);
            }
            out[half * ORDERS + PAGEBLOCK_ORDER] = (short) runs[PAGEBLOCK_ORDER];
        }
        if (wholePageblocks == 2 && mergeable(types[0], types[1])) {
            out[PAGEBLOCK_ORDER] = 0;
            out[ORDERS + PAGEBLOCK_ORDER] = 0;
            out[MAX_ORDER] = 1;
        }
    }

    /**
     * Fills {@link #runs} with the aligned all-free runs of each order up to 9 in the pageblock
     * starting at word {@code w0}; returns the pageblock's migratetype, or 0 if nothing in it is
     * free (the pageblock may then lie outside the frame table).
     */
    private int countHalf(int w0) {
        Arrays.fill(runs, 0);
        int fullWords = 0;
        int firstFree = -1;
        for (int i = 0; i < PAGEBLOCK_WORDS; i++) {
            long x = map[w0 + i];
            if (x == 0) {
                continue;
            }
            if (firstFree < 0) {
                firstFree = ((w0 + i) << 6) + Long.numberOfTrailingZeros(x);
            }
            if (x == -1L) {
                fullWords |= 1 << i;
            }
            WordRuns.countRuns(x, runs);
        }
        if (firstFree < 0) {
            return 0;
        }
        // orders 7, 8, 9: aligned pairs, fours and the eight of whole words
        int pairs = fullWords & fullWords >>> 1;
        runs[WordRuns.WORD_ORDER + 1] = Integer.bitCount(pairs & 0x55);
        int quads = pairs & pairs >>> 2;
        runs[WordRuns.WORD_ORDER + 2] = Integer.bitCount(quads & 0x11);
        runs[PAGEBLOCK_ORDER] = fullWords == 0xff ? 1 : 0;
        return pageblockType(ft, base + firstFree);
    }

    /**
     * The migratetype of the pageblock holding a frame whose bit is set; 0 for a pfn outside the
     * frame table (only a corrupted bitmap has one, and {@link BitmapCheck} reports it).
     */
    static int pageblockType(FrameTable ft, long pfn) {
        return pfn >= ft.startPfn() && pfn < ft.endPfn() ? ft.pageblockMigratetype(pfn) : 0;
    }

    /**
     * {@code migratetype_is_mergeable} as {@code __free_one_page} applies it at pageblock order:
     * two free pageblocks merge if their types are equal or both are per-CPU types.
     */
    private static boolean mergeable(int mt1, int mt2) {
        return mt1 == mt2 || (MigrateType.isMergeable(mt1) && MigrateType.isMergeable(mt2));
    }

    /**
     * The counts recomputed from scratch, {@code [order * MIGRATE_TYPES + migratetype]}, without
     * touching the cache: what {@link BitmapCheck} compares the cache with.
     */
    long[] recount() {
        long[] out = new long[ORDERS * MT];
        short[] blocks = new short[STRIDE];
        byte[] types = new byte[2];
        for (int chunk = 0; chunk < map.length / CHUNK_WORDS; chunk++) {
            decompose(chunk, blocks, types);
            for (int half = 0; half < 2; half++) {
                for (int order = 0; order < ORDERS; order++) {
                    out[order * MT + types[half]] += blocks[half * ORDERS + order];
                }
            }
        }
        return out;
    }

    /** The cached counts, brought up to date, {@code [order * MIGRATE_TYPES + migratetype]}. */
    long[] counts() {
        refresh();
        return count.clone();
    }
}

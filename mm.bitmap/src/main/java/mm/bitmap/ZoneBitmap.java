package mm.bitmap;

import java.util.Arrays;
import java.util.function.IntPredicate;
import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;

/**
 * One zone's free frames as a bitmap: bit i set means frame {@code base + i} is free. It is the
 * old bootmem allocator's {@code bootmem_data} turned around ({@code node_bootmem_map} set a bit
 * for a reserved frame): the map, the search hint ({@code hint_idx}), and the counters the zone
 * must show: {@code NR_FREE_PAGES}, and {@code NR_FREE_PAGES_BLOCKS} from a count of free frames
 * per pageblock.
 *
 * <p>The map starts at the zone's first pfn rounded down to 1024 and ends rounded up, so that
 * word boundaries are pfn alignments and each pageblock is 8 whole words; bits outside the zone,
 * of holes and of reserved frames stay clear. Frames of MIGRATE_ISOLATE pageblocks are set when
 * free but, as {@code account_freepages} has it, not counted and never handed out.
 *
 * <p>Its monitor is the zone's lock ({@code zone->lock}): every method is called holding it.
 */
final class ZoneBitmap {

    /** What {@link #allocRun} returns when no run fits. */
    static final long NO_RUN = FrameAllocator.NO_PAGE;
    private static final int PAGEBLOCK_ORDER = Machine.PAGEBLOCK_ORDER;
    private static final int PAGEBLOCK_NR_PAGES = Machine.PAGEBLOCK_NR_PAGES;
    private static final int ISOLATE = MigrateType.ISOLATE.ordinal();

    final Zone zone;
    /** The pfn of bit 0, a multiple of 1024. */
    final long base;
    /** The bitmap, whole chunks of 1024 frames. */
    final long[] map;
    /** Free frames per pageblock (bit set, isolated pageblocks included). */
    final short[] pageblockFree;
    /** The blocks a buddy allocator would see, for /proc/buddyinfo. */
    final FreeBlockCounts blocks;
    private final FrameTable ft;
    /** {@code hint_idx}: every word below it is 0, so a search starts there. */
    int hintIdx;

    ZoneBitmap(Zone zone, FrameTable ft) {
        this.zone = zone;
        this.ft = ft;
        long chunk = FreeBlockCounts.CHUNK_PAGES;
        if (zone.spannedPages() == 0) {
            base = 0;
            map = new long[0];
        } else {
            base = zone.startPfn() & -chunk;
            long end = (zone.endPfn() + chunk - 1) & -chunk;
            map = new long[Math.toIntExact((end - base) >>> 6)];
        }
        pageblockFree = new short[map.length / FreeBlockCounts.PAGEBLOCK_WORDS];
        blocks = new FreeBlockCounts(map, base, ft);
    }

    /** Forgets every free frame (before an adoption). */
    void reset() {
        Arrays.fill(map, 0);
        Arrays.fill(pageblockFree, (short) 0);
        blocks.reset();
        hintIdx = 0;
    }

    /**
     * First fit ({@code alloc_bootmem_bdata}): takes the lowest aligned run of 2<sup>order</sup>
     * free frames outside isolated pageblocks, and counts it out.
     *
     * @return its first pfn, or {@link #NO_RUN}
     */
    long allocRun(int order) {
        int from = advanceHint();
        while (true) {
            int idx = FirstFit.findNextArea(map, from, order);
            if (idx < 0) {
                return NO_RUN;
            }
            long pfn = base + idx;
            if (!isolated(pfn, order)) {
                bitmapClear(idx, order);
                accountFreepages(idx, order, -1);
                return pfn;
            }
            // skip the isolated pageblock(s): the search goes on at the next one
            int pageblocks = order > PAGEBLOCK_ORDER ? 2 : 1;
            from = ((idx >>> PAGEBLOCK_ORDER) + pageblocks) * FreeBlockCounts.PAGEBLOCK_WORDS;
        }
    }

    /** Takes back a block: its bits set, its frames counted in ({@code free_bootmem_core}). */
    void freeRun(long pfn, int order) {
        int idx = (int) (pfn - base);
        bitmapSet(idx, order);
        accountFreepages(idx, order, 1);
        int word = idx >>> 6;
        if (word < hintIdx) {
            hintIdx = word;
        }
    }

    /** Moves {@link #hintIdx} past words with nothing free; returns it. */
    private int advanceHint() {
        int w = hintIdx;
        while (w < map.length && map[w] == 0) {
            w++;
        }
        hintIdx = w;
        return w;
    }

    /** True if the block lies in a MIGRATE_ISOLATE pageblock (an order-10 block: in either of its two). */
    private boolean isolated(long pfn, int order) {
        if (ft.pageblockMigratetype(pfn) == ISOLATE) {
            return true;
        }
        return order > PAGEBLOCK_ORDER && ft.pageblockMigratetype(pfn + PAGEBLOCK_NR_PAGES) == ISOLATE;
    }

    /** lib/bitmap.c's {@code bitmap_set}: the block's frames become free. */
    private void bitmapSet(int idx, int order) {
        int word = idx >>> 6;
        if (order < WordRuns.WORD_ORDER) {
            map[word] |= WordRuns.runMask(idx & 63, order);
        } else {
            Arrays.fill(map, word, word + (1 << (order - WordRuns.WORD_ORDER)), -1L);
        }
        blocks.markDirty(word);
    }

    /** lib/bitmap.c's {@code bitmap_clear}: the block's frames are taken. */
    private void bitmapClear(int idx, int order) {
        int word = idx >>> 6;
        if (order < WordRuns.WORD_ORDER) {
            map[word] &= ~WordRuns.runMask(idx & 63, order);
        } else {
            Arrays.fill(map, word, word + (1 << (order - WordRuns.WORD_ORDER)), 0L);
        }
        blocks.markDirty(word);
    }

    /**
     * {@code account_freepages}: {@code sign * 2^order} frames in or out of NR_FREE_PAGES (not
     * those of isolated pageblocks), pageblock by pageblock; a pageblock that becomes or stops
     * being wholly free moves its 512 frames in or out of NR_FREE_PAGES_BLOCKS.
     */
    private void accountFreepages(int idx, int order, int sign) {
        int perPageblock = 1 << Math.min(order, PAGEBLOCK_ORDER);
        int pageblocks = order > PAGEBLOCK_ORDER ? 1 << (order - PAGEBLOCK_ORDER) : 1;
        long freePages = 0;
        long blockPages = 0;
        for (int i = 0; i < pageblocks; i++) {
            int pb = (idx >>> PAGEBLOCK_ORDER) + i;
            int before = pageblockFree[pb];
            int after = before + sign * perPageblock;
            pageblockFree[pb] = (short) after;
            if (ft.pageblockMigratetype(base + idx + ((long) i << PAGEBLOCK_ORDER)) == ISOLATE) {
                continue;
            }
            freePages += sign * perPageblock;
            if (before == PAGEBLOCK_NR_PAGES) {
                blockPages -= PAGEBLOCK_NR_PAGES;
            }
            if (after == PAGEBLOCK_NR_PAGES) {
                blockPages += PAGEBLOCK_NR_PAGES;
            }
        }
        zone.modState(ZoneStat.NR_FREE_PAGES, freePages);
        if (blockPages != 0) {
            zone.modState(ZoneStat.NR_FREE_PAGES_BLOCKS, blockPages);
        }
    }

    /**
     * Takes, for compaction, the largest aligned run of free frames that starts at {@code pfn}, of
     * order {@code maxOrder} at most ({@code __isolate_free_page}: a bitmap knows no free blocks,
     * only free frames).
     *
     * @param allowed whether a run of an order may be taken (the zone's min watermark)
     * @return the run's order; -1 if the frame is not free or lies in an isolated pageblock; -2 if
     *     {@code allowed} refused
     */
    int isolateRun(long pfn, int maxOrder, IntPredicate allowed) {
        if (!isSet(pfn) || isolated(pfn, 0)) {
            return -1;
        }
        int idx = (int) (pfn - base);
        int order = Math.min(maxOrder, Long.numberOfTrailingZeros(pfn));
        while (order > 0 && !runFree(idx, order)) {
            order--;
        }
        if (!allowed.test(order)) {
            return -2;
        }
        bitmapClear(idx, order);
        accountFreepages(idx, order, -1);
        return order;
    }

    /** True if every frame of the aligned run of 2^order frames at bit {@code idx} is free. */
    private boolean runFree(int idx, int order) {
        int word = idx >>> 6;
        if (order < WordRuns.WORD_ORDER) {
            long mask = WordRuns.runMask(idx & 63, order);
            return (map[word] & mask) == mask;
        }
        for (int w = word; w < word + (1 << (order - WordRuns.WORD_ORDER)); w++) {
            if (map[w] != -1L) {
                return false;
            }
        }
        return true;
    }

    /** True if the frame's bit is set. */
    boolean isSet(long pfn) {
        long i = pfn - base;
        return i >= 0 && i < (long) map.length << 6 && (map[(int) (i >>> 6)] & 1L << i) != 0;
    }
}

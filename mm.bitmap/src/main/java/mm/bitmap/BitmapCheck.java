package mm.bitmap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.core.page.FrameState;

/**
 * The bitmap allocator's invariants for one zone, checked against the frame table: a bit is set
 * exactly for the frames that are free by the frame-table conventions (not a hole, not reserved,
 * not inside an allocated block), and no free frame carries PG_buddy or PG_pcp; the per-pageblock
 * counts match the bitmap; the set bits of pageblocks that are not isolated add up to
 * NR_FREE_PAGES, and the wholly free ones to NR_FREE_PAGES_BLOCKS; no bit is set below the search
 * hint; the cached block counts equal a fresh decomposition. Consecutive frames broken the same
 * way make one line; at most {@link #MAX_LINES} lines a zone name frames.
 */
final class BitmapCheck {

    /** Lines about frames and pageblocks per zone before the rest is summed up. */
    static final int MAX_LINES = 20;
    private static final int ISOLATE = MigrateType.ISOLATE.ordinal();
    private static final int MT = MigrateType.MIGRATE_TYPES;

    private final FrameTable ft;
    private final ZoneBitmap zb;
    private final Zone zone;
    private final List<String> problems;
    /** Open runs of frames broken the same way: what is wrong → {first pfn, last pfn}. */
    private final Map<String, long[]> open = new LinkedHashMap<>();
    private int lines;
    private long more;

    BitmapCheck(FrameTable ft, ZoneBitmap zb, List<String> problems) {
        this.ft = ft;
        this.zb = zb;
        this.zone = zb.zone;
        this.problems = problems;
    }

    /** Adds a line for each broken invariant of the zone. */
    void check() {
        if (zone.spannedPages() == 0) {
            return;
        }
        checkFrames();
        for (Map.Entry<String, long[]> e : open.entrySet()) {
            line(e.getValue(), e.getKey());
        }
        checkPageblocksAndCounters();
        if (more > 0) {
            problems.add(String.format("%s: and %d more frames or pageblocks like the above", zone, more));
        }
        checkHint();
        checkBlockCounts();
    }

    private static final int RESERVED = 1 << PageFlags.PG_reserved;
    private static final int ON_LISTS = (1 << PageFlags.PG_buddy) | (1 << PageFlags.PG_pcp);

    /**
     * Every frame the bitmap covers against the frame table, a word (64 frames) at a time: the
     * word the frame table implies is compared with the bitmap's; only a word that differs, or
     * holds a free frame with PG_buddy or PG_pcp, is gone through frame by frame to say what is
     * wrong. (The check runs inside a hand-over's pause: clean words must cost little.)
     */
    private void checkFrames() {
        long allocatedUntil = zb.base;
        long allocatedHead = -1;
        for (int w = 0; w < zb.map.length; w++) {
            long wordBase = zb.base + ((long) w << 6);
            long expected = 0;
            boolean flagged = false;
            long until = allocatedUntil;
            long head = allocatedHead;
            for (int b = 0; b < 64; b++) {
                long pfn = wordBase + b;
                if (pfn < until || !zone.spans(pfn) || !ft.pfnValid(pfn)) {
                    continue;
                }
                int f = ft.flags(pfn);
                if ((f & RESERVED) != 0) {
                    continue;
                }
                if (FrameState.isAllocatedHead(f, ft.refcount(pfn))) {
                    head = pfn;
                    until = pfn + blockFrames(pfn);
                    continue;
                }
                flagged |= (f & ON_LISTS) != 0;
                expected |= 1L << b;
            }
            if (expected != zb.map[w] || flagged) {
                checkWord(wordBase, allocatedUntil, allocatedHead);
            }
            allocatedUntil = until;
            allocatedHead = head;
        }
    }

    /** The frames of one word, each reported as wrong as it is. */
    private void checkWord(long wordBase, long allocatedUntil, long allocatedHead) {
        long until = allocatedUntil;
        long head = allocatedHead;
        for (long pfn = wordBase; pfn < wordBase + 64; pfn++) {
            if (pfn < until) {
                expectClear(pfn, inBlock(head));
            } else if (!zone.spans(pfn)) {
                expectClear(pfn, "outside the zone");
            } else if (!ft.pfnValid(pfn)) {
                expectClear(pfn, "in a hole");
            } else if (ft.test(pfn, PageFlags.PG_reserved)) {
                expectClear(pfn, "reserved");
            } else if (FrameState.isAllocatedHead(ft, pfn)) {
                head = pfn;
                until = pfn + blockFrames(pfn);
                expectClear(pfn, inBlock(head));
            } else {
                checkFreeFrame(pfn);
            }
        }
    }

    /** How many frames an allocated block covers: 1 if its order is impossible. */
    private long blockFrames(long head) {
        int order = ft.order(head);
        boolean sane = order <= FrameAllocator.MAX_PAGE_ORDER && (head & ((1L << order) - 1)) == 0
                && head + (1L << order) <= zone.endPfn();
        return sane ? 1L << order : 1;
    }

    private String inBlock(long head) {
        return String.format("in the allocated order-%d block at 0x%x", ft.order(head), head);
    }

    private void checkFreeFrame(long pfn) {
        if (!zb.isSet(pfn)) {
            report(pfn, "free in the frame table but clear in the bitmap");
        }
        if (ft.test(pfn, PageFlags.PG_buddy)) {
            report(pfn, "free but marked PG_buddy, which only a buddy allocator's free lists use");
        }
        if (ft.test(pfn, PageFlags.PG_pcp)) {
            report(pfn, "free but marked PG_pcp, which only per-CPU lists use");
        }
    }

    private void expectClear(long pfn, String what) {
        if (zb.isSet(pfn)) {
            report(pfn, "set in the bitmap but " + what);
        }
    }

    /** Extends the open run of this kind, or starts one (reporting the previous). */
    private void report(long pfn, String what) {
        long[] run = open.get(what);
        if (run != null && run[1] == pfn - 1) {
            run[1] = pfn;
            return;
        }
        if (run != null) {
            line(run, what);
        }
        open.put(what, new long[] {pfn, pfn});
    }

    private void line(long[] run, String what) {
        if (lines >= MAX_LINES) {
            more++;
            return;
        }
        lines++;
        problems.add(run[0] == run[1]
                ? String.format("%s: pfn 0x%x is %s", zone, run[0], what)
                : String.format("%s: pfns 0x%x-0x%x are %s", zone, run[0], run[1], what));
    }

    /** Per-pageblock counts against the bitmap; the zone's counters against the sums. */
    private void checkPageblocksAndCounters() {
        long free = 0;
        long wholeBlocks = 0;
        for (int pb = 0; pb < zb.pageblockFree.length; pb++) {
            int w0 = pb * FreeBlockCounts.PAGEBLOCK_WORDS;
            int bits = 0;
            int first = -1;
            for (int w = w0; w < w0 + FreeBlockCounts.PAGEBLOCK_WORDS; w++) {
                bits += Long.bitCount(zb.map[w]);
                if (first < 0 && zb.map[w] != 0) {
                    first = (w << 6) + Long.numberOfTrailingZeros(zb.map[w]);
                }
            }
            long pfn = zb.base + ((long) pb << Machine.PAGEBLOCK_ORDER);
            if (bits != zb.pageblockFree[pb]) {
                if (lines < MAX_LINES) {
                    lines++;
                    problems.add(String.format("%s: pageblock at pfn 0x%x has %d free frames in the bitmap but counts %d",
                            zone, pfn, bits, zb.pageblockFree[pb]));
                } else {
                    more++;
                }
            }
            if (bits > 0 && FreeBlockCounts.pageblockType(ft, zb.base + first) != ISOLATE) {
                free += bits;
                if (bits == Machine.PAGEBLOCK_NR_PAGES) {
                    wholeBlocks += bits;
                }
            }
        }
        long nrFree = zone.state(ZoneStat.NR_FREE_PAGES);
        if (free != nrFree) {
            problems.add(String.format("%s: the bitmap holds %d free frames but NR_FREE_PAGES is %d", zone, free, nrFree));
        }
        long nrBlocks = zone.state(ZoneStat.NR_FREE_PAGES_BLOCKS);
        if (wholeBlocks != nrBlocks) {
            problems.add(String.format("%s: the bitmap holds %d frames in wholly free pageblocks but NR_FREE_PAGES_BLOCKS is %d",
                    zone, wholeBlocks, nrBlocks));
        }
    }

    /** Nothing is free below the search hint, or first fit would miss it. */
    private void checkHint() {
        for (int w = 0; w < Math.min(zb.hintIdx, zb.map.length); w++) {
            if (zb.map[w] != 0) {
                problems.add(String.format("%s: pfn 0x%x is free below the search hint (pfn 0x%x)", zone,
                        zb.base + (w << 6) + Long.numberOfTrailingZeros(zb.map[w]), zb.base + ((long) zb.hintIdx << 6)));
                return;
            }
        }
    }

    /** The cached buddyinfo against a decomposition of the bitmap from scratch. */
    private void checkBlockCounts() {
        long[] cached = zb.blocks.counts();
        long[] fresh = zb.blocks.recount();
        for (int i = 0; i < cached.length; i++) {
            if (cached[i] != fresh[i]) {
                problems.add(String.format("%s: free_area[%d] counts %d %s blocks but the bitmap holds %d", zone, i / MT,
                        cached[i], MigrateType.of(i % MT).kernelName(), fresh[i]));
            }
        }
    }
}

package mm.hw.memmap;

import mm.api.machine.FrameTable;
import mm.api.machine.PageFlags;

/**
 * The frame table as primitive arrays: the simulator's {@code mem_map}.
 *
 * <p>Layout, 14 bytes a frame: {@code flags} (int: {@link PageFlags} in bits 0-21, order in
 * 22-25, zone in 26-28, node in 29-31, like the fields the kernel packs into {@code page->flags}),
 * {@code word0} (int: {@code _refcount}, or the next link while the frame is on a free list),
 * {@code word1} (int: {@code private}, or the previous link), {@code mapcount} (short). The
 * pageblock migratetypes take a byte per 512 frames. Owner, memcg and content token are in a
 * per-section extension (SECTION_SIZE_BITS = 27: 32768 frames) allocated on first write, the
 * kernel's {@code page_ext}.
 */
public final class MemMap implements FrameTable {

    static final int ORDER_SHIFT = PageFlags.NR_PAGEFLAGS;
    static final int ORDER_MASK = 0xf;
    static final int ZONE_SHIFT = ORDER_SHIFT + 4;
    static final int ZONE_MASK = 0x7;
    static final int NODE_SHIFT = ZONE_SHIFT + 3;
    static final int NODE_MASK = 0x7;
    static final int PAGEFLAGS_MASK = (1 << PageFlags.NR_PAGEFLAGS) - 1;

    /** PFN_SECTION_SHIFT: SECTION_SIZE_BITS (27) - PAGE_SHIFT. */
    static final int SECTION_SHIFT = 15;
    static final int SECTION_FRAMES = 1 << SECTION_SHIFT;

    private final long base;
    private final int nrFrames;
    private final int[] flags;
    private final int[] word0;
    private final int[] word1;
    private final short[] mapcount;
    private final byte[] pageblockMt;
    private final PageExt[] ext;
    private final boolean[] sectionPresent;

    /** Per-section extension arrays ({@code page_ext}). */
    private static final class PageExt {
        final int[] owner = new int[SECTION_FRAMES];
        final short[] memcg = new short[SECTION_FRAMES];
        final long[] token = new long[SECTION_FRAMES];

        void clear(int j) {
            owner[j] = 0;
            memcg[j] = 0;
        }
    }

    /**
     * A table for [startPfn, endPfn), every frame zeroed: flags 0, refcount 0, no links.
     *
     * @throws IllegalArgumentException if the range is empty or too large (pageblocks are counted
     *     from absolute pfns, so the start need not be pageblock aligned)
     */
    public MemMap(long startPfn, long endPfn) {
        long n = endPfn - startPfn;
        if (n <= 0 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("frame table range [" + startPfn + ", " + endPfn + ") is empty or too large");
        }
        this.base = startPfn;
        this.nrFrames = (int) n;
        this.flags = new int[nrFrames];
        this.word0 = new int[nrFrames];
        this.word1 = new int[nrFrames];
        this.mapcount = new short[nrFrames];
        this.pageblockMt = new byte[(int) ((n + 511) >>> 9) + 1];
        this.ext = new PageExt[(int) ((n + SECTION_FRAMES - 1) >>> SECTION_SHIFT)];
        this.sectionPresent = new boolean[ext.length];
    }

    /** Marks the memory section holding this pfn present ({@code memory_present}): it has RAM. */
    public void markSectionPresent(long pfn) {
        sectionPresent[idx(pfn) >>> SECTION_SHIFT] = true;
    }

    /** The array index of a pfn; small so that the JIT inlines it everywhere. */
    private int idx(long pfn) {
        long i = pfn - base;
        if (i < 0 || i >= nrFrames) {
            throw outOfRange(pfn);
        }
        return (int) i;
    }

    private IndexOutOfBoundsException outOfRange(long pfn) {
        return new IndexOutOfBoundsException("pfn " + pfn + " (0x" + Long.toHexString(pfn) + ") is outside the frame table [0x"
                + Long.toHexString(base) + ", 0x" + Long.toHexString(base + nrFrames) + ")");
    }

    @Override
    public long startPfn() {
        return base;
    }

    @Override
    public long endPfn() {
        return base + nrFrames;
    }

    @Override
    public boolean pfnValid(long pfn) {
        long i = pfn - base;
        return i >= 0 && i < nrFrames && sectionPresent[(int) i >>> SECTION_SHIFT];
    }

    @Override
    public int flags(long pfn) {
        return flags[idx(pfn)];
    }

    @Override
    public boolean test(long pfn, int bit) {
        return (flags[idx(pfn)] & (1 << bit)) != 0;
    }

    @Override
    public void set(long pfn, int bit) {
        flags[idx(pfn)] |= 1 << bit;
    }

    @Override
    public void clear(long pfn, int bit) {
        flags[idx(pfn)] &= ~(1 << bit);
    }

    @Override
    public int pageFlags(long pfn) {
        return flags[idx(pfn)] & PAGEFLAGS_MASK;
    }

    @Override
    public void setPageFlags(long pfn, int bits) {
        int i = idx(pfn);
        flags[i] = (flags[i] & ~PAGEFLAGS_MASK) | (bits & PAGEFLAGS_MASK);
    }

    @Override
    public void clearFrame(long pfn) {
        int i = idx(pfn);
        flags[i] &= (ZONE_MASK << ZONE_SHIFT) | (NODE_MASK << NODE_SHIFT);
        word0[i] = 0;
        word1[i] = 0;
        mapcount[i] = 0;
        PageExt e = ext[i >>> SECTION_SHIFT];
        if (e != null) {
            e.clear(i & (SECTION_FRAMES - 1));
        }
    }

    @Override
    public int zoneIndex(long pfn) {
        return (flags[idx(pfn)] >>> ZONE_SHIFT) & ZONE_MASK;
    }

    @Override
    public int nid(long pfn) {
        return (flags[idx(pfn)] >>> NODE_SHIFT) & NODE_MASK;
    }

    /** Sets the zone and node fields ({@code set_page_links}); boot does it once per frame. */
    public void setLinks(long pfn, int zoneIndex, int nid) {
        int i = idx(pfn);
        flags[i] = (flags[i] & ~((ZONE_MASK << ZONE_SHIFT) | (NODE_MASK << NODE_SHIFT)))
                | (zoneIndex << ZONE_SHIFT) | (nid << NODE_SHIFT);
    }

    @Override
    public int order(long pfn) {
        return (flags[idx(pfn)] >>> ORDER_SHIFT) & ORDER_MASK;
    }

    @Override
    public void setOrder(long pfn, int order) {
        if ((order & ~ORDER_MASK) != 0) {
            throw badOrder(order);
        }
        int i = idx(pfn);
        flags[i] = (flags[i] & ~(ORDER_MASK << ORDER_SHIFT)) | (order << ORDER_SHIFT);
    }

    private static IllegalArgumentException badOrder(int order) {
        return new IllegalArgumentException("order " + order + " does not fit the flags word (0 to 15)");
    }

    private static final int ON_FREE_LIST = (1 << PageFlags.PG_buddy) | (1 << PageFlags.PG_pcp);

    private boolean onFreeList(int i) {
        return (flags[i] & ON_FREE_LIST) != 0;
    }

    @Override
    public int refcount(long pfn) {
        int i = idx(pfn);
        return onFreeList(i) ? 0 : word0[i];
    }

    @Override
    public void setRefcount(long pfn, int count) {
        word0[idx(pfn)] = count;
    }

    @Override
    public int mapcount(long pfn) {
        return mapcount[idx(pfn)];
    }

    @Override
    public void setMapcount(long pfn, int count) {
        if (count < 0 || count > Short.MAX_VALUE) {
            throw new IllegalArgumentException("map count " + count + " is out of range: accepted are 0 to 32767");
        }
        mapcount[idx(pfn)] = (short) count;
    }

    @Override
    public int privateWord(long pfn) {
        int i = idx(pfn);
        return onFreeList(i) ? 0 : word1[i];
    }

    @Override
    public void setPrivate(long pfn, int value) {
        word1[idx(pfn)] = value;
    }

    @Override
    public int listNext(long pfn) {
        return word0[idx(pfn)];
    }

    @Override
    public int listPrev(long pfn) {
        return word1[idx(pfn)];
    }

    @Override
    public void setListLinks(long pfn, int next, int prev) {
        int i = idx(pfn);
        word0[i] = next;
        word1[i] = prev;
    }

    @Override
    public void setListNext(long pfn, int next) {
        word0[idx(pfn)] = next;
    }

    @Override
    public void setListPrev(long pfn, int prev) {
        word1[idx(pfn)] = prev;
    }

    @Override
    public int pageblockMigratetype(long pfn) {
        return pageblockMt[blockIdx(pfn)];
    }

    @Override
    public void setPageblockMigratetype(long pfn, int migratetype) {
        pageblockMt[blockIdx(pfn)] = (byte) migratetype;
    }

    /** Pageblocks are aligned to absolute pfns, so the table's base need not be pageblock aligned. */
    private int blockIdx(long pfn) {
        idx(pfn);
        return (int) ((pfn >>> 9) - (base >>> 9));
    }

    private PageExt extOrNull(long pfn) {
        return ext[idx(pfn) >>> SECTION_SHIFT];
    }

    private PageExt extFor(long pfn) {
        int s = idx(pfn) >>> SECTION_SHIFT;
        PageExt e = ext[s];
        if (e == null) {
            e = new PageExt();
            ext[s] = e;
        }
        return e;
    }

    private int extIdx(long pfn) {
        return (int) (pfn - base) & (SECTION_FRAMES - 1);
    }

    @Override
    public int owner(long pfn) {
        PageExt e = extOrNull(pfn);
        return e == null ? 0 : e.owner[extIdx(pfn)];
    }

    @Override
    public void setOwner(long pfn, int owner) {
        if (owner == 0 && extOrNull(pfn) == null) {
            return;
        }
        extFor(pfn).owner[extIdx(pfn)] = owner;
    }

    @Override
    public int memcg(long pfn) {
        PageExt e = extOrNull(pfn);
        return e == null ? 0 : Short.toUnsignedInt(e.memcg[extIdx(pfn)]);
    }

    @Override
    public void setMemcg(long pfn, int memcgId) {
        if (memcgId < 0 || memcgId > 0xffff) {
            throw new IllegalArgumentException("memcg id " + memcgId + " is out of range: accepted are 0 to 65535");
        }
        if (memcgId == 0 && extOrNull(pfn) == null) {
            return;
        }
        extFor(pfn).memcg[extIdx(pfn)] = (short) memcgId;
    }

    @Override
    public long contentToken(long pfn) {
        PageExt e = extOrNull(pfn);
        return e == null ? 0 : e.token[extIdx(pfn)];
    }

    @Override
    public void setContentToken(long pfn, long token) {
        if (token == 0 && extOrNull(pfn) == null) {
            return;
        }
        extFor(pfn).token[extIdx(pfn)] = token;
    }

    @Override
    public long heapBytes() {
        long arrays = 16L * 6 + 4L * nrFrames * 3 + 2L * nrFrames + pageblockMt.length + 4L * ext.length + sectionPresent.length;
        long extBytes = 0;
        for (PageExt e : ext) {
            if (e != null) {
                extBytes += 3 * 16L + SECTION_FRAMES * (4L + 2L + 8L);
            }
        }
        return arrays + extBytes;
    }
}

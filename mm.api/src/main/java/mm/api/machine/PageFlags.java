package mm.api.machine;

/**
 * Page flag bit numbers, after the kernel's {@code enum pageflags} (include/linux/page-flags.h)
 * and the page types kept in {@code page_type} ({@code PG_buddy}, {@code PG_slab},
 * {@code PG_table}). Use them with {@link FrameTable#test(long, int)}, {@link FrameTable#set(long, int)}
 * and {@link FrameTable#clear(long, int)}.
 *
 * <p>Only flags the simulator models are here; their numbering is the simulator's own (the kernel's
 * moves between versions). Names print as the kernel's {@code %pGp} does.
 */
public final class PageFlags {
    /** PG_locked: the page is locked for I/O. */
    public static final int PG_locked = 0;
    /** PG_referenced: accessed recently through a file descriptor or found referenced once. */
    public static final int PG_referenced = 1;
    /** PG_uptodate: the contents are valid. */
    public static final int PG_uptodate = 2;
    /** PG_dirty: must be written back before reclaim. */
    public static final int PG_dirty = 3;
    /** PG_lru: on an LRU list. */
    public static final int PG_lru = 4;
    /** PG_head: the first page of an allocated block of order &gt; 0 (a compound page's head). */
    public static final int PG_head = 5;
    /** PG_active: on the active LRU list. */
    public static final int PG_active = 6;
    /** PG_workingset: part of a workload's working set (refault detection). */
    public static final int PG_workingset = 7;
    /** PG_swapcache: in the swap cache (the kernel's PG_owner_priv_1 for swap-backed pages). */
    public static final int PG_swapcache = 8;
    /** PG_reserved: never handed to the page allocator (firmware, kernel image, holes, memmap). */
    public static final int PG_reserved = 9;
    /** PG_private: page_private holds filesystem or swap data. */
    public static final int PG_private = 10;
    /** PG_writeback: under writeback. */
    public static final int PG_writeback = 11;
    /** PG_reclaim: to be reclaimed as soon as writeback ends. */
    public static final int PG_reclaim = 12;
    /** PG_swapbacked: anonymous or shmem, backed by swap. */
    public static final int PG_swapbacked = 13;
    /** PG_unevictable: on the unevictable list. */
    public static final int PG_unevictable = 14;
    /** PG_mlocked: mapped by an mlocked VMA. */
    public static final int PG_mlocked = 15;
    /** Page type PG_buddy: heads a free block in the buddy allocator; its order is {@link FrameTable#order}. */
    public static final int PG_buddy = 16;
    /** Page type PG_slab: belongs to a slab. */
    public static final int PG_slab = 17;
    /** Page type PG_table: a page table page. */
    public static final int PG_table = 18;
    /** PG_isolated: taken off its list for migration or compaction. */
    public static final int PG_isolated = 19;
    /** PG_hwpoison: a memory error was found in this frame. */
    public static final int PG_hwpoison = 20;
    /**
     * The simulator's marker for a free block on a per-CPU page list (the kernel knows such pages
     * by their {@code page->pcp_list} membership); like PG_buddy, its order is {@link FrameTable#order}.
     */
    public static final int PG_pcp = 21;

    /** The number of flag bits; the rest of the flags word holds order, zone and node. */
    public static final int NR_PAGEFLAGS = 22;

    private static final String[] NAMES = {
        "locked", "referenced", "uptodate", "dirty", "lru", "head", "active", "workingset", "swapcache",
        "reserved", "private", "writeback", "reclaim", "swapbacked", "unevictable", "mlocked", "buddy",
        "slab", "table", "isolated", "hwpoison", "pcp"
    };

    private PageFlags() {
    }

    /** The kernel's name for a flag bit ({@code buddy}, {@code reserved}...). */
    public static String name(int bit) {
        return NAMES[bit];
    }

    /** The flag bits of a flags word as the kernel's {@code %pGp} prints them: {@code reserved|head}. */
    public static String format(int flagBits) {
        StringBuilder sb = new StringBuilder();
        for (int bit = 0; bit < NR_PAGEFLAGS; bit++) {
            if ((flagBits & (1 << bit)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(NAMES[bit]);
            }
        }
        return sb.toString();
    }
}

package mm.api.machine;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The frame table: one descriptor per page frame, the simulator's {@code mem_map} of
 * {@code struct page} (include/linux/mm_types.h). It belongs to the machine; subsystems read and
 * write it and keep their own indexes on the side, which they can rebuild from it.
 *
 * <p>Each frame has a flags word ({@link PageFlags} bits, plus the order, zone and node fields the
 * kernel also packs into {@code page->flags}), a reference count, a map count and a private word.
 * Like {@code struct page}, some words are shared: while a frame heads a free block
 * ({@link PageFlags#PG_buddy}) or sits on a per-CPU free list ({@link PageFlags#PG_pcp}), the reference count and private
 * words hold that list's links ({@link #listNext}, {@link #listPrev}), the kernel's
 * {@code page->buddy_list}; then {@link #refcount} reads 0 and {@link #privateWord} reads 0. Owner,
 * memcg and content token live in a per-section extension allocated on first use, the kernel's
 * {@code page_ext}. Every pfn-taking method throws {@link IndexOutOfBoundsException} for a pfn
 * outside [{@link #startPfn()}, {@link #endPfn()}).
 *
 * <p>The table is not synchronized: whoever owns a frame (the allocator holding its zone lock, the
 * holder of an allocated block) writes it.
 */
@ProviderType
public interface FrameTable {

    /** A list link that points nowhere. */
    int NO_PFN = -1;

    /** The first pfn the table covers (ARCH_PFN_OFFSET: 0 on x86_64, the RAM base on arm64). */
    long startPfn();

    /** One past the last pfn the table covers (max_pfn). */
    long endPfn();

    /**
     * True if the pfn has a descriptor ({@code pfn_valid}): it lies in a memory section (128 MiB)
     * that holds RAM. Holes inside such a section are valid and reserved.
     */
    boolean pfnValid(long pfn);

    /** The whole flags word; {@link PageFlags} bits are its low bits. */
    int flags(long pfn);

    /** Tests a {@link PageFlags} bit ({@code PageReserved(page)} and friends). */
    boolean test(long pfn, int bit);

    /** Sets a {@link PageFlags} bit ({@code __SetPageReserved}...). */
    void set(long pfn, int bit);

    /** Clears a {@link PageFlags} bit ({@code __ClearPageReserved}...). */
    void clear(long pfn, int bit);

    /** Just the {@link PageFlags} bits of the flags word, without order, zone and node. */
    int pageFlags(long pfn);

    /** Replaces all {@link PageFlags} bits at once, keeping order, zone and node. */
    void setPageFlags(long pfn, int bits);

    /**
     * Resets a frame as {@code free_pages_prepare} leaves it: no page flags, order 0, count 0, no
     * mappings, private 0, no owner, no memcg. Zone, node and the content token stay (freed
     * memory keeps its old contents until someone overwrites or zeroes it).
     */
    void clearFrame(long pfn);

    /** The zone index of the frame ({@code page_zonenum}), a {@link ZoneType} ordinal. */
    int zoneIndex(long pfn);

    /** The node of the frame ({@code page_to_nid}). */
    int nid(long pfn);

    /**
     * The order kept in the flags word: of the free block a {@link PageFlags#PG_buddy} frame heads
     * ({@code buddy_order}), or of the allocated block a frame heads ({@code folio_order}).
     */
    int order(long pfn);

    /** Sets the order field (0..15). */
    void setOrder(long pfn, int order);

    /** The reference count ({@code page_ref_count}); 0 for free frames. */
    int refcount(long pfn);

    /** Sets the reference count ({@code set_page_count}). */
    void setRefcount(long pfn, int count);

    /** The number of page-table mappings ({@code page_mapcount}); 0 when unmapped. At most 32767. */
    int mapcount(long pfn);

    /** Sets the number of mappings. */
    void setMapcount(long pfn, int count);

    /** The private word ({@code page_private}): swap entry, buffer data, slab index. */
    int privateWord(long pfn);

    /** Sets the private word ({@code set_page_private}). */
    void setPrivate(long pfn, int value);

    /** The next frame on the free list this frame is on, or {@link #NO_PFN}. */
    int listNext(long pfn);

    /** The previous frame on the free list this frame is on, or {@link #NO_PFN}. */
    int listPrev(long pfn);

    /** Sets both free-list links of the frame. */
    void setListLinks(long pfn, int next, int prev);

    /** Sets the next link. */
    void setListNext(long pfn, int next);

    /** Sets the previous link. */
    void setListPrev(long pfn, int prev);

    /** The migratetype of the pageblock holding this frame ({@code get_pageblock_migratetype}). */
    int pageblockMigratetype(long pfn);

    /** Sets the migratetype of the pageblock holding this frame ({@code set_pageblock_migratetype}). */
    void setPageblockMigratetype(long pfn, int migratetype);

    /**
     * Who holds the frame, as {@code page_owner} records it: a pid (&gt; 0), 0 for nobody, or one
     * of the {@link Owners} kernel users.
     */
    int owner(long pfn);

    /** Records who holds the frame. */
    void setOwner(long pfn, int owner);

    /** The memory cgroup id the frame is charged to ({@code folio_memcg}), 0 for none. */
    int memcg(long pfn);

    /** Records the memory cgroup id the frame is charged to (0..65535). */
    void setMemcg(long pfn, int memcgId);

    /**
     * An opaque token standing for the frame's contents; migration, swap-out and swap-in must carry
     * it with the data, so that tests can prove nothing was lost or mixed up.
     */
    long contentToken(long pfn);

    /** Sets the content token. */
    void setContentToken(long pfn, long token);

    /** Bytes of Java heap the table uses now, extensions included. */
    long heapBytes();
}

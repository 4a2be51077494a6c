package mm.api.machine;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * What compaction needs from the owner of movable pages: the kernel's
 * {@code struct movable_operations} (include/linux/migrate.h) for pages that are not on the LRU,
 * and the reverse-mapping walk ({@code rmap_walk}, {@code remove_migration_ptes}) that re-points
 * the mappings of LRU pages. An owner registers one with {@link Machine#registerMovableOps} for
 * the owner id it records in the frame table ({@link FrameTable#setOwner}); pages of owners
 * without one never move.
 *
 * <p>Migration of a block ({@code migrate_pages}): {@link #isolatePage} (the owner promises not to
 * free or use the block until told), then the page allocator copies the block's frames — flags,
 * counts, owner, charge and content token — to a free block of the same order and calls
 * {@link #migratePage}, after which the old block is free; or, if no free block was found,
 * {@link #putbackPage}. Calls come from the compacting CPU while the page allocator holds that
 * CPU's gate: a callback must not call the page allocator, nor wait for anything a caller of the
 * allocator may hold. An owner that frees its pages from other threads synchronises with the
 * callbacks, and waits for an isolated block to settle before freeing it.
 */
@ConsumerType
public interface MovableOps {

    /**
     * {@code isolate_movable_page} / {@code folio_isolate_lru}: may the block of {@code 2^order}
     * frames at {@code pfn}, which the frame table says this owner holds, move now?
     *
     * @return true if isolated: the owner will not touch it until {@link #migratePage} or
     *     {@link #putbackPage}
     */
    boolean isolatePage(long pfn, int order);

    /**
     * {@code migrate_folio} / {@code movable_operations.migrate_page}: the block's frames were copied
     * from {@code src} to {@code dst}; from now on the owner holds {@code dst}, and {@code src} is
     * freed by the caller.
     */
    void migratePage(long src, long dst, int order);

    /** {@code putback_movable_pages}: the isolated block did not move; the owner holds it again. */
    void putbackPage(long pfn, int order);
}

package mm.api.reclaim;

/**
 * Swap totals, in pages.
 *
 * @param totalPages all swap space ({@code total_swap_pages} + in use)
 * @param freePages unused slots
 * @param cachedPages pages in the swap cache
 */
public record SwapInfo(long totalPages, long freePages, long cachedPages) {
}

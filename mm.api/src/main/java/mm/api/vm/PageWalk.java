package mm.api.vm;

import java.util.List;

/**
 * The result of walking page tables for one address: each level's name, index and entry, down to
 * the last level reached.
 *
 * @param addr the virtual address
 * @param levels from the top level (PGD) down
 * @param pfn the mapped frame, or -1 if the walk ended at a missing entry
 */
public record PageWalk(long addr, List<Level> levels, long pfn) {

    /** Copies the levels. */
    public PageWalk {
        levels = List.copyOf(levels);
    }

    /**
     * One level of the walk.
     *
     * @param name {@code pgd}, {@code p4d}, {@code pud}, {@code pmd}, {@code pte} (x86_64) or {@code L0}..{@code L3} (arm64)
     * @param index the index into that level's table
     * @param entry the entry's raw value
     */
    public record Level(String name, int index, long entry) {
    }
}

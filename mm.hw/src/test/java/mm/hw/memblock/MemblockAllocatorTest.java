package mm.hw.memblock;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import mm.api.machine.MemblockRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * memblock against the expectations of the kernel's own user-space suite
 * (tools/testing/memblock: tests/basic_api.c, tests/alloc_api.c), the 16 cases of
 * kernel-reference.md §1. Method names follow the kernel's test functions. The simulated "DRAM"
 * is {@link #MEM_SIZE} bytes at {@link #DRAM_BASE}, above the first page that memblock never hands
 * out; SMP_CACHE_BYTES is 64 here.
 *
 * <p>Parameterised tests run top-down ({@code false}) and bottom-up ({@code true}), like the
 * kernel's {@code run_top_down} / {@code run_bottom_up} wrappers.
 */
class MemblockAllocatorTest {

    static final long SZ_2 = 2;
    static final long SZ_8 = 8;
    static final long SZ_16 = 16;
    static final long SZ_64 = 64;
    static final long SZ_128 = 128;
    static final long SZ_256 = 256;
    static final long SZ_512 = 512;
    static final long SZ_1K = 1L << 10;
    static final long SZ_2K = 2L << 10;
    static final long SZ_4K = 4L << 10;
    static final long SZ_8K = 8L << 10;
    static final long SZ_16K = 16L << 10;
    static final long SZ_32K = 32L << 10;
    static final long SZ_64K = 64L << 10;
    static final long SZ_128K = 128L << 10;
    static final long SZ_1M = 1L << 20;
    static final long SZ_2M = 2L << 20;
    static final long SZ_4M = 4L << 20;
    static final long SZ_8M = 8L << 20;
    static final long SZ_16M = 16L << 20;
    static final long SZ_32M = 32L << 20;
    static final long SZ_64M = 64L << 20;
    static final long SZ_128M = 128L << 20;
    static final long SZ_256M = 256L << 20;
    static final long SZ_512M = 512L << 20;
    static final long SZ_1G = 1L << 30;
    static final long SZ_2G = 2L << 30;

    /** MEM_SIZE of tests/common.h. */
    static final long MEM_SIZE = SZ_32K;
    /** Where the dummy DRAM sits: page aligned and above PAGE_SIZE. */
    static final long DRAM_BASE = SZ_64K;
    static final long SMP_CACHE_BYTES = MemblockAllocator.SMP_CACHE_BYTES;

    private MemblockAllocator mb = new MemblockAllocator();

    /** {@code setup_memblock}: an empty memblock plus the 32 KiB DRAM. */
    private MemblockAllocator setupMemblock(boolean bottomUp) {
        mb = new MemblockAllocator();
        mb.setBottomUp(bottomUp);
        assertEquals(0, mb.memblockAdd(DRAM_BASE, MEM_SIZE));
        return mb;
    }

    private MemblockRegion mem(int i) {
        return mb.memoryType().region(i);
    }

    private MemblockRegion rsv(int i) {
        return mb.reservedType().region(i);
    }

    private static void assertRegion(long base, long size, MemblockRegion r) {
        assertEquals(base, r.base(), () -> "base of " + r);
        assertEquals(size, r.size(), () -> "size of " + r);
    }

    /** The invariants of a memblock type: sorted, non-overlapping, merged, total_size = Σ sizes. */
    private static void assertWellFormed(MemblockType t) {
        long sum = 0;
        List<MemblockRegion> regions = t.regions();
        assertEquals(t.cnt(), regions.size());
        for (int i = 0; i < regions.size(); i++) {
            MemblockRegion r = regions.get(i);
            assertTrue(r.size() > 0, () -> t.name() + " has an empty region " + r);
            sum += r.size();
            if (i > 0) {
                MemblockRegion p = regions.get(i - 1);
                assertTrue(p.end() <= r.base(), () -> t.name() + " regions overlap or are unsorted: " + p + " " + r);
                boolean mergeable = p.end() == r.base() && p.nid() == r.nid() && p.flags() == r.flags();
                assertFalse(mergeable, () -> t.name() + " left mergeable neighbours: " + p + " " + r);
            }
        }
        assertEquals(sum, t.totalSize(), () -> t.name() + ".total_size");
    }

    // ---- 1. initialisation ------------------------------------------------------------------

    @Test
    void memblockInitializationCheck() {
        MemblockAllocator m = new MemblockAllocator();
        assertEquals("memory", m.memoryType().name());
        assertEquals("reserved", m.reservedType().name());
        assertEquals(MemblockType.INIT_MEMBLOCK_REGIONS, m.memoryType().max());
        assertEquals(128, m.reservedType().max());
        // 6.7+: an empty type has cnt 0 and a zeroed placeholder in regions[0]
        assertEquals(0, m.memoryType().cnt());
        assertEquals(0, m.reservedType().cnt());
        assertRegion(0, 0, m.memoryType().region(0));
        assertEquals(MemblockRegion.NO_NODE, m.memoryType().region(0).nid());
        assertFalse(m.bottomUp());
        assertEquals(MemblockAllocator.MEMBLOCK_ALLOC_ANYWHERE, m.currentLimit());
        assertEquals(0, m.memorySize());
        assertEquals(0, m.reservedSize());
    }

    // ---- 2./3. add ------------------------------------------------------------------------------

    @Test
    void memblockAddSimpleCheck() {
        mb.memblockAdd(SZ_1G, SZ_4M);
        assertRegion(SZ_1G, SZ_4M, mem(0));
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_4M, mb.memorySize());
        assertEquals(MemblockRegion.NO_NODE, mem(0).nid());
        assertEquals(MemblockRegion.MEMBLOCK_NONE, mem(0).flags());
    }

    @Test
    void memblockAddNodeSimpleCheck() {
        mb.memblockAddNode(SZ_1M, SZ_16M, 1, MemblockRegion.MEMBLOCK_HOTPLUG);
        assertRegion(SZ_1M, SZ_16M, mem(0));
        assertEquals(1, mem(0).nid());
        assertEquals(MemblockRegion.MEMBLOCK_HOTPLUG, mem(0).flags());
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_16M, mb.memorySize());
    }

    @Test
    void memblockAddDisjointCheck() {
        mb.memblockAdd(SZ_1G, SZ_8K);
        mb.memblockAdd(SZ_1G + SZ_16K, SZ_8K);
        assertRegion(SZ_1G, SZ_8K, mem(0));
        assertRegion(SZ_1G + SZ_16K, SZ_8K, mem(1));
        assertEquals(2, mb.memoryType().cnt());
        assertEquals(SZ_16K, mb.memorySize());
    }

    @Test
    void memblockAddDisjointOutOfOrderIsSorted() {
        mb.memblockAdd(SZ_1G + SZ_16K, SZ_8K);
        mb.memblockAdd(SZ_1G, SZ_8K);
        assertRegion(SZ_1G, SZ_8K, mem(0));
        assertRegion(SZ_1G + SZ_16K, SZ_8K, mem(1));
        assertWellFormed(mb.memoryType());
    }

    // ---- 4./5./6. add overlaps -----------------------------------------------------------------

    @Test
    void memblockAddOverlapTopCheck() {
        long r1Base = SZ_512M;
        long r1Size = SZ_1G;
        long r2Base = SZ_256M;
        long total = (r1Base - r2Base) + r1Size;
        mb.memblockAdd(r1Base, r1Size);
        mb.memblockAdd(r2Base, SZ_512M);
        assertRegion(r2Base, total, mem(0));
        assertEquals(1280 * SZ_1M, total);
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(total, mb.memorySize());
    }

    @Test
    void memblockAddOverlapBottomCheck() {
        long r1Base = SZ_128M;
        long r2Base = SZ_256M;
        long r2Size = SZ_1G;
        long total = (r2Base - r1Base) + r2Size;
        mb.memblockAdd(r1Base, SZ_512M);
        mb.memblockAdd(r2Base, r2Size);
        assertRegion(r1Base, total, mem(0));
        assertEquals(1152 * SZ_1M, total);
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(total, mb.memorySize());
    }

    @Test
    void memblockAddWithinCheck() {
        mb.memblockAdd(SZ_8M, SZ_32M);
        mb.memblockAdd(SZ_16M, SZ_1M);
        assertRegion(SZ_8M, SZ_32M, mem(0));
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_32M, mb.memorySize());
    }

    @Test
    void memblockAddTwiceCheck() {
        mb.memblockAdd(SZ_16K, SZ_2M);
        mb.memblockAdd(SZ_16K, SZ_2M);
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_2M, mb.memorySize());
    }

    @Test
    void memblockAddBetweenFillsOnlyTheGapAndMergesAll() {
        mb.memblockAdd(SZ_1M, SZ_1M);
        mb.memblockAdd(SZ_4M, SZ_1M);
        // spans both and the gap between: only [2M, 4M) and [5M, 6M) are new bytes
        mb.memblockAdd(SZ_1M, 5 * SZ_1M);
        assertEquals(1, mb.memoryType().cnt());
        assertRegion(SZ_1M, 5 * SZ_1M, mem(0));
        assertEquals(5 * SZ_1M, mb.memorySize());
    }

    @Test
    void memblockAddZeroSizeIsNoOp() {
        assertEquals(0, mb.memblockAdd(SZ_1M, 0));
        assertEquals(0, mb.memoryType().cnt());
        assertEquals(0, mb.memorySize());
    }

    @Test
    void memblockAddNearMaxCheck() {
        // memblock_cap_size: base + size may not pass PHYS_ADDR_MAX
        long base = MemblockAllocator.PHYS_ADDR_MAX - SZ_1M;
        mb.memblockAdd(base, SZ_2M);
        assertRegion(base, SZ_1M, mem(0));
        assertEquals(SZ_1M, mb.memorySize());
    }

    @Test
    void memblockAddDifferentNodesDoNotMerge() {
        mb.memblockAddNode(SZ_1M, SZ_1M, 0, 0);
        mb.memblockAddNode(SZ_2M, SZ_1M, 1, 0);
        mb.memblockAddNode(3 * SZ_1M, SZ_1M, 1, MemblockRegion.MEMBLOCK_HOTPLUG);
        assertEquals(3, mb.memoryType().cnt());
        assertEquals(3 * SZ_1M, mb.memorySize());
        assertWellFormed(mb.memoryType());
    }

    // ---- 7. reserve ---------------------------------------------------------------------------

    @Test
    void memblockReserveSimpleCheck() {
        mb.memblockReserve(SZ_2G, SZ_128M);
        assertRegion(SZ_2G, SZ_128M, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_128M, mb.reservedSize());
        assertEquals(0, mb.memoryType().cnt(), "reserving does not add memory");
    }

    @Test
    void memblockReserveDisjointCheck() {
        mb.memblockReserve(SZ_256M, SZ_16M);
        mb.memblockReserve(SZ_512M, SZ_512M);
        assertRegion(SZ_256M, SZ_16M, rsv(0));
        assertRegion(SZ_512M, SZ_512M, rsv(1));
        assertEquals(2, mb.reservedType().cnt());
        assertEquals(SZ_16M + SZ_512M, mb.reservedSize());
    }

    @Test
    void memblockReserveOverlapTopCheck() {
        mb.memblockReserve(SZ_1G, SZ_1G);
        mb.memblockReserve(SZ_128M, SZ_1G);
        // [128M, 2G) as one region
        assertRegion(SZ_128M, SZ_2G - SZ_128M, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_2G - SZ_128M, mb.reservedSize());
    }

    @Test
    void memblockReserveOverlapBottomCheck() {
        mb.memblockReserve(SZ_2K, SZ_128K);
        mb.memblockReserve(SZ_128K, SZ_128K);
        assertRegion(SZ_2K, 254 * SZ_1K, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(254 * SZ_1K, mb.reservedSize());
    }

    @Test
    void memblockReserveWithinCheck() {
        mb.memblockReserve(SZ_1M, SZ_8M);
        mb.memblockReserve(SZ_2M, SZ_64K);
        assertRegion(SZ_1M, SZ_8M, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_8M, mb.reservedSize());
    }

    @Test
    void memblockReserveTwiceCheck() {
        mb.memblockReserve(SZ_16K, SZ_2M);
        mb.memblockReserve(SZ_16K, SZ_2M);
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_2M, mb.reservedSize());
    }

    // ---- 8./9./10. remove ---------------------------------------------------------------------

    @Test
    void memblockRemoveSimpleCheck() {
        mb.memblockAdd(SZ_2K, SZ_4K);
        mb.memblockAdd(SZ_128K, SZ_4M);
        mb.memblockRemove(SZ_2K, SZ_4K);
        assertRegion(SZ_128K, SZ_4M, mem(0));
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_4M, mb.memorySize());
    }

    @Test
    void memblockRemoveAbsentCheck() {
        mb.memblockAdd(SZ_512 * SZ_1K, SZ_4M);
        assertEquals(0, mb.memblockRemove(SZ_64M, SZ_1G));
        assertRegion(SZ_512 * SZ_1K, SZ_4M, mem(0));
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_4M, mb.memorySize());
    }

    @Test
    void memblockRemoveFromEmptyIsNoOp() {
        assertEquals(0, mb.memblockRemove(SZ_1M, SZ_1M));
        assertEquals(0, mb.memoryType().cnt());
        assertEquals(0, mb.memorySize());
        assertRegion(0, 0, mem(0));
    }

    @Test
    void memblockRemoveOverlapTopCheck() {
        mb.memblockAdd(SZ_32M, SZ_32M);
        mb.memblockRemove(SZ_16M, SZ_32M);
        assertRegion(SZ_16M + SZ_32M, SZ_16M, mem(0));
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_16M, mb.memorySize());
    }

    @Test
    void memblockRemoveOverlapBottomCheck() {
        mb.memblockAdd(SZ_2M, SZ_64M);
        mb.memblockRemove(SZ_32M, SZ_256M);
        // [2M, 32M)
        assertRegion(SZ_2M, SZ_32M - SZ_2M, mem(0));
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_32M - SZ_2M, mb.memorySize());
    }

    @Test
    void memblockRemoveWithinCheck() {
        mb.memblockAdd(SZ_1M, SZ_32M);
        mb.memblockRemove(SZ_16M, SZ_1M);
        // [1M, 16M) and [17M, 33M)
        assertRegion(SZ_1M, 15 * SZ_1M, mem(0));
        assertRegion(17 * SZ_1M, 16 * SZ_1M, mem(1));
        assertEquals(2, mb.memoryType().cnt());
        assertEquals(31 * SZ_1M, mb.memorySize());
    }

    @Test
    void memblockRemoveEverythingLeavesZeroedPlaceholder() {
        mb.memblockAddNode(SZ_1M, SZ_1M, 3, MemblockRegion.MEMBLOCK_MIRROR);
        mb.memblockRemove(0, SZ_64M);
        assertEquals(0, mb.memoryType().cnt());
        assertEquals(0, mb.memorySize());
        MemblockRegion placeholder = mem(0);
        assertRegion(0, 0, placeholder);
        assertEquals(0, placeholder.flags());
        assertEquals(MemblockRegion.NO_NODE, placeholder.nid());
        // and the next add takes the empty-array path again
        mb.memblockAdd(SZ_4M, SZ_1M);
        assertRegion(SZ_4M, SZ_1M, mem(0));
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(SZ_1M, mb.memorySize());
    }

    @Test
    void memblockRemoveAcrossSeveralRegions() {
        mb.memblockAdd(SZ_1M, SZ_1M);
        mb.memblockAdd(3 * SZ_1M, SZ_1M);
        mb.memblockAdd(5 * SZ_1M, SZ_1M);
        // cut the top half of the first, all of the second, the bottom half of the third
        mb.memblockRemove(SZ_1M + SZ_512 * SZ_1K, 4 * SZ_1M);
        assertEquals(2, mb.memoryType().cnt());
        assertRegion(SZ_1M, SZ_512 * SZ_1K, mem(0));
        assertRegion(5 * SZ_1M + SZ_512 * SZ_1K, SZ_512 * SZ_1K, mem(1));
        assertEquals(SZ_1M, mb.memorySize());
    }

    // ---- 11. free (memblock_phys_free on reserved) ---------------------------------------------

    @Test
    void memblockFreeSimpleCheck() {
        mb.memblockReserve(SZ_4M, SZ_1M);
        mb.memblockReserve(SZ_8M, SZ_1M);
        mb.memblockPhysFree(SZ_4M, SZ_1M);
        assertRegion(SZ_8M, SZ_1M, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_1M, mb.reservedSize());
    }

    @Test
    void memblockFreeAbsentCheck() {
        mb.memblockReserve(SZ_2M, SZ_8K);
        assertEquals(0, mb.memblockPhysFree(SZ_16M, SZ_128M));
        assertRegion(SZ_2M, SZ_8K, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_8K, mb.reservedSize());
    }

    @Test
    void memblockFreeOverlapTopCheck() {
        mb.memblockReserve(SZ_8M, SZ_32M);
        mb.memblockPhysFree(SZ_1M, SZ_8M);
        // [9M, 40M)
        assertRegion(9 * SZ_1M, 31 * SZ_1M, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(31 * SZ_1M, mb.reservedSize());
    }

    @Test
    void memblockFreeOverlapBottomCheck() {
        mb.memblockReserve(SZ_8M, SZ_32M);
        mb.memblockPhysFree(SZ_32M, SZ_32M);
        assertRegion(SZ_8M, SZ_32M - SZ_8M, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_32M - SZ_8M, mb.reservedSize());
    }

    @Test
    void memblockFreeWithinCheck() {
        mb.memblockReserve(SZ_1M, SZ_8M);
        mb.memblockPhysFree(SZ_4M, SZ_1M);
        assertRegion(SZ_1M, 3 * SZ_1M, rsv(0));
        assertRegion(5 * SZ_1M, 4 * SZ_1M, rsv(1));
        assertEquals(2, mb.reservedType().cnt());
        assertEquals(7 * SZ_1M, mb.reservedSize());
    }

    @Test
    void memblockFreeDoesNotTouchMemory() {
        mb.memblockAdd(SZ_1M, SZ_8M);
        mb.memblockReserve(SZ_1M, SZ_8M);
        mb.memblockPhysFree(SZ_1M, SZ_8M);
        assertEquals(0, mb.reservedType().cnt());
        assertEquals(0, mb.reservedSize());
        assertRegion(SZ_1M, SZ_8M, mem(0));
        assertEquals(SZ_8M, mb.memorySize());
    }

    // ---- 12./13./14. top-down allocation -------------------------------------------------------

    @Test
    void allocTopDownSimpleCheck() {
        setupMemblock(false);
        long expected = mb.endOfDram() - SMP_CACHE_BYTES;
        long got = mb.memblockAlloc(SZ_2, SMP_CACHE_BYTES);
        assertEquals(expected, got);
        assertRegion(expected, SZ_2, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_2, mb.reservedSize());
    }

    @Test
    void allocTopDownDisjointCheck() {
        setupMemblock(false);
        long r1Base = mb.endOfDram() - SZ_2;
        long alignment = SMP_CACHE_BYTES * 2;
        mb.memblockReserve(r1Base, SZ_2);
        long got = mb.memblockAlloc(SZ_16, alignment);
        assertEquals(mb.endOfDram() - alignment, got);
        // the array is sorted, so the new region is reserved[0] and the old one moved to [1]
        assertRegion(mb.endOfDram() - alignment, SZ_16, rsv(0));
        assertRegion(r1Base, SZ_2, rsv(1));
        assertEquals(2, mb.reservedType().cnt());
        assertEquals(SZ_2 + SZ_16, mb.reservedSize());
    }

    @Test
    void allocTopDownBeforeCheck() {
        setupMemblock(false);
        long r1Size = SMP_CACHE_BYTES;
        long r2Size = SZ_512;
        long total = r1Size + r2Size;
        // r1 ends on an aligned address, so the allocation lands right above it and merges
        mb.memblockReserve(mb.endOfDram() - total, r1Size);
        long got = mb.memblockAlloc(r2Size, SMP_CACHE_BYTES);
        assertEquals(mb.endOfDram() - r2Size, got);
        assertRegion(mb.endOfDram() - total, total, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(total, mb.reservedSize());
    }

    @Test
    void allocTopDownAfterCheck() {
        setupMemblock(false);
        long r1Base = mb.endOfDram() - SMP_CACHE_BYTES;
        long r1Size = SZ_8;
        long r2Size = SZ_512;
        mb.memblockReserve(r1Base, r1Size);
        long got = mb.memblockAlloc(r2Size, SMP_CACHE_BYTES);
        assertEquals(r1Base - r2Size, got);
        assertRegion(r1Base - r2Size, r1Size + r2Size, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(r1Size + r2Size, mb.reservedSize());
    }

    @Test
    void allocTopDownSecondFitCheck() {
        setupMemblock(false);
        long r1Base = mb.endOfDram() - SZ_512;
        long r2Base = r1Base - SZ_512;
        long r2Size = SZ_256;
        long r3Size = SZ_1K;
        mb.memblockReserve(r1Base, SZ_512);
        mb.memblockReserve(r2Base, r2Size);
        long got = mb.memblockAlloc(r3Size, SMP_CACHE_BYTES);
        // the 256-byte gap between r2 and r1 is too small: the block goes below r2 and merges with it
        assertEquals(r2Base - r3Size, got);
        assertRegion(r2Base - r3Size, r2Size + r3Size, rsv(0));
        assertRegion(r1Base, SZ_512, rsv(1));
        assertEquals(2, mb.reservedType().cnt());
        assertEquals(SZ_512 + r2Size + r3Size, mb.reservedSize());
    }

    /**
     * {@code alloc_in_between_generic_check}: the only gap that fits, aligned, lies between two
     * reserved blocks; the allocation fills it and the three merge. With SMP_CACHE_BYTES = 64 the
     * kernel's own layout would leave an aligned 64-byte gap at the edge of DRAM too, so the edge
     * gaps here are half a cache line, too small in both directions.
     */
    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocInBetweenGenericCheck(boolean bottomUp) {
        setupMemblock(bottomUp);
        long start = mb.startOfDram();
        long end = mb.endOfDram();
        long edgeGap = SMP_CACHE_BYTES / 2;
        long r3Size = SZ_64;
        long r2Base = start + edgeGap;
        long r2Size = SZ_16K - edgeGap;
        long r1Base = r2Base + r2Size + r3Size;
        long r1Size = end - edgeGap - r1Base;
        mb.memblockReserve(r1Base, r1Size);
        mb.memblockReserve(r2Base, r2Size);
        long got = mb.memblockAlloc(r3Size, SMP_CACHE_BYTES);
        assertEquals(r2Base + r2Size, got);
        assertRegion(r2Base, r1Size + r2Size + r3Size, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(r1Size + r2Size + r3Size, mb.reservedSize());
    }

    // ---- 15. allocation failures and the exact fit ---------------------------------------------

    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocSmallGapsGenericCheck(boolean bottomUp) {
        setupMemblock(bottomUp);
        long regionSize = SZ_1K;
        long gapSize = SZ_256;
        long regionEnd = mb.startOfDram();
        while (regionEnd < mb.endOfDram()) {
            mb.memblockReserve(regionEnd + gapSize, regionSize);
            regionEnd += gapSize + regionSize;
        }
        int cnt = mb.reservedType().cnt();
        long size = mb.reservedSize();
        assertEquals(0, mb.memblockAlloc(regionSize, SMP_CACHE_BYTES));
        assertEquals(cnt, mb.reservedType().cnt(), "a failed allocation reserves nothing");
        assertEquals(size, mb.reservedSize());
    }

    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocAllReservedGenericCheck(boolean bottomUp) {
        setupMemblock(bottomUp);
        mb.memblockReserve(mb.startOfDram(), MEM_SIZE);
        assertEquals(0, mb.memblockAlloc(SZ_256, SMP_CACHE_BYTES));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(MEM_SIZE, mb.reservedSize());
    }

    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocNoSpaceGenericCheck(boolean bottomUp) {
        setupMemblock(bottomUp);
        long available = SZ_256;
        mb.memblockReserve(mb.startOfDram(), MEM_SIZE - available);
        assertEquals(0, mb.memblockAlloc(SZ_1K, SMP_CACHE_BYTES));
        assertEquals(MEM_SIZE - available, mb.reservedSize());
    }

    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocLimitedSpaceGenericCheck(boolean bottomUp) {
        setupMemblock(bottomUp);
        long available = SZ_256;
        mb.memblockReserve(mb.startOfDram(), MEM_SIZE - available);
        long got = mb.memblockAlloc(available, SMP_CACHE_BYTES);
        assertEquals(mb.endOfDram() - available, got);
        assertRegion(mb.startOfDram(), MEM_SIZE, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(MEM_SIZE, mb.reservedSize());
    }

    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocNoMemoryGenericCheck(boolean bottomUp) {
        mb = new MemblockAllocator();
        mb.setBottomUp(bottomUp);
        assertEquals(0, mb.memblockAlloc(SZ_1K, SMP_CACHE_BYTES));
        assertRegion(0, 0, rsv(0));
        assertEquals(0, mb.reservedType().cnt());
        assertEquals(0, mb.reservedSize());
    }

    // ---- 16. bottom-up allocation --------------------------------------------------------------

    @Test
    void allocBottomUpSimpleCheck() {
        setupMemblock(true);
        long got = mb.memblockAlloc(SZ_2, SMP_CACHE_BYTES);
        assertEquals(mb.startOfDram(), got);
        assertRegion(mb.startOfDram(), SZ_2, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(SZ_2, mb.reservedSize());
    }

    @Test
    void allocBottomUpDisjointCheck() {
        setupMemblock(true);
        long r1Base = mb.startOfDram() + SZ_2;
        long alignment = SMP_CACHE_BYTES * 2;
        mb.memblockReserve(r1Base, SZ_2);
        long got = mb.memblockAlloc(SZ_16, alignment);
        assertEquals(mb.startOfDram() + alignment, got);
        assertRegion(r1Base, SZ_2, rsv(0));
        assertRegion(mb.startOfDram() + alignment, SZ_16, rsv(1));
        assertEquals(2, mb.reservedType().cnt());
        assertEquals(SZ_2 + SZ_16, mb.reservedSize());
    }

    @Test
    void allocBottomUpBeforeCheck() {
        setupMemblock(true);
        long r1Size = SZ_512;
        long r2Size = SZ_128;
        mb.memblockReserve(mb.startOfDram() + r1Size, r2Size);
        long got = mb.memblockAlloc(r1Size, SMP_CACHE_BYTES);
        assertEquals(mb.startOfDram(), got);
        assertRegion(mb.startOfDram(), r1Size + r2Size, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(r1Size + r2Size, mb.reservedSize());
    }

    @Test
    void allocBottomUpAfterCheck() {
        setupMemblock(true);
        long r1Base = mb.startOfDram() + SMP_CACHE_BYTES;
        long r1Size = SZ_64;
        long r2Size = SZ_512;
        mb.memblockReserve(r1Base, r1Size);
        long got = mb.memblockAlloc(r2Size, SMP_CACHE_BYTES);
        assertEquals(r1Base + r1Size, got);
        assertRegion(r1Base, r1Size + r2Size, rsv(0));
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(r1Size + r2Size, mb.reservedSize());
    }

    @Test
    void allocBottomUpSecondFitCheck() {
        setupMemblock(true);
        long r1Base = mb.startOfDram();
        long r1Size = SZ_512;
        long r2Base = r1Base + r1Size + SZ_512;
        long r2Size = SZ_256;
        long r3Size = SZ_1K;
        mb.memblockReserve(r1Base, r1Size);
        mb.memblockReserve(r2Base, r2Size);
        long got = mb.memblockAlloc(r3Size, SMP_CACHE_BYTES);
        assertEquals(r2Base + r2Size, got);
        assertRegion(r1Base, r1Size, rsv(0));
        assertRegion(r2Base, r2Size + r3Size, rsv(1));
        assertEquals(2, mb.reservedType().cnt());
        assertEquals(r1Size + r2Size + r3Size, mb.reservedSize());
    }

    // ---- find/alloc details ----------------------------------------------------------------------

    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocNeverReturnsTheFirstPage(boolean bottomUp) {
        mb = new MemblockAllocator();
        mb.setBottomUp(bottomUp);
        mb.memblockAdd(0, 2 * MemblockAllocator.PAGE_SIZE);
        long got = mb.memblockAlloc(MemblockAllocator.PAGE_SIZE, MemblockAllocator.PAGE_SIZE);
        assertEquals(MemblockAllocator.PAGE_SIZE, got);
        assertEquals(0, mb.memblockAlloc(MemblockAllocator.PAGE_SIZE, MemblockAllocator.PAGE_SIZE),
                "page 0 is never handed out");
    }

    @Test
    void allocWithZeroAlignUsesSmpCacheBytes() {
        setupMemblock(false);
        long got = mb.memblockAlloc(SZ_2, 0);
        assertEquals(mb.endOfDram() - SMP_CACHE_BYTES, got);
    }

    @ParameterizedTest(name = "bottomUp={0}")
    @ValueSource(booleans = {false, true})
    void allocPhysRangeStaysInsideTheRange(boolean bottomUp) {
        setupMemblock(bottomUp);
        long lo = mb.startOfDram() + SZ_8K;
        long hi = mb.startOfDram() + SZ_16K;
        long got = mb.memblockPhysAllocRange(SZ_1K, SZ_1K, lo, hi);
        assertEquals(bottomUp ? lo : hi - SZ_1K, got);
        assertTrue(mb.isRegionReserved(got, SZ_1K));
    }

    @Test
    void allocTryNidRetriesWithoutTheLowerLimit() {
        setupMemblock(false);
        // nothing fits above min_addr = end of DRAM, so memblock_alloc_internal retries from 0
        long got = mb.memblockAllocTryNid(SZ_1K, SMP_CACHE_BYTES, mb.endOfDram(), MemblockAllocator.MEMBLOCK_ALLOC_ACCESSIBLE,
                MemblockAllocator.NUMA_NO_NODE);
        assertEquals(mb.endOfDram() - SZ_1K, got);
    }

    @Test
    void allocTryNidStaysBelowTheCurrentLimit() {
        setupMemblock(false);
        long limit = mb.startOfDram() + SZ_16K;
        mb.setCurrentLimit(limit);
        long accessible = mb.memblockAllocTryNid(SZ_1K, SMP_CACHE_BYTES, 0, MemblockAllocator.MEMBLOCK_ALLOC_ACCESSIBLE,
                MemblockAllocator.NUMA_NO_NODE);
        assertEquals(limit - SZ_1K, accessible);
        // memblock_alloc_internal caps max_addr at memblock.current_limit, also for ANYWHERE
        long anywhere = mb.memblockAllocTryNid(SZ_1K, SMP_CACHE_BYTES, 0, MemblockAllocator.MEMBLOCK_ALLOC_ANYWHERE,
                MemblockAllocator.NUMA_NO_NODE);
        assertEquals(limit - 2 * SZ_1K, anywhere);
        long exact = mb.memblockAllocExactNidRaw(SZ_1K, SMP_CACHE_BYTES, 0, MemblockAllocator.MEMBLOCK_ALLOC_ANYWHERE,
                MemblockAllocator.NUMA_NO_NODE);
        assertEquals(limit - 3 * SZ_1K, exact);
    }

    @Test
    void allocTryNidPrefersTheNodeAndFallsBackToAny() {
        mb.memblockAddNode(SZ_1M, SZ_1M, 0, 0);
        mb.memblockAddNode(SZ_2M, SZ_1M, 1, 0);
        long onNode0 = mb.memblockAllocTryNid(SZ_4K, SZ_4K, 0, MemblockAllocator.MEMBLOCK_ALLOC_ACCESSIBLE, 0);
        assertEquals(SZ_2M - SZ_4K, onNode0, "top of node 0, not of DRAM");
        // fill node 1, then ask for node 1 again: try_nid falls back, exact_nid does not
        mb.memblockReserve(SZ_2M, SZ_1M);
        long fallback = mb.memblockAllocTryNid(SZ_4K, SZ_4K, 0, MemblockAllocator.MEMBLOCK_ALLOC_ACCESSIBLE, 1);
        assertEquals(SZ_2M - 2 * SZ_4K, fallback);
        long exact = mb.memblockAllocExactNidRaw(SZ_4K, SZ_4K, 0, MemblockAllocator.MEMBLOCK_ALLOC_ACCESSIBLE, 1);
        assertEquals(0, exact);
    }

    @Test
    void freeRangesAreMemoryMinusReserved() {
        mb.memblockAddNode(SZ_1M, SZ_1M, 0, 0);
        mb.memblockAddNode(SZ_4M, SZ_1M, 1, 0);
        mb.memblockReserve(SZ_1M + SZ_64K, SZ_64K);
        mb.memblockReserve(SZ_2M - SZ_4K, SZ_2M + SZ_8K); // the top of node 0 up to 4M + 4K, into node 1
        List<MemblockAllocator.FreeRange> all = mb.freeRanges(MemblockAllocator.NUMA_NO_NODE, 0);
        assertEquals(List.of(
                new MemblockAllocator.FreeRange(SZ_1M, SZ_1M + SZ_64K, 0),
                new MemblockAllocator.FreeRange(SZ_1M + SZ_128K, SZ_2M - SZ_4K, 0),
                new MemblockAllocator.FreeRange(SZ_4M + SZ_4K, 5 * SZ_1M, 1)), all);
        assertEquals(List.of(new MemblockAllocator.FreeRange(SZ_4M + SZ_4K, 5 * SZ_1M, 1)),
                mb.freeRanges(1, 0));
    }

    @Test
    void nomapMemoryIsSkippedByAllocations() {
        setupMemblock(false);
        mb.memblockSetFlag(mb.endOfDram() - SZ_16K, SZ_16K, MemblockRegion.MEMBLOCK_NOMAP, true);
        assertEquals(2, mb.memoryType().cnt(), "marking splits the region");
        long got = mb.memblockAlloc(SZ_1K, SMP_CACHE_BYTES);
        assertEquals(mb.endOfDram() - SZ_16K - SZ_1K, got);
        mb.memblockSetFlag(mb.endOfDram() - SZ_16K, SZ_16K, MemblockRegion.MEMBLOCK_NOMAP, false);
        assertEquals(1, mb.memoryType().cnt(), "clearing the flag merges again");
        assertWellFormed(mb.memoryType());
    }

    // ---- memblock_set_node ----------------------------------------------------------------------

    @Test
    void memblockSetNodeSplitsAndMerges() {
        mb.memblockAdd(0, SZ_4M);
        mb.memblockSetNode(SZ_1M, SZ_1M, false, 1);
        assertEquals(3, mb.memoryType().cnt());
        assertEquals(new MemblockRegion(0, SZ_1M, 0, MemblockRegion.NO_NODE), mem(0));
        assertEquals(new MemblockRegion(SZ_1M, SZ_1M, 0, 1), mem(1));
        assertEquals(new MemblockRegion(SZ_2M, SZ_2M, 0, MemblockRegion.NO_NODE), mem(2));
        assertEquals(SZ_4M, mb.memorySize(), "splitting keeps total_size");

        mb.memblockSetNode(0, SZ_1M, false, 1);
        assertEquals(2, mb.memoryType().cnt());
        assertEquals(new MemblockRegion(0, SZ_2M, 0, 1), mem(0));

        mb.memblockSetNode(SZ_2M, SZ_2M, false, 1);
        assertEquals(1, mb.memoryType().cnt());
        assertEquals(new MemblockRegion(0, SZ_4M, 0, 1), mem(0));
        assertEquals(SZ_4M, mb.memorySize());
        assertWellFormed(mb.memoryType());
    }

    @Test
    void memblockSetNodeOnReservedAndAcrossHoles() {
        mb.memblockReserve(SZ_1M, SZ_1M);
        mb.memblockReserve(SZ_4M, SZ_1M);
        mb.memblockSetNode(0, SZ_4M + SZ_512 * SZ_1K, true, 2);
        assertEquals(3, mb.reservedType().cnt());
        assertEquals(new MemblockRegion(SZ_1M, SZ_1M, 0, 2), rsv(0));
        assertEquals(new MemblockRegion(SZ_4M, SZ_512 * SZ_1K, 0, 2), rsv(1));
        assertEquals(new MemblockRegion(SZ_4M + SZ_512 * SZ_1K, SZ_512 * SZ_1K, 0, MemblockRegion.NO_NODE), rsv(2));
        assertEquals(2 * SZ_1M, mb.reservedSize());
        assertEquals(0, mb.memoryType().cnt(), "memory untouched");
    }

    // ---- array doubling ---------------------------------------------------------------------------

    @Test
    void reserveManyRegionsWithoutResizeFails() {
        mb.memblockAdd(SZ_1M, SZ_64M);
        for (int i = 0; i < MemblockType.INIT_MEMBLOCK_REGIONS; i++) {
            assertEquals(0, mb.memblockReserve(SZ_1M + i * SZ_16K, SZ_4K));
        }
        assertEquals(128, mb.reservedType().cnt());
        assertEquals(-12, mb.memblockReserve(SZ_1M + 128 * SZ_16K, SZ_4K), "-ENOMEM before memblock_allow_resize");
        assertEquals(128, mb.reservedType().cnt());
        assertEquals(128, mb.reservedType().max());
        assertEquals(128 * SZ_4K, mb.reservedSize());
        // a range that only touches existing regions needs no new slot and still works
        assertEquals(0, mb.memblockReserve(SZ_1M, SZ_4K));
    }

    @Test
    void memblockReserveManyRegionsDoublesTheArray() {
        long end = SZ_1M + SZ_64M;
        mb.memblockAdd(SZ_1M, SZ_64M);
        mb.allowResize();
        int n = 129;
        for (int i = 0; i < n; i++) {
            assertEquals(0, mb.memblockReserve(SZ_1M + i * SZ_16K, SZ_4K));
        }
        MemblockType r = mb.reservedType();
        assertEquals(256, r.max());
        // the new array (256 * 24 bytes, page aligned: 8 KiB) came from memblock, top-down, and is reserved
        long arraySize = 8 * SZ_1K;
        assertEquals(n + 1, r.cnt());
        assertEquals(new MemblockRegion(end - arraySize, arraySize, 0, MemblockRegion.NO_NODE), r.region(n));
        assertEquals(n * SZ_4K + arraySize, r.totalSize());
        assertWellFormed(r);
        // every region asked for is there
        for (int i = 0; i < n; i++) {
            assertEquals(new MemblockRegion(SZ_1M + i * SZ_16K, SZ_4K, 0, MemblockRegion.NO_NODE), r.region(i));
        }
    }

    @Test
    void memblockDoubleArrayAvoidsTheRangeBeingReserved() {
        long end = SZ_1M + SZ_64M;
        mb.memblockAdd(SZ_1M, SZ_64M);
        mb.allowResize();
        for (int i = 0; i < MemblockType.INIT_MEMBLOCK_REGIONS; i++) {
            mb.memblockReserve(SZ_1M + i * SZ_16K, SZ_4K);
        }
        // the 129th region is the top of memory: the new array must not be taken from it
        assertEquals(0, mb.memblockReserve(end - SZ_64K, SZ_64K));
        MemblockType r = mb.reservedType();
        long arraySize = 8 * SZ_1K;
        assertEquals(128 * SZ_4K + SZ_64K + arraySize, r.totalSize(), "array and region are both reserved, apart");
        // found below the range, so the two touch and merge
        assertEquals(new MemblockRegion(end - SZ_64K - arraySize, SZ_64K + arraySize, 0, MemblockRegion.NO_NODE),
                r.region(r.cnt() - 1));
        assertEquals(129, r.cnt());
        assertWellFormed(r);
    }

    @Test
    void memblockReserveDoublesTwiceAndFreesTheOldArray() {
        long end = SZ_1M + SZ_64M;
        mb.memblockAdd(SZ_1M, SZ_64M);
        mb.allowResize();
        int n = 300;
        for (int i = 0; i < n; i++) {
            assertEquals(0, mb.memblockReserve(SZ_1M + i * SZ_16K, SZ_4K));
        }
        MemblockType r = mb.reservedType();
        assertEquals(512, r.max());
        long firstArray = 8 * SZ_1K; // PAGE_ALIGN(256 * 24)
        long secondArray = 12 * SZ_1K; // PAGE_ALIGN(512 * 24)
        // the second array was found below the first (still reserved then); the first was freed
        long secondBase = end - firstArray - secondArray;
        assertFalse(mb.isRegionReserved(end - firstArray, firstArray), "the replaced array is freed");
        assertEquals(new MemblockRegion(secondBase, secondArray, 0, MemblockRegion.NO_NODE), r.region(r.cnt() - 1));
        assertEquals(n + 1, r.cnt());
        assertEquals(n * SZ_4K + secondArray, r.totalSize());
        assertWellFormed(r);
    }

    @Test
    void memblockAddManyRegionsDoublesTheMemoryArray() {
        mb.allowResize();
        int n = 129;
        for (int i = 0; i < n; i++) {
            assertEquals(0, mb.memblockAdd(SZ_1M + i * SZ_32K, SZ_16K));
        }
        MemblockType m = mb.memoryType();
        assertEquals(256, m.max());
        assertEquals(n, m.cnt());
        assertEquals(n * SZ_16K, m.totalSize());
        assertWellFormed(m);
        // the new memory array was taken from the highest free memory at the time (region 127) and reserved
        long top127 = SZ_1M + 127 * SZ_32K + SZ_16K;
        assertEquals(1, mb.reservedType().cnt());
        assertEquals(new MemblockRegion(top127 - 8 * SZ_1K, 8 * SZ_1K, 0, MemblockRegion.NO_NODE), rsv(0));
    }

    // ---- bookkeeping against a model ------------------------------------------------------------

    /**
     * Random adds, removes, reserves and frees over a 64-unit address space, compared byte-range by
     * byte-range with a plain bitmap, and checked for the type invariants after every step.
     */
    @Test
    void totalSizeAndCoverageMatchABitmapModel() {
        final long unit = SZ_4K;
        final int units = 64;
        boolean[] memModel = new boolean[units];
        boolean[] rsvModel = new boolean[units];
        Random rnd = new Random(20260101L);
        for (int step = 0; step < 2000; step++) {
            int a = rnd.nextInt(units);
            int len = 1 + rnd.nextInt(Math.min(12, units - a));
            boolean mem = rnd.nextBoolean();
            boolean add = rnd.nextInt(3) != 0;
            int nid = rnd.nextInt(4) == 0 ? 1 : MemblockRegion.NO_NODE;
            boolean[] model = mem ? memModel : rsvModel;
            int rc;
            if (mem && add) {
                // regions of another node must not merge; the model tracks coverage only
                rc = nid == 1 ? mb.memblockAddNode(a * unit, len * unit, nid, 0) : mb.memblockAdd(a * unit, len * unit);
            } else if (mem) {
                rc = mb.memblockRemove(a * unit, len * unit);
            } else if (add) {
                rc = mb.memblockReserve(a * unit, len * unit);
            } else {
                rc = mb.memblockPhysFree(a * unit, len * unit);
            }
            assertEquals(0, rc);
            for (int u = a; u < a + len; u++) {
                model[u] = add;
            }
            assertWellFormed(mb.memoryType());
            assertWellFormed(mb.reservedType());
            assertArrayEquals(memModel, coverage(mb.memoryType(), unit, units), "memory after step " + step);
            assertArrayEquals(rsvModel, coverage(mb.reservedType(), unit, units), "reserved after step " + step);
        }
        assertNotEquals(0, mb.memorySize() + mb.reservedSize(), "the sequence should leave something behind");
    }

    private static boolean[] coverage(MemblockType t, long unit, int units) {
        boolean[] out = new boolean[units];
        List<MemblockRegion> regions = new ArrayList<>(t.regions());
        for (MemblockRegion r : regions) {
            assertEquals(0, r.base() % unit);
            assertEquals(0, r.size() % unit);
            for (long u = r.base() / unit; u < r.end() / unit; u++) {
                out[(int) u] = true;
            }
        }
        return out;
    }
}

package mm.hw.memblock;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.Memblock;
import mm.api.machine.MemblockRegion;

/**
 * memblock, the boot-time memory allocator (mm/memblock.c).
 *
 * <p>DOC (after the kernel's): memblock views the system memory as collections of contiguous
 * regions of two types: {@code memory} (physical memory available to the kernel) and
 * {@code reserved} (regions that were allocated or must not be used). Each collection is kept
 * sorted, non-overlapping and merged. The API families are: adding and removing memory
 * ({@link #memblockAdd}, {@link #memblockAddNode}, {@link #memblockRemove}), reserving and freeing
 * ({@link #memblockReserve}, {@link #memblockPhysFree}), and allocating
 * ({@link #memblockPhysAllocRange}, {@link #memblockAllocTryNid}), which searches the free ranges
 * (memory minus reserved) top-down, or bottom-up after {@link #setBottomUp}. At the end of boot
 * the free ranges are handed to the page allocator ({@code memblock_free_all}).
 *
 * <p>Addresses are non-negative longs; {@link #PHYS_ADDR_MAX} stands for the kernel's
 * {@code (phys_addr_t)~0}.
 */
public final class MemblockAllocator implements Memblock {

    /** PHYS_ADDR_MAX. */
    public static final long PHYS_ADDR_MAX = Long.MAX_VALUE;
    /** MEMBLOCK_ALLOC_ANYWHERE: no upper limit. */
    public static final long MEMBLOCK_ALLOC_ANYWHERE = PHYS_ADDR_MAX;
    /** MEMBLOCK_ALLOC_ACCESSIBLE: up to {@code current_limit}. */
    public static final long MEMBLOCK_ALLOC_ACCESSIBLE = 0;
    /** MEMBLOCK_LOW_LIMIT. */
    public static final long MEMBLOCK_LOW_LIMIT = 0;
    /** SMP_CACHE_BYTES (L1_CACHE_BYTES on x86_64 and arm64). */
    public static final long SMP_CACHE_BYTES = 64;
    /** PAGE_SIZE. */
    public static final long PAGE_SIZE = 4096;
    /** NUMA_NO_NODE. */
    public static final int NUMA_NO_NODE = -1;
    /** sizeof(struct memblock_region) with CONFIG_NUMA: base, size, flags, nid. */
    static final int REGION_BYTES = 24;

    private final MemblockType memory = new MemblockType("memory");
    private final MemblockType reserved = new MemblockType("reserved");
    private boolean bottomUp;
    private long currentLimit = MEMBLOCK_ALLOC_ANYWHERE;
    private boolean canResize;

    /** The {@code memory} type. */
    public MemblockType memoryType() {
        return memory;
    }

    /** The {@code reserved} type. */
    public MemblockType reservedType() {
        return reserved;
    }

    @Override
    public List<MemblockRegion> memory() {
        return memory.regions();
    }

    @Override
    public List<MemblockRegion> reserved() {
        return reserved.regions();
    }

    @Override
    public long memorySize() {
        return memory.totalSize;
    }

    @Override
    public long reservedSize() {
        return reserved.totalSize;
    }

    @Override
    public boolean bottomUp() {
        return bottomUp;
    }

    /** {@code memblock_set_bottom_up}. */
    public void setBottomUp(boolean enable) {
        bottomUp = enable;
    }

    /** {@code memblock.current_limit}. */
    public long currentLimit() {
        return currentLimit;
    }

    /** {@code memblock_set_current_limit}. */
    public void setCurrentLimit(long limit) {
        currentLimit = limit;
    }

    /** {@code memblock_allow_resize}: from now on full arrays are doubled with memory from memblock itself. */
    public void allowResize() {
        canResize = true;
    }

    /** {@code memblock_cap_size}: the size clipped so that base + size does not pass PHYS_ADDR_MAX. */
    static long capSize(long base, long size) {
        return Math.min(size, PHYS_ADDR_MAX - base);
    }

    /** {@code memblock_add}: adds memory without a node. */
    public int memblockAdd(long base, long size) {
        return memblockAddRange(memory, base, size, MemblockRegion.NO_NODE, MemblockRegion.MEMBLOCK_NONE);
    }

    /** {@code memblock_add_node}. */
    public int memblockAddNode(long base, long size, int nid, int flags) {
        return memblockAddRange(memory, base, size, nid, flags);
    }

    /** {@code memblock_reserve}. */
    public int memblockReserve(long base, long size) {
        return memblockAddRange(reserved, base, size, MemblockRegion.NO_NODE, MemblockRegion.MEMBLOCK_NONE);
    }

    /** {@code memblock_remove}: removes memory. */
    public int memblockRemove(long base, long size) {
        return memblockRemoveRange(memory, base, size);
    }

    /** {@code memblock_phys_free}: frees a reserved range. */
    public int memblockPhysFree(long base, long size) {
        return memblockRemoveRange(reserved, base, size);
    }

    /**
     * {@code memblock_add_range}: adds [base, base+size) to a type. Existing regions are never
     * changed; only the parts of the range they do not cover are inserted, then neighbours merge.
     * The first pass counts the new regions and grows the array if needed; the second inserts.
     *
     * @return 0, or -12 (ENOMEM) if the array could not grow
     */
    int memblockAddRange(MemblockType type, long obase, long sizeIn, int nid, int flags) {
        boolean insert = false;
        long size = capSize(obase, sizeIn);
        long end = obase + size;
        if (size == 0) {
            return 0;
        }
        if (type.size[0] == 0) {
            // the empty array: the region becomes regions[0]
            type.base[0] = obase;
            type.size[0] = size;
            type.flags[0] = flags;
            type.nid[0] = nid;
            type.totalSize = size;
            type.cnt = 1;
            return 0;
        }
        while (true) {
            long base = obase;
            int nrNew = 0;
            int startRgn = -1;
            int endRgn = -1;
            int idx = 0;
            for (; idx < type.cnt; idx++) {
                long rbase = type.base[idx];
                long rend = rbase + type.size[idx];
                if (rbase >= end) {
                    break;
                }
                if (rend <= base) {
                    continue;
                }
                if (rbase > base) {
                    nrNew++;
                    if (insert) {
                        if (startRgn == -1) {
                            startRgn = idx;
                        }
                        endRgn = idx + 1;
                        type.insert(idx++, base, rbase - base, nid, flags);
                    }
                }
                base = Math.min(rend, end);
            }
            if (base < end) {
                nrNew++;
                if (insert) {
                    if (startRgn == -1) {
                        startRgn = idx;
                    }
                    endRgn = idx + 1;
                    type.insert(idx, base, end - base, nid, flags);
                }
            }
            if (nrNew == 0) {
                return 0;
            }
            if (!insert) {
                while (type.cnt + nrNew > type.max) {
                    if (memblockDoubleArray(type, obase, size) < 0) {
                        return -12;
                    }
                }
                insert = true;
            } else {
                type.merge(startRgn, endRgn);
                return 0;
            }
        }
    }

    /**
     * {@code memblock_isolate_range}: splits regions so that [base, base+size) is covered by whole
     * regions only.
     *
     * @return {startRgn, endRgn} of those regions, or null if the array could not grow
     */
    int[] memblockIsolateRange(MemblockType type, long base, long sizeIn) {
        long size = capSize(base, sizeIn);
        long end = base + size;
        int startRgn = 0;
        int endRgn = 0;
        if (size == 0) {
            return new int[] {0, 0};
        }
        while (type.cnt + 2 > type.max) {
            if (memblockDoubleArray(type, base, size) < 0) {
                return null;
            }
        }
        for (int idx = 0; idx < type.cnt; idx++) {
            long rbase = type.base[idx];
            long rend = rbase + type.size[idx];
            if (rbase >= end) {
                break;
            }
            if (rend <= base) {
                continue;
            }
            if (rbase < base) {
                // the region intersects from below: split, the top half is processed next
                type.base[idx] = base;
                type.size[idx] -= base - rbase;
                type.totalSize -= base - rbase;
                type.insert(idx, rbase, base - rbase, type.nid[idx], type.flags[idx]);
            } else if (rend > end) {
                // the region intersects from above: split, redo the bottom half
                type.base[idx] = end;
                type.size[idx] -= end - rbase;
                type.totalSize -= end - rbase;
                type.insert(idx, rbase, end - rbase, type.nid[idx], type.flags[idx]);
                idx--;
            } else {
                if (endRgn == 0) {
                    startRgn = idx;
                }
                endRgn = idx + 1;
            }
        }
        return new int[] {startRgn, endRgn};
    }

    /** {@code memblock_remove_range}: isolates the range and deletes the regions in it. */
    int memblockRemoveRange(MemblockType type, long base, long size) {
        int[] r = memblockIsolateRange(type, base, size);
        if (r == null) {
            return -12;
        }
        for (int i = r[1] - 1; i >= r[0]; i--) {
            type.remove(i);
        }
        return 0;
    }

    /** {@code memblock_set_node}: assigns a node to a range of a type. */
    public int memblockSetNode(long base, long size, boolean reservedType, int nid) {
        MemblockType type = reservedType ? reserved : memory;
        int[] r = memblockIsolateRange(type, base, size);
        if (r == null) {
            return -12;
        }
        for (int i = r[0]; i < r[1]; i++) {
            type.nid[i] = nid;
        }
        type.merge(r[0], r[1]);
        return 0;
    }

    /** Marks a memory range with a flag ({@code memblock_mark_hotplug}, {@code memblock_mark_nomap}...). */
    public int memblockSetFlag(long base, long size, int flag, boolean set) {
        int[] r = memblockIsolateRange(memory, base, size);
        if (r == null) {
            return -12;
        }
        for (int i = r[0]; i < r[1]; i++) {
            memory.flags[i] = set ? memory.flags[i] | flag : memory.flags[i] & ~flag;
        }
        memory.merge(r[0], r[1]);
        return 0;
    }

    /**
     * {@code memblock_double_array}: doubles a type's array, taking the new array's memory from
     * memblock itself (it cannot overlap the range being added to {@code reserved}).
     *
     * @return 0, or -1 if resizing is not allowed yet or no memory is left for the new array
     */
    int memblockDoubleArray(MemblockType type, long newAreaStart, long newAreaSize) {
        if (!canResize) {
            return -1;
        }
        long oldSize = (long) type.max * REGION_BYTES;
        long newSize = oldSize << 1;
        long oldAllocSize = pageAlign(oldSize);
        long newAllocSize = pageAlign(newSize);
        long areaStart = newAreaStart;
        long areaSize = newAreaSize;
        if (type != reserved) {
            areaStart = 0;
            areaSize = 0;
        }
        long addr = memblockFindInRange(areaStart + areaSize, currentLimit, newAllocSize, PAGE_SIZE);
        if (addr == 0 && areaSize != 0) {
            addr = memblockFindInRange(0, Math.min(areaStart, currentLimit), newAllocSize, PAGE_SIZE);
        }
        if (addr == 0) {
            return -1;
        }
        long freeBase = type.allocated ? type.allocatedBase : -1;
        type.grow(type.max * 2);
        if (freeBase >= 0) {
            memblockPhysFree(freeBase, oldAllocSize);
        }
        type.allocated = true;
        type.allocatedBase = addr;
        type.allocatedSize = newAllocSize;
        if (memblockReserve(addr, newAllocSize) != 0) {
            throw new IllegalStateException("memblock: could not reserve the new " + type.name + " array");
        }
        return 0;
    }

    private static long pageAlign(long v) {
        return (v + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    /** A free range: memory minus reserved, with the memory region's node. */
    public record FreeRange(long start, long end, int nid) {
    }

    /**
     * The free ranges in ascending order ({@code for_each_free_mem_range}, {@code __next_mem_range}
     * over memory and reserved), filtered by node and flags as {@code should_skip_region} does.
     */
    public List<FreeRange> freeRanges(int nid, int flags) {
        List<FreeRange> out = new ArrayList<>();
        for (int a = 0; a < memory.cnt; a++) {
            long mStart = memory.base[a];
            long mEnd = mStart + memory.size[a];
            int mNid = memory.nid[a];
            if (shouldSkipRegion(memory.flags[a], mNid, nid, flags)) {
                continue;
            }
            for (int b = 0; b <= reserved.cnt; b++) {
                long rStart = b > 0 ? reserved.base[b - 1] + reserved.size[b - 1] : 0;
                long rEnd = b < reserved.cnt ? reserved.base[b] : PHYS_ADDR_MAX;
                if (rStart >= mEnd) {
                    break;
                }
                if (mStart < rEnd) {
                    long s = Math.max(mStart, rStart);
                    long e = Math.min(mEnd, rEnd);
                    if (s < e) {
                        out.add(new FreeRange(s, e, mNid));
                    }
                }
            }
        }
        return out;
    }

    private static boolean shouldSkipRegion(int mFlags, int mNid, int nid, int flags) {
        if (nid != NUMA_NO_NODE && nid != mNid) {
            return true;
        }
        if ((flags & MemblockRegion.MEMBLOCK_MIRROR) != 0 && (mFlags & MemblockRegion.MEMBLOCK_MIRROR) == 0) {
            return true;
        }
        if ((flags & MemblockRegion.MEMBLOCK_NOMAP) == 0 && (mFlags & MemblockRegion.MEMBLOCK_NOMAP) != 0) {
            return true;
        }
        return (flags & MemblockRegion.MEMBLOCK_DRIVER_MANAGED) == 0 && (mFlags & MemblockRegion.MEMBLOCK_DRIVER_MANAGED) != 0;
    }

    /** {@code memblock_find_in_range}: any node, no flags. */
    long memblockFindInRange(long start, long end, long size, long align) {
        return memblockFindInRangeNode(size, align, start, end, NUMA_NO_NODE, MemblockRegion.MEMBLOCK_NONE);
    }

    /**
     * {@code memblock_find_in_range_node}: finds a free, aligned range of {@code size} bytes within
     * [start, end) without reserving it. The first page is never returned.
     *
     * @return the base, or 0 if none fits
     */
    public long memblockFindInRangeNode(long size, long align, long startIn, long endIn, int nid, int flags) {
        long end = endIn == MEMBLOCK_ALLOC_ACCESSIBLE ? currentLimit : endIn;
        long start = Math.max(startIn, PAGE_SIZE);
        end = Math.max(start, end);
        return bottomUp ? findRangeBottomUp(start, end, size, align, nid, flags) : findRangeTopDown(start, end, size, align, nid, flags);
    }

    private long findRangeBottomUp(long start, long end, long size, long align, int nid, int flags) {
        for (FreeRange r : freeRanges(nid, flags)) {
            long thisStart = clamp(r.start(), start, end);
            long thisEnd = clamp(r.end(), start, end);
            long cand = roundUp(thisStart, align);
            if (cand < thisEnd && thisEnd - cand >= size) {
                return cand;
            }
        }
        return 0;
    }

    private long findRangeTopDown(long start, long end, long size, long align, int nid, int flags) {
        List<FreeRange> ranges = freeRanges(nid, flags);
        for (int i = ranges.size() - 1; i >= 0; i--) {
            FreeRange r = ranges.get(i);
            long thisStart = clamp(r.start(), start, end);
            long thisEnd = clamp(r.end(), start, end);
            if (thisEnd < size) {
                continue;
            }
            long cand = roundDown(thisEnd - size, align);
            if (cand >= thisStart) {
                return cand;
            }
        }
        return 0;
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(v, hi));
    }

    private static long roundUp(long v, long align) {
        return (v + align - 1) / align * align;
    }

    private static long roundDown(long v, long align) {
        return v / align * align;
    }

    /**
     * {@code memblock_alloc_range_nid}: finds and reserves; falls back to any node unless
     * {@code exactNid}, and from mirrored to any memory.
     *
     * @return the base, or 0 on failure
     */
    public long memblockAllocRangeNid(long size, long alignIn, long start, long end, int nid, boolean exactNid) {
        long align = alignIn == 0 ? SMP_CACHE_BYTES : alignIn;
        int flags = MemblockRegion.MEMBLOCK_NONE;
        long found = memblockFindInRangeNode(size, align, start, end, nid, flags);
        if (found != 0 && memblockReserve(found, size) == 0) {
            return found;
        }
        if (nid != NUMA_NO_NODE && !exactNid) {
            found = memblockFindInRangeNode(size, align, start, end, NUMA_NO_NODE, flags);
            if (found != 0 && memblockReserve(found, size) == 0) {
                return found;
            }
        }
        return 0;
    }

    /** {@code memblock_phys_alloc_range}: any node, within [start, end). */
    public long memblockPhysAllocRange(long size, long align, long start, long end) {
        return memblockAllocRangeNid(size, align, start, end, NUMA_NO_NODE, false);
    }

    /**
     * {@code memblock_alloc_try_nid} ({@code memblock_alloc_internal}): caps {@code maxAddr} at
     * {@code current_limit}, prefers {@code nid}, and retries from address 0 when nothing is found
     * above {@code minAddr}.
     *
     * @return the base, or 0 on failure
     */
    public long memblockAllocTryNid(long size, long align, long minAddr, long maxAddr, int nid) {
        return memblockAllocInternal(size, align, minAddr, maxAddr, nid, false);
    }

    /**
     * {@code memblock_alloc_internal}: unlike the {@code memblock_phys_alloc*} family, the
     * virtual-address allocators never go above {@code memblock.current_limit}.
     */
    private long memblockAllocInternal(long size, long align, long minAddr, long maxAddrIn, int nid, boolean exactNid) {
        long maxAddr = Math.min(maxAddrIn, currentLimit);
        long found = memblockAllocRangeNid(size, align, minAddr, maxAddr, nid, exactNid);
        if (found == 0 && minAddr != 0) {
            found = memblockAllocRangeNid(size, align, 0, maxAddr, nid, exactNid);
        }
        return found;
    }

    /**
     * {@code memblock_alloc_exact_nid_raw}: like {@link #memblockAllocTryNid} but only on
     * {@code nid}.
     *
     * @return the base, or 0 on failure
     */
    public long memblockAllocExactNidRaw(long size, long align, long minAddr, long maxAddr, int nid) {
        return memblockAllocInternal(size, align, minAddr, maxAddr, nid, true);
    }

    /** {@code memblock_alloc}: anywhere accessible, any node. */
    public long memblockAlloc(long size, long align) {
        return memblockAllocTryNid(size, align, MEMBLOCK_LOW_LIMIT, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
    }

    /** {@code memblock_start_of_DRAM}. */
    public long startOfDram() {
        return memory.base[0];
    }

    /** {@code memblock_end_of_DRAM}. */
    public long endOfDram() {
        int i = memory.cnt - 1;
        return i < 0 ? 0 : memory.base[i] + memory.size[i];
    }

    /** True if [base, base+size) lies entirely inside memory ({@code memblock_is_region_memory}). */
    public boolean isRegionMemory(long base, long size) {
        for (int i = 0; i < memory.cnt; i++) {
            if (base >= memory.base[i] && base + size <= memory.base[i] + memory.size[i]) {
                return true;
            }
        }
        return false;
    }

    /** True if [base, base+size) overlaps a reserved region ({@code memblock_is_region_reserved}). */
    public boolean isRegionReserved(long base, long size) {
        for (int i = 0; i < reserved.cnt; i++) {
            if (reserved.base[i] < base + size && base < reserved.base[i] + reserved.size[i]) {
                return true;
            }
        }
        return false;
    }
}

package mm.hw.memblock;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.MemblockRegion;

/**
 * One memblock region array ({@code struct memblock_type}, include/linux/memblock.h): regions kept
 * sorted by base, non-overlapping, with compatible neighbours merged; {@code cnt} regions in use
 * of {@code max} slots; {@code total_size} bytes covered.
 */
public final class MemblockType {

    /** INIT_MEMBLOCK_REGIONS: slots in the static arrays memblock starts with. */
    public static final int INIT_MEMBLOCK_REGIONS = 128;

    final String name;
    long[] base;
    long[] size;
    int[] flags;
    int[] nid;
    int cnt;
    int max;
    long totalSize;
    /** True once the array was reallocated from memblock itself (the initial array is static). */
    boolean allocated;
    long allocatedBase;
    long allocatedSize;

    MemblockType(String name) {
        this.name = name;
        this.max = INIT_MEMBLOCK_REGIONS;
        this.base = new long[max];
        this.size = new long[max];
        this.flags = new int[max];
        this.nid = new int[max];
        nid[0] = MemblockRegion.NO_NODE;
    }

    /** The name: {@code memory} or {@code reserved}. */
    public String name() {
        return name;
    }

    /** Regions in use ({@code cnt}). */
    public int cnt() {
        return cnt;
    }

    /** Slots ({@code max}). */
    public int max() {
        return max;
    }

    /** Bytes covered ({@code total_size}). */
    public long totalSize() {
        return totalSize;
    }

    /** Region {@code i}; {@code regions[0]} of an empty type is the zeroed placeholder. */
    public MemblockRegion region(int i) {
        if (i < 0 || i >= Math.max(cnt, 1)) {
            throw new IndexOutOfBoundsException("memblock." + name + " has " + cnt + " regions, not " + (i + 1));
        }
        return new MemblockRegion(base[i], size[i], flags[i], nid[i]);
    }

    /** The regions in use, by base. */
    public List<MemblockRegion> regions() {
        List<MemblockRegion> out = new ArrayList<>(cnt);
        for (int i = 0; i < cnt; i++) {
            out.add(new MemblockRegion(base[i], size[i], flags[i], nid[i]));
        }
        return out;
    }

    /** {@code memblock_insert_region}: makes room at {@code idx} and fills it. */
    void insert(int idx, long b, long s, int n, int f) {
        if (cnt >= max) {
            throw new IllegalStateException("memblock: " + name + " array overflow (" + cnt + " of " + max + ")");
        }
        int move = cnt - idx;
        System.arraycopy(base, idx, base, idx + 1, move);
        System.arraycopy(size, idx, size, idx + 1, move);
        System.arraycopy(flags, idx, flags, idx + 1, move);
        System.arraycopy(nid, idx, nid, idx + 1, move);
        base[idx] = b;
        size[idx] = s;
        nid[idx] = n;
        flags[idx] = f;
        cnt++;
        totalSize += s;
    }

    /** {@code memblock_remove_region}: deletes region {@code r}; an emptied array gets its zeroed placeholder. */
    void remove(int r) {
        totalSize -= size[r];
        int move = cnt - (r + 1);
        System.arraycopy(base, r + 1, base, r, move);
        System.arraycopy(size, r + 1, size, r, move);
        System.arraycopy(flags, r + 1, flags, r, move);
        System.arraycopy(nid, r + 1, nid, r, move);
        cnt--;
        if (cnt == 0) {
            base[0] = 0;
            size[0] = 0;
            flags[0] = 0;
            nid[0] = MemblockRegion.NO_NODE;
        }
    }

    /**
     * {@code memblock_merge_regions}: merges neighbours between {@code startRgn - 1} and
     * {@code endRgn} that touch and have the same node and flags.
     */
    void merge(int startRgn, int endRgn) {
        int i = startRgn > 0 ? startRgn - 1 : 0;
        int end = Math.min(endRgn, cnt - 1);
        while (i < end) {
            if (base[i] + size[i] != base[i + 1] || nid[i] != nid[i + 1] || flags[i] != flags[i + 1]) {
                if (base[i] + size[i] > base[i + 1]) {
                    throw new IllegalStateException("memblock: " + name + " regions " + i + " and " + (i + 1) + " overlap");
                }
                i++;
                continue;
            }
            size[i] += size[i + 1];
            int move = cnt - (i + 2);
            System.arraycopy(base, i + 2, base, i + 1, move);
            System.arraycopy(size, i + 2, size, i + 1, move);
            System.arraycopy(flags, i + 2, flags, i + 1, move);
            System.arraycopy(nid, i + 2, nid, i + 1, move);
            cnt--;
            end--;
        }
    }

    /** Grows the arrays to {@code newMax} slots. */
    void grow(int newMax) {
        base = java.util.Arrays.copyOf(base, newMax);
        size = java.util.Arrays.copyOf(size, newMax);
        flags = java.util.Arrays.copyOf(flags, newMax);
        nid = java.util.Arrays.copyOf(nid, newMax);
        max = newMax;
    }
}

package mm.api.slab;

import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;

/**
 * The kmalloc size classes and cache types every {@link ObjectCache} implementation serves
 * (include/linux/slab.h, mm/slab_common.c), x86_64 values: {@code KMALLOC_MIN_SIZE} 8, caches
 * {@code kmalloc-8} to {@code kmalloc-8k} with the two odd sizes 96 and 192, larger requests
 * straight from the page allocator up to {@code KMALLOC_MAX_SIZE}.
 */
public final class Kmalloc {

    /** KMALLOC_SHIFT_LOW: the smallest cache holds 2<sup>3</sup> bytes. */
    public static final int KMALLOC_SHIFT_LOW = 3;
    /** KMALLOC_SHIFT_HIGH = PAGE_SHIFT + 1: the largest cache holds 8 KiB. */
    public static final int KMALLOC_SHIFT_HIGH = Machine.PAGE_SHIFT + 1;
    /** KMALLOC_MIN_SIZE. */
    public static final int KMALLOC_MIN_SIZE = 1 << KMALLOC_SHIFT_LOW;
    /** KMALLOC_MAX_CACHE_SIZE: above it, kmalloc takes pages from the page allocator ({@code kmalloc_large}). */
    public static final int KMALLOC_MAX_CACHE_SIZE = 1 << KMALLOC_SHIFT_HIGH;
    /** KMALLOC_MAX_SIZE = 2<sup>MAX_PAGE_ORDER + PAGE_SHIFT</sup>: the largest kmalloc (4 MiB). */
    public static final long KMALLOC_MAX_SIZE = Machine.PAGE_SIZE << FrameAllocator.MAX_PAGE_ORDER;

    /** {@code enum kmalloc_cache_type}: KMALLOC_NORMAL. */
    public static final int KMALLOC_NORMAL = 0;
    /** KMALLOC_RECLAIM: __GFP_RECLAIMABLE requests, caches {@code kmalloc-rcl-*} with SLAB_RECLAIM_ACCOUNT. */
    public static final int KMALLOC_RECLAIM = 1;
    /** KMALLOC_DMA: __GFP_DMA requests, caches {@code dma-kmalloc-*} with SLAB_CACHE_DMA. */
    public static final int KMALLOC_DMA = 2;
    /** KMALLOC_CGROUP: __GFP_ACCOUNT requests, caches {@code kmalloc-cg-*} with SLAB_ACCOUNT. */
    public static final int KMALLOC_CGROUP = 3;
    /** NR_KMALLOC_TYPES. */
    public static final int NR_KMALLOC_TYPES = 4;

    /** The prefixes of the cache names by type ({@code kmalloc_cache_name}). */
    private static final String[] PREFIXES = {"kmalloc-", "kmalloc-rcl-", "dma-kmalloc-", "kmalloc-cg-"};

    /** The cache flags each type adds ({@code kmalloc_caches} set-up in {@code new_kmalloc_cache}). */
    private static final long[] TYPE_FLAGS = {0, SlabFlags.SLAB_RECLAIM_ACCOUNT, SlabFlags.SLAB_CACHE_DMA,
        SlabFlags.SLAB_ACCOUNT | SlabFlags.SLAB_NO_MERGE};

    /** {@code kmalloc_size_index}: the cache index for sizes 1..192, by (size - 1) / 8. */
    private static final byte[] SIZE_INDEX = {3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2};

    /** The GFP flags that choose a type other than KMALLOC_NORMAL ({@code KMALLOC_NOT_NORMAL_BITS}). */
    private static final int NOT_NORMAL_BITS = Gfp.__GFP_RECLAIMABLE | Gfp.__GFP_DMA | Gfp.__GFP_ACCOUNT;

    private Kmalloc() {
    }

    /**
     * The cache index for a request of {@code size} bytes, 1 to {@link #KMALLOC_MAX_CACHE_SIZE}
     * ({@code kmalloc_index}, {@code kmalloc_slab}): 1 is the 96-byte cache, 2 the 192-byte one,
     * n &ge; 3 the 2<sup>n</sup>-byte one.
     */
    public static int kmallocIndex(long size) {
        if (size < 1 || size > KMALLOC_MAX_CACHE_SIZE) {
            throw new IllegalArgumentException("kmalloc cache sizes are 1 to " + KMALLOC_MAX_CACHE_SIZE + " bytes, not " + size);
        }
        if (size <= 192) {
            return SIZE_INDEX[(int) (size - 1) / 8];
        }
        return 64 - Long.numberOfLeadingZeros(size - 1); // fls(size - 1)
    }

    /** The object size of the cache with this index ({@code kmalloc_info[i].size}). */
    public static int kmallocSize(int index) {
        return switch (index) {
            case 1 -> 96;
            case 2 -> 192;
            default -> {
                if (index < KMALLOC_SHIFT_LOW || index > KMALLOC_SHIFT_HIGH) {
                    throw new IllegalArgumentException("kmalloc index " + index + " out of range");
                }
                yield 1 << index;
            }
        };
    }

    /** The cache indexes that exist, smallest object first: 3, 4, 5, 6, 1, 7, 2, 8 ... 13. */
    public static int[] indexesBySize() {
        return new int[] {3, 4, 5, 6, 1, 7, 2, 8, 9, 10, 11, 12, 13};
    }

    /** The cache type a request's GFP flags choose ({@code kmalloc_type}): DMA before reclaimable before accounted. */
    public static int kmallocType(int gfp) {
        if ((gfp & NOT_NORMAL_BITS) == 0) {
            return KMALLOC_NORMAL;
        }
        if ((gfp & Gfp.__GFP_DMA) != 0) {
            return KMALLOC_DMA;
        }
        return (gfp & Gfp.__GFP_RECLAIMABLE) != 0 ? KMALLOC_RECLAIM : KMALLOC_CGROUP;
    }

    /** The name of a kmalloc cache ({@code kmalloc-96}, {@code kmalloc-rcl-1k}, {@code dma-kmalloc-8k}). */
    public static String cacheName(int type, int index) {
        int size = kmallocSize(index);
        String sz = size >= 1024 ? (size / 1024) + "k" : Integer.toString(size);
        return PREFIXES[type] + sz;
    }

    /** The flags a kmalloc cache of this type is created with, SLAB_KMALLOC included. */
    public static long cacheFlags(int type) {
        return SlabFlags.SLAB_KMALLOC | TYPE_FLAGS[type];
    }

    /** The page order of a large kmalloc ({@code get_order(size)}), for sizes above {@link #KMALLOC_MAX_CACHE_SIZE}. */
    public static int largeOrder(long size) {
        if (size <= Machine.PAGE_SIZE) {
            return 0;
        }
        return 64 - Long.numberOfLeadingZeros((size - 1) >> Machine.PAGE_SHIFT);
    }
}

package mm.core.slab;

import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.slab.SlabFlags;

/**
 * Where everything goes in a cache's objects and slabs: the fields of {@code struct kmem_cache}
 * that {@code calculate_sizes} and {@code calculate_order} (mm/slub.c) set.
 *
 * <p>An object's slot is {@link #size} bytes: a left red zone of {@link #redLeftPad} bytes (red
 * zoning only), the object ({@link #objectSize} bytes), a right red zone up to {@link #inuse},
 * the free pointer at {@link #offset} when it lives outside the object, the allocation and free
 * tracks (SLAB_STORE_USER), the requested kmalloc size, and padding to the alignment. Offsets
 * other than {@link #redLeftPad} count from the object's start, as the kernel's do.
 *
 * @param objectSize what the creator asked for ({@code object_size})
 * @param size the stride between objects ({@code size})
 * @param align the alignment ({@code align})
 * @param flags the cache's {@link SlabFlags}
 * @param objectPoison whether free objects are filled with POISON_FREE ({@code __OBJECT_POISON}): SLAB_POISON without a constructor or RCU
 * @param inuse the bytes of the object and its right red zone ({@code inuse})
 * @param offset the free pointer's offset ({@code offset})
 * @param redLeftPad the left red zone ({@code red_left_pad})
 * @param order the slab order ({@code oo_order(s->oo)})
 * @param objects objects per slab ({@code oo_objects(s->oo)})
 * @param minOrder the fallback order ({@code oo_order(s->min)})
 * @param minObjects objects per slab at the fallback order
 * @param minPartial slabs kept on a node's partial list even when empty ({@code min_partial})
 * @param cpuPartial objects on a CPU's partial list ({@code cpu_partial}); 0 when debugging
 * @param cpuPartialSlabs slabs on a CPU's partial list ({@code cpu_partial_slabs})
 * @param allocflags GFP flags for the slab pages ({@code allocflags})
 */
public record SlabGeometry(int objectSize, int size, int align, long flags, boolean objectPoison, int inuse, int offset,
        int redLeftPad, int order, int objects, int minOrder, int minObjects, int minPartial, int cpuPartial, int cpuPartialSlabs,
        int allocflags) {

    /** sizeof(void *). */
    public static final int WORD = 8;
    /** sizeof(struct track) with CONFIG_STACKDEPOT: addr, handle, cpu, pid, when. */
    public static final int TRACK_SIZE = 32;
    /** MAX_OBJS_PER_PAGE: objects in a slab are counted in 15 bits. */
    public static final int MAX_OBJS_PER_PAGE = 32767;
    /** MIN_PARTIAL. */
    public static final int MIN_PARTIAL = 5;
    /** MAX_PARTIAL. */
    public static final int MAX_PARTIAL = 10;
    /** cache_line_size() on x86_64 and arm64. */
    public static final int CACHE_LINE_SIZE = 64;
    /** The debug flags that take a cache off the fast paths ({@code SLAB_DEBUG_FLAGS} in mm/slab.h). */
    public static final long DEBUG_FLAGS = SlabFlags.SLAB_DEBUG_FLAGS | SlabFlags.SLAB_TRACE;

    /**
     * The boot parameters that shape slabs: {@code slab_min_objects} (0: from the CPU count),
     * {@code slab_min_order}, {@code slab_max_order}.
     */
    public record Tunables(int minObjects, int minOrder, int maxOrder) {
        /** The kernel's defaults: 0, 0 and PAGE_ALLOC_COSTLY_ORDER. */
        public static final Tunables DEFAULT = new Tunables(0, 0, FrameAllocator.PAGE_ALLOC_COSTLY_ORDER);
    }

    /** True if any debugging is on ({@code kmem_cache_debug}). */
    public boolean debug() {
        return (flags & DEBUG_FLAGS) != 0;
    }

    /** True if the cache has the flag. */
    public boolean has(long flag) {
        return (flags & flag) != 0;
    }

    /** The free pointer lives after the object, not inside it ({@code freeptr_outside_object}). */
    public boolean freeptrOutsideObject() {
        return offset >= inuse;
    }

    /** Where the tracks begin, from the object's start ({@code get_info_end}). */
    public int infoEnd() {
        return freeptrOutsideObject() ? inuse + WORD : inuse;
    }

    /** The offset of the requested kmalloc size, kept when tracking a kmalloc cache ({@code get_orig_size}); -1 if not kept. */
    public int origSizeOffset() {
        return has(SlabFlags.SLAB_STORE_USER) && has(SlabFlags.SLAB_KMALLOC) ? infoEnd() + 2 * TRACK_SIZE : -1;
    }

    /** The end of the metadata ({@code size_from_object} without padding): where padding starts, from the object's start. */
    public int metadataEnd() {
        int off = infoEnd();
        if (has(SlabFlags.SLAB_STORE_USER)) {
            off += 2 * TRACK_SIZE;
            if (has(SlabFlags.SLAB_KMALLOC)) {
                off += 4;
            }
        }
        return off;
    }

    /** Bytes of one slab ({@code PAGE_SIZE << order}). */
    public int slabBytes() {
        return (int) (Machine.PAGE_SIZE << order);
    }

    /**
     * {@code calculate_alignment}: with SLAB_HWCACHE_ALIGN the cache line, halved while the object
     * fits twice; never below the word.
     */
    public static int calculateAlignment(long flags, int align, int size) {
        if ((flags & SlabFlags.SLAB_HWCACHE_ALIGN) != 0) {
            int ralign = CACHE_LINE_SIZE;
            while (size <= ralign / 2) {
                ralign /= 2;
            }
            align = Math.max(align, ralign);
        }
        align = Math.max(align, WORD); // arch_slab_minalign() is 8 on x86_64 and arm64
        return alignUp(align, WORD);
    }

    /**
     * The geometry of a cache ({@code do_kmem_cache_create}: {@code calculate_alignment},
     * {@code calculate_sizes}, {@code set_min_partial}, {@code set_cpu_partial}).
     *
     * @param objectSize bytes asked for, 1 or more
     * @param align the creator's alignment, 0 or a power of two
     * @param flags {@link SlabFlags}
     * @param hasCtor whether a constructor runs on new objects
     * @param cpus num_present_cpus()
     * @throws IllegalArgumentException if the object does not fit the largest slab
     */
    public static SlabGeometry calculate(int objectSize, int align, long flags, boolean hasCtor, int cpus, Tunables t) {
        if ((flags & SlabFlags.SLAB_KMALLOC) != 0) {
            // create_boot_cache: kmalloc caches align to the largest power of two dividing the size
            align = Math.max(align, Integer.lowestOneBit(objectSize));
        }
        align = calculateAlignment(flags, align, objectSize);
        int size = alignUp(objectSize, WORD);
        boolean objectPoison = (flags & SlabFlags.SLAB_POISON) != 0 && (flags & SlabFlags.SLAB_TYPESAFE_BY_RCU) == 0 && !hasCtor;
        boolean redZone = (flags & SlabFlags.SLAB_RED_ZONE) != 0;
        boolean storeUser = (flags & SlabFlags.SLAB_STORE_USER) != 0;
        boolean kmalloc = (flags & SlabFlags.SLAB_KMALLOC) != 0;
        if (redZone && size == objectSize) {
            size += WORD;
        }
        int inuse = size;
        int offset;
        if ((flags & (SlabFlags.SLAB_TYPESAFE_BY_RCU | SlabFlags.SLAB_POISON)) != 0 || hasCtor
                || (redZone && (objectSize < WORD || (storeUser && kmalloc)))) {
            offset = size;
            size += WORD;
        } else {
            offset = alignDown(objectSize / 2, WORD);
        }
        if (storeUser) {
            size += 2 * TRACK_SIZE;
            if (kmalloc) {
                size += 4;
            }
        }
        int redLeftPad = 0;
        if (redZone) {
            size += WORD;
            redLeftPad = alignUp(WORD, align);
            size += redLeftPad;
        }
        size = alignUp(size, align);
        int order = calculateOrder(size, cpus, t);
        if (order < 0) {
            throw new IllegalArgumentException("objects of " + objectSize + " bytes (" + size + " with metadata) do not fit in a slab of order "
                    + FrameAllocator.MAX_PAGE_ORDER + ": the largest object is " + (Machine.PAGE_SIZE << FrameAllocator.MAX_PAGE_ORDER) + " bytes");
        }
        int objects = orderObjects(order, size);
        int minOrder = getOrder(size);
        int minObjects = orderObjects(minOrder, size);
        int minPartial = Math.max(MIN_PARTIAL, Math.min(MAX_PARTIAL, ilog2(size) / 2));
        boolean debug = (flags & DEBUG_FLAGS) != 0;
        int cpuPartial;
        if (debug) {
            cpuPartial = 0;
        } else if (size >= Machine.PAGE_SIZE) {
            cpuPartial = 6;
        } else if (size >= 1024) {
            cpuPartial = 24;
        } else if (size >= 256) {
            cpuPartial = 52;
        } else {
            cpuPartial = 120;
        }
        int cpuPartialSlabs = (cpuPartial * 2 + objects - 1) / objects;
        int allocflags = Gfp.__GFP_COMP;
        if ((flags & SlabFlags.SLAB_CACHE_DMA) != 0) {
            allocflags |= Gfp.__GFP_DMA;
        }
        if ((flags & SlabFlags.SLAB_CACHE_DMA32) != 0) {
            allocflags |= Gfp.__GFP_DMA32;
        }
        if ((flags & SlabFlags.SLAB_RECLAIM_ACCOUNT) != 0) {
            allocflags |= Gfp.__GFP_RECLAIMABLE;
        }
        return new SlabGeometry(objectSize, size, align, flags, objectPoison, inuse, offset, redLeftPad, order, objects, minOrder,
                minObjects, minPartial, cpuPartial, cpuPartialSlabs, allocflags);
    }

    /**
     * {@code calculate_order} (6.7+): the smallest order from the one {@code min_objects} needs
     * up to {@code slab_max_order} whose leftover is at most 1/16 of the slab, then 1/8, 1/4,
     * 1/2; else the order of one object. -1 if even that exceeds MAX_PAGE_ORDER.
     */
    public static int calculateOrder(int size, int cpus, Tunables t) {
        int minObjects = t.minObjects();
        if (minObjects == 0) {
            minObjects = 4 * (fls(cpus) + 1);
        }
        int maxObjects = Math.max(orderObjects(t.maxOrder(), size), 1);
        minObjects = Math.min(minObjects, maxObjects);
        int minOrder = Math.max(t.minOrder(), getOrder((long) minObjects * size));
        if (orderObjects(minOrder, size) > MAX_OBJS_PER_PAGE) {
            return getOrder((long) size * MAX_OBJS_PER_PAGE) - 1;
        }
        for (int fraction = 16; fraction > 1; fraction /= 2) {
            int order = calcSlabOrder(size, minOrder, t.maxOrder(), fraction);
            if (order <= t.maxOrder()) {
                return order;
            }
        }
        int order = getOrder(size);
        return order <= FrameAllocator.MAX_PAGE_ORDER ? order : -1;
    }

    /** {@code calc_slab_order}: the first order whose leftover is at most 1/{@code fractLeftover} of the slab; max + 1 if none. */
    static int calcSlabOrder(int size, int minOrder, int maxOrder, int fractLeftover) {
        int order;
        for (order = minOrder; order <= maxOrder; order++) {
            long slabSize = Machine.PAGE_SIZE << order;
            long rem = slabSize % size;
            if (rem <= slabSize / fractLeftover) {
                break;
            }
        }
        return order;
    }

    /** {@code order_objects}: objects of {@code size} bytes in a slab of this order. */
    public static int orderObjects(int order, int size) {
        return (int) ((Machine.PAGE_SIZE << order) / size);
    }

    /** {@code get_order}: the smallest order whose block holds {@code size} bytes. */
    public static int getOrder(long size) {
        if (size <= Machine.PAGE_SIZE) {
            return 0;
        }
        return 64 - Long.numberOfLeadingZeros((size - 1) >> Machine.PAGE_SHIFT);
    }

    /** {@code fls}: the position of the highest set bit, 1-based; 0 for 0. */
    static int fls(int x) {
        return 32 - Integer.numberOfLeadingZeros(x);
    }

    /** {@code ilog2}. */
    static int ilog2(int x) {
        return 31 - Integer.numberOfLeadingZeros(x);
    }

    static int alignUp(int x, int a) {
        return (x + a - 1) & -a;
    }

    static int alignDown(int x, int a) {
        return x & -a;
    }
}

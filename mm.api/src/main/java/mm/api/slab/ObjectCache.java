package mm.api.slab;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import mm.api.subsystem.Subsystem;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Object caches on top of the active frame allocator: {@code kmem_cache_*} and {@code kmalloc}.
 * Objects are named by kernel virtual addresses in the direct map
 * ({@code 0xffff888000000000 + physical address} on x86_64), so that the same address is printed
 * whichever implementation is active. A failed allocation returns 0 (NULL); a bad argument throws
 * {@link IllegalArgumentException}; a corruption found by debugging checks throws
 * {@link SlabCorruptionException} carrying the kernel-style report.
 *
 * <p>Caches are known by their names, which are unique: a {@link KmemCache} handle obtained from
 * one implementation is accepted by its successor after a hot swap, which finds its own cache of
 * that name. Objects allocated before a swap stay valid at the same addresses and are freed
 * through the successor.
 *
 * <p>Hand-over keys ({@link mm.api.subsystem.Handover#state()}); every number is hexadecimal
 * without {@code 0x}, except the count {@code caches}, which is decimal. {@code caches} = the
 * number of caches; {@code cache.I} (I from 0 in decimal, creation order) =
 * {@code NAME OBJECT_SIZE ALIGN FLAGS} separated by single spaces (cache names hold no spaces);
 * {@code cache.I.slabs} = the cache's slabs separated by spaces, each
 * {@code PFN:ORDER:OFFSET:STRIDE:OBJECTS:INUSE} where OFFSET is the byte offset of the first
 * object's slot in the slab (SLAB's colour; the left red zone, if any, comes after it), STRIDE the
 * distance between slots, OBJECTS their number and INUSE a bitmap of the objects in use, bit i for
 * object i; {@code kmalloc.large} = the blocks {@code kmalloc} took from the page allocator, each
 * {@code PFN:ORDER}, separated by spaces (empty if none). Objects
 * ({@link mm.api.subsystem.Handover#objects()}): {@code cache.I.ctor} = the constructor;
 * {@code slab.PFN.mem} = a {@code byte[]} with the slab's memory, for slabs whose contents are
 * kept (caches with debugging on). The slab frames carry {@code PG_slab} in the frame table.
 */
@ProviderType
public interface ObjectCache extends Subsystem {

    /** The contract's name. */
    String CONTRACT = "ObjectCache";

    /** ZERO_SIZE_PTR: what {@code kmalloc(0)} returns; kfree accepts it and does nothing. */
    long ZERO_SIZE_PTR = 16;

    /**
     * Creates a cache ({@code kmem_cache_create}).
     *
     * @param name a unique, non-empty name
     * @param size the object size in bytes, at least 1
     * @param align the minimum alignment, 0 or a power of two
     * @param flags {@link SlabFlags}
     * @param ctor run on every object when its slab is created, or null
     * @throws IllegalArgumentException for a duplicate or empty name, a bad size, alignment or flag
     */
    KmemCache kmemCacheCreate(String name, int size, int align, long flags, ObjectConstructor ctor);

    /** Allocates an object ({@code kmem_cache_alloc}); 0 if no memory. */
    long kmemCacheAlloc(KmemCache cache, int gfp);

    /** Frees an object ({@code kmem_cache_free}). */
    void kmemCacheFree(KmemCache cache, long addr);

    /** Returns empty slabs to the page allocator ({@code kmem_cache_shrink}); the number of pages freed. */
    long kmemCacheShrink(KmemCache cache);

    /**
     * Destroys a cache ({@code kmem_cache_destroy}).
     *
     * @throws IllegalStateException with the kernel's "Objects remaining in ... on __kmem_cache_shutdown()"
     *     when objects are still allocated; the cache is kept
     */
    void kmemCacheDestroy(KmemCache cache);

    /** Allocates {@code size} bytes from the matching kmalloc cache, or from the page allocator above 8 KiB ({@code kmalloc}). */
    long kmalloc(long size, int gfp);

    /** Frees what kmalloc returned ({@code kfree}); 0 and {@link #ZERO_SIZE_PTR} are ignored. */
    void kfree(long addr);

    /** The usable size of a kmalloc'd object ({@code ksize}). */
    long ksize(long addr);

    /** Resizes a kmalloc'd object ({@code krealloc}); returns the new address, or 0 if no memory (the old one stays valid). */
    long krealloc(long addr, long newSize, int gfp);

    /** The cache with this name. */
    Optional<KmemCache> findCache(String name);

    /** The cache an object belongs to ({@code virt_to_cache}). */
    Optional<KmemCache> cacheOf(long addr);

    /** Every cache, in creation order. */
    List<KmemCache> caches();

    /** The /proc/slabinfo row of a cache. */
    SlabInfo slabinfo(KmemCache cache);

    /** The CONFIG_SLUB_STATS counters of a cache ({@code alloc_fastpath}...), for /sys/kernel/slab/CACHE/. */
    Map<String, Long> stats(KmemCache cache);

    /**
     * Runs the debugging consistency checks on every slab of a cache ({@code validate_slab_cache}):
     * the reports of the errors found, empty if none. Each error's report starts with the line
     * {@code BUG CACHE (Not tainted): WHAT}, as the kernel's {@code slab_bug} prints it, and may go
     * on with lines of detail.
     */
    List<String> validate(KmemCache cache);

    /**
     * The files of {@code /sys/kernel/slab/NAME/} as the kernel prints them, by file name
     * ({@code object_size}, {@code slab_size}, {@code objs_per_slab}, {@code order},
     * {@code objects}, {@code partial}, {@code alloc_fastpath}...), each value one line without
     * the newline.
     */
    Map<String, String> sysfs(KmemCache cache);

    /**
     * The implementation's view of a cache for {@code mm:slab}: its slabs, lists and per-CPU state,
     * lines to print.
     */
    List<String> describe(KmemCache cache);

    /** Writes bytes into slab memory at a kernel address, as buggy code would ({@code mm:poke}). */
    void poke(long addr, byte[] bytes);

    /** Reads bytes of slab memory at a kernel address. */
    byte[] peek(long addr, int length);
}

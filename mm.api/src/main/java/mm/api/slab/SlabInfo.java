package mm.api.slab;

/**
 * One row of /proc/slabinfo ({@code cache_show}, mm/slab_common.c; {@code get_slabinfo} of the
 * allocator).
 *
 * @param name the cache name
 * @param activeObjs objects in use
 * @param numObjs objects in all slabs
 * @param objSize the stride ({@code s->size})
 * @param objPerSlab objects per slab
 * @param pagesPerSlab pages per slab
 * @param activeSlabs slabs with an object in use (SLUB reports all slabs as active)
 * @param numSlabs slabs
 * @param limit the per-CPU array's limit (SLAB's tunable; 0 for SLUB)
 * @param batchcount objects moved at once between a per-CPU array and the slabs (0 for SLUB)
 * @param sharedfactor the shared array's size in multiples of batchcount (0 for SLUB)
 * @param sharedAvail objects in the shared arrays (0 for SLUB)
 */
public record SlabInfo(String name, long activeObjs, long numObjs, int objSize, int objPerSlab, int pagesPerSlab,
        long activeSlabs, long numSlabs, int limit, int batchcount, int sharedfactor, long sharedAvail) {

    /** A row without tunables, as SLUB has. */
    public SlabInfo(String name, long activeObjs, long numObjs, int objSize, int objPerSlab, int pagesPerSlab, long activeSlabs,
            long numSlabs) {
        this(name, activeObjs, numObjs, objSize, objPerSlab, pagesPerSlab, activeSlabs, numSlabs, 0, 0, 0, 0);
    }
}

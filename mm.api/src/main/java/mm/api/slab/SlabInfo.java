package mm.api.slab;

/**
 * One row of /proc/slabinfo ({@code cache_show}, mm/slab_common.c).
 *
 * @param name the cache name
 * @param activeObjs objects in use
 * @param numObjs objects in all slabs
 * @param objSize the stride ({@code s->size})
 * @param objPerSlab objects per slab
 * @param pagesPerSlab pages per slab
 * @param activeSlabs slabs (SLUB reports all slabs as active)
 * @param numSlabs slabs
 */
public record SlabInfo(String name, long activeObjs, long numObjs, int objSize, int objPerSlab, int pagesPerSlab,
        long activeSlabs, long numSlabs) {
}

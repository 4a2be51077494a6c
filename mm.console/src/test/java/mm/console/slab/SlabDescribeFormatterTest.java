package mm.console.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import mm.api.slab.KmemCache;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;
import org.junit.jupiter.api.Test;

class SlabDescribeFormatterTest {

    /** A cache's geometry as the kernel computes it for kmem_cache_create("foo", 100, 0, SLAB_HWCACHE_ALIGN). */
    record Geometry(String name, int objectSize, int size, int align, long flags, int order, int objectsPerSlab)
            implements KmemCache {
    }

    private static final KmemCache FOO = new Geometry("foo", 100, 128, 64, SlabFlags.SLAB_HWCACHE_ALIGN, 0, 32);

    @Test
    void geometryInOneLine() {
        assertEquals("foo: object_size 100, size 128, align 64, order 0 (1 page), 32 objects per slab, flags SLAB_HWCACHE_ALIGN",
                SlabDescribeFormatter.geometry(FOO));
        assertEquals("big: object_size 3000, size 3000, align 8, order 3 (8 pages), 10 objects per slab, flags 0",
                SlabDescribeFormatter.geometry(new Geometry("big", 3000, 3000, 8, 0, 3, 10)));
    }

    @Test
    void geometryCountsTheImplementationsLinesAndSortedStats() {
        String text = SlabDescribeFormatter.format(FOO, new SlabInfo("foo", 3, 32, 128, 32, 1, 1, 1),
                List.of("cpu0: slab 0x104a1c freelist 0xffff888104a1c180", "node0: partial 0, full 0"),
                Map.of("free_fastpath", 2L, "alloc_fastpath", 5L));

        assertEquals(""
                + "name            foo\n"
                + "object_size     100\n"
                + "size            128 (the stride, metadata included)\n"
                + "align           64\n"
                + "order           0 (1 page per slab)\n"
                + "objs_per_slab   32\n"
                + "flags           SLAB_HWCACHE_ALIGN\n"
                + "objects         3 of 32 in use\n"
                + "slabs           1\n"
                + "\n"
                + "cpu0: slab 0x104a1c freelist 0xffff888104a1c180\n"
                + "node0: partial 0, full 0\n"
                + "\n"
                + "stats:\n"
                + "  alloc_fastpath 5\n"
                + "  free_fastpath  2\n", text);
    }

    @Test
    void nothingMoreWithoutLinesOrStats() {
        String text = SlabDescribeFormatter.format(FOO, new SlabInfo("foo", 0, 0, 128, 32, 1, 0, 0), List.of(), Map.of());

        assertEquals(9, text.split("\n").length);
    }
}

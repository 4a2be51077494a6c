package mm.core.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import mm.api.slab.Kmalloc;
import mm.api.slab.SlabFlags;
import org.junit.jupiter.api.Test;

class SlabGeometryTest {

    private static final SlabGeometry.Tunables T = SlabGeometry.Tunables.DEFAULT;

    /** Every row of the captured /proc/slabinfo (2 CPUs): order and objects per slab follow from the stride. */
    @Test
    void calculateOrderMatchesEveryCapturedSlabinfoRow() throws IOException {
        List<String> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                getClass().getResourceAsStream("/kernel-data/proc/proc_slabinfo_sample.txt"), StandardCharsets.US_ASCII))) {
            r.readLine();
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(line);
            }
        }
        assertEquals(26, rows.size());
        for (String row : rows) {
            String[] f = row.trim().split("\\s+");
            int size = Integer.parseInt(f[3]);
            int perSlab = Integer.parseInt(f[4]);
            int pages = Integer.parseInt(f[5]);
            int order = SlabGeometry.calculateOrder(size, 2, T);
            assertEquals(pages, 1 << order, f[0] + ": pages per slab");
            assertEquals(perSlab, SlabGeometry.orderObjects(order, size), f[0] + ": objects per slab");
        }
    }

    @Test
    void kmallocCachesWithoutDebugAreTheirSize() {
        for (int index : Kmalloc.indexesBySize()) {
            int sz = Kmalloc.kmallocSize(index);
            SlabGeometry g = SlabGeometry.calculate(sz, 0, Kmalloc.cacheFlags(0), false, 2, T);
            assertEquals(sz, g.size(), Kmalloc.cacheName(0, index));
            assertEquals(sz / 2 / 8 * 8, g.offset(), "free pointer in the middle of " + sz);
            assertFalse(g.freeptrOutsideObject());
        }
        assertEquals(32, SlabGeometry.calculate(96, 0, Kmalloc.cacheFlags(0), false, 2, T).align());
        assertEquals(64, SlabGeometry.calculate(192, 0, Kmalloc.cacheFlags(0), false, 2, T).align());
    }

    @Test
    void hwcacheAlignHalvesTheLineForSmallObjects() {
        assertEquals(64, SlabGeometry.calculateAlignment(SlabFlags.SLAB_HWCACHE_ALIGN, 0, 100));
        assertEquals(32, SlabGeometry.calculateAlignment(SlabFlags.SLAB_HWCACHE_ALIGN, 0, 20));
        assertEquals(8, SlabGeometry.calculateAlignment(SlabFlags.SLAB_HWCACHE_ALIGN, 0, 4));
        assertEquals(8, SlabGeometry.calculateAlignment(0, 0, 100));
        assertEquals(128, SlabGeometry.calculateAlignment(SlabFlags.SLAB_HWCACHE_ALIGN, 128, 100));
        assertEquals(128, SlabGeometry.calculate(90, 0, SlabFlags.SLAB_HWCACHE_ALIGN, false, 2, T).size());
    }

    /** calculate_sizes with slub_debug=FZPU on kmalloc-64: red zones, free pointer outside, two tracks, orig_size. */
    @Test
    void debugLayoutOfKmalloc64() {
        SlabGeometry g = SlabGeometry.calculate(64, 0, Kmalloc.cacheFlags(0) | SlabFlags.SLAB_DEBUG_FLAGS, false, 2, T);
        assertEquals(64, g.align());
        assertEquals(72, g.inuse(), "object + right red zone word");
        assertEquals(72, g.offset(), "free pointer after the red zone (poisoning)");
        assertEquals(64, g.redLeftPad(), "the left red zone is aligned to the cache's alignment");
        // 72 + 8 (fp) + 64 (tracks) + 4 (orig_size) + 8 (red zone word) + 64 (left pad) = 220, aligned to 64
        assertEquals(256, g.size());
        assertEquals(80, g.infoEnd());
        assertEquals(144, g.origSizeOffset());
        assertTrue(g.objectPoison());
        assertTrue(g.debug());
        assertEquals(0, g.cpuPartial(), "no per-CPU partial slabs with debugging");
    }

    @Test
    void ctorMovesTheFreePointerOutAndStopsPoisoning() {
        SlabGeometry g = SlabGeometry.calculate(40, 0, SlabFlags.SLAB_POISON, true, 2, T);
        assertEquals(40, g.offset());
        assertEquals(48, g.size());
        assertFalse(g.objectPoison());
    }

    @Test
    void minPartialAndCpuPartial() {
        SlabGeometry small = SlabGeometry.calculate(64, 0, 0, false, 2, T);
        assertEquals(5, small.minPartial());
        assertEquals(120, small.cpuPartial());
        assertEquals(4, small.cpuPartialSlabs(), "DIV_ROUND_UP(120 * 2, 64)");
        SlabGeometry big = SlabGeometry.calculate(8192, 0, 0, false, 2, T);
        assertEquals(6, big.minPartial(), "ilog2(8192) / 2");
        assertEquals(6, big.cpuPartial());
        assertEquals(3, big.order());
    }

    @Test
    void cpuCountChangesMinObjects() {
        // one CPU: min_objects = 4 * (fls(1) + 1) = 8; 8 * 1128 fits order 2 still, 8 * 512 = order 0
        assertEquals(0, SlabGeometry.calculateOrder(512, 1, T));
        assertEquals(1, SlabGeometry.calculateOrder(512, 2, T), "12 * 512 needs two pages");
        assertEquals(2, SlabGeometry.calculateOrder(512, 64, T), "min_objects 4 * (fls(64) + 1) = 32");
    }

    @Test
    void objectTooLargeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> SlabGeometry.calculate(5 << 20, 0, 0, false, 2, T));
    }
}

package mm.core.page;

import static mm.core.page.AllocFlags.ALLOC_HIGHATOMIC;
import static mm.core.page.AllocFlags.ALLOC_MIN_RESERVE;
import static mm.core.page.AllocFlags.ALLOC_NON_BLOCK;
import static mm.core.page.AllocFlags.ALLOC_OOM;
import static mm.core.page.AllocFlags.ALLOC_WMARK_LOW;
import static mm.core.page.AllocFlags.ALLOC_WMARK_MIN;
import static mm.core.page.WatermarkCheck.zoneWatermarkFast;
import static mm.core.page.WatermarkCheck.zoneWatermarkOk;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.MigrateType;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code __zone_watermark_ok} and {@code zone_watermark_fast} on zones of a booted machine. */
class WatermarkCheckTest {

    private static final int NORMAL = ZoneType.NORMAL.ordinal();
    private static final int DMA32 = ZoneType.DMA32.ordinal();

    /** Free blocks as a test sets them. */
    static final class Blocks implements WatermarkCheck.FreeBlocks {
        final long[][] nr = new long[FrameAllocator.NR_PAGE_ORDERS][MigrateType.MIGRATE_TYPES];
        long highatomic;

        @Override
        public long nrFree(Zone zone, int order, int migratetype) {
            return nr[order][migratetype];
        }

        @Override
        public long nrFreeHighatomic(Zone zone) {
            return highatomic;
        }
    }

    private Zone dma;
    private Zone dma32;
    private Blocks blocks;

    @BeforeEach
    void setUp() {
        MachineImpl m = MachineImpl.boot(new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0));
        dma = m.zone(0, ZoneType.DMA);
        dma32 = m.zone(0, ZoneType.DMA32);
        blocks = new Blocks();
        // the booted zones' figures these tests rely on
        assertEquals(423, dma32.watermark(Watermark.MIN));
        assertEquals(528, dma32.watermark(Watermark.LOW));
        assertEquals(33, dma.watermark(Watermark.MIN));
        assertEquals(189, dma.lowmemReserve(NORMAL));
        assertEquals(0, dma32.lowmemReserve(NORMAL));
    }

    private void setFree(Zone z, long pages) {
        z.modState(ZoneStat.NR_FREE_PAGES, pages - z.state(ZoneStat.NR_FREE_PAGES));
    }

    @Test
    void orderZeroNeedsMoreThanMarkPlusLowmemReserve() {
        long mark = dma.watermark(Watermark.MIN);
        long floor = mark + dma.lowmemReserve(NORMAL);
        assertFalse(zoneWatermarkOk(dma, 0, mark, NORMAL, ALLOC_WMARK_MIN, floor, blocks));
        assertTrue(zoneWatermarkOk(dma, 0, mark, NORMAL, ALLOC_WMARK_MIN, floor + 1, blocks));
        // a DMA32-capable request: DMA keeps lowmem_reserve[DMA32] instead
        long floor32 = mark + dma.lowmemReserve(DMA32);
        assertFalse(zoneWatermarkOk(dma, 0, mark, DMA32, ALLOC_WMARK_MIN, floor32, blocks));
        assertTrue(zoneWatermarkOk(dma, 0, mark, DMA32, ALLOC_WMARK_MIN, floor32 + 1, blocks));
        // free pages may be negative after the deductions: still just false
        assertFalse(zoneWatermarkOk(dma, 0, mark, NORMAL, ALLOC_WMARK_MIN, -5, blocks));
    }

    @Test
    void reserveRightsLowerTheMarkWithTheKernelsIntegerArithmetic() {
        long mark = 423;
        // ALLOC_MIN_RESERVE: 423 - 211 = 212
        assertFalse(zoneWatermarkOk(dma32, 0, mark, NORMAL, ALLOC_MIN_RESERVE, 212, blocks));
        assertTrue(zoneWatermarkOk(dma32, 0, mark, NORMAL, ALLOC_MIN_RESERVE, 213, blocks));
        // with ALLOC_NON_BLOCK: 212 - 53 = 159
        int atomic = ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK;
        assertFalse(zoneWatermarkOk(dma32, 0, mark, NORMAL, atomic, 159, blocks));
        assertTrue(zoneWatermarkOk(dma32, 0, mark, NORMAL, atomic, 160, blocks));
        // ALLOC_NON_BLOCK alone (GFP_NOWAIT) does not lower the mark
        assertFalse(zoneWatermarkOk(dma32, 0, mark, NORMAL, ALLOC_NON_BLOCK, 423, blocks));
        assertTrue(zoneWatermarkOk(dma32, 0, mark, NORMAL, ALLOC_NON_BLOCK, 424, blocks));
        // ALLOC_OOM: 423 - 211 = 212; on top of the atomic cut: 159 - 79 = 80
        assertFalse(zoneWatermarkOk(dma32, 0, mark, NORMAL, ALLOC_OOM, 212, blocks));
        assertTrue(zoneWatermarkOk(dma32, 0, mark, NORMAL, ALLOC_OOM, 213, blocks));
        assertFalse(zoneWatermarkOk(dma32, 0, mark, NORMAL, atomic | ALLOC_OOM, 80, blocks));
        assertTrue(zoneWatermarkOk(dma32, 0, mark, NORMAL, atomic | ALLOC_OOM, 81, blocks));
        // ALLOC_HIGHATOMIC alone grants no cut
        assertFalse(zoneWatermarkOk(dma32, 0, mark, NORMAL, ALLOC_HIGHATOMIC, 423, blocks));
        // odd marks: 33 - 16 = 17; 17 - 4 = 13
        assertFalse(zoneWatermarkOk(dma, 0, 33, NORMAL, atomic, 13 + 189, blocks));
        assertTrue(zoneWatermarkOk(dma, 0, 33, NORMAL, atomic, 14 + 189, blocks));
    }

    @Test
    void highatomicPagesAreUnusableWithoutReserveRights() {
        blocks.highatomic = 100;
        assertFalse(zoneWatermarkOk(dma32, 0, 423, NORMAL, ALLOC_WMARK_MIN, 523, blocks));
        assertTrue(zoneWatermarkOk(dma32, 0, 423, NORMAL, ALLOC_WMARK_MIN, 524, blocks));
        // any reserve right lets the request count them (ALLOC_HIGHATOMIC without a cut: plain 423)
        assertTrue(zoneWatermarkOk(dma32, 0, 423, NORMAL, ALLOC_HIGHATOMIC, 424, blocks));
    }

    @Test
    void aHighOrderRequestSetsAsideAllButOnePageOfItsBlock() {
        blocks.nr[3][MigrateType.MOVABLE.ordinal()] = 1;
        // 423 + 7 = 430 free pages are not enough for order 3; 431 are
        assertFalse(zoneWatermarkOk(dma32, 3, 423, NORMAL, ALLOC_WMARK_MIN, 430, blocks));
        assertTrue(zoneWatermarkOk(dma32, 3, 423, NORMAL, ALLOC_WMARK_MIN, 431, blocks));
    }

    @Test
    void aHighOrderRequestNeedsABlockOfAtLeastItsOrderOnAUsableList() {
        long free = 100000;
        assertFalse(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_WMARK_MIN, free, blocks), "no block at all");
        blocks.nr[3][MigrateType.UNMOVABLE.ordinal()] = 50;
        assertFalse(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_WMARK_MIN, free, blocks), "only smaller blocks");
        blocks.nr[7][MigrateType.ISOLATE.ordinal()] = 1;
        assertFalse(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_WMARK_MIN, free, blocks), "isolated blocks never count");
        blocks.nr[9][MigrateType.HIGHATOMIC.ordinal()] = 1;
        assertFalse(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK, free, blocks),
                "the high-atomic reserve needs ALLOC_HIGHATOMIC or ALLOC_OOM");
        assertTrue(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_HIGHATOMIC, free, blocks));
        assertTrue(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_OOM, free, blocks));
        blocks.nr[10][MigrateType.RECLAIMABLE.ordinal()] = 1;
        assertTrue(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_WMARK_MIN, free, blocks));
        // but never below the order-0 mark
        assertFalse(zoneWatermarkOk(dma32, 4, 423, NORMAL, ALLOC_WMARK_MIN, 423 + 15, blocks));
    }

    @Test
    void fastCheckReadsNrFreePages() {
        long low = dma32.watermark(Watermark.LOW);
        setFree(dma32, low);
        assertFalse(zoneWatermarkFast(dma32, 0, low, NORMAL, ALLOC_WMARK_LOW, blocks));
        setFree(dma32, low + 1);
        assertTrue(zoneWatermarkFast(dma32, 0, low, NORMAL, ALLOC_WMARK_LOW, blocks));
        // the quick order-0 test also sets the high-atomic reserve aside, never below 0
        blocks.highatomic = 1;
        assertFalse(zoneWatermarkFast(dma32, 0, low, NORMAL, ALLOC_WMARK_LOW, blocks));
        blocks.highatomic = 1 << 20;
        assertFalse(zoneWatermarkFast(dma32, 0, 0, NORMAL, ALLOC_WMARK_LOW, blocks));
        blocks.highatomic = 0;
        // DMA with its protection
        setFree(dma, 33 + 189);
        assertFalse(zoneWatermarkFast(dma, 0, 33, NORMAL, ALLOC_WMARK_MIN, blocks));
        setFree(dma, 33 + 189 + 1);
        assertTrue(zoneWatermarkFast(dma, 0, 33, NORMAL, ALLOC_WMARK_MIN, blocks));
    }

    /** Order-0 __GFP_HIGH requests at the min mark ignore the watermark boost. */
    @Test
    void boostIsIgnoredOnlyForOrderZeroMinReserveAtTheMinMark() {
        dma32.setWatermarkBoost(512);
        long boostedMin = dma32.watermark(Watermark.MIN);
        assertEquals(423 + 512, boostedMin);
        // boosted: 935 - 467 = 468 for ALLOC_MIN_RESERVE; raw: 423 - 211 = 212
        setFree(dma32, 300);
        assertTrue(zoneWatermarkFast(dma32, 0, boostedMin, NORMAL, ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE, blocks));
        setFree(dma32, 212);
        assertFalse(zoneWatermarkFast(dma32, 0, boostedMin, NORMAL, ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE, blocks));
        setFree(dma32, 300);
        assertFalse(zoneWatermarkFast(dma32, 0, boostedMin, NORMAL, ALLOC_WMARK_MIN, blocks), "no __GFP_HIGH");
        long boostedLow = dma32.watermark(Watermark.LOW);
        assertFalse(zoneWatermarkFast(dma32, 0, boostedLow, NORMAL, ALLOC_WMARK_LOW | ALLOC_MIN_RESERVE, blocks),
                "not the min mark");
        blocks.nr[10][MigrateType.MOVABLE.ordinal()] = 1;
        assertFalse(zoneWatermarkFast(dma32, 1, boostedMin, NORMAL, ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE, blocks),
                "not order 0");
        dma32.setWatermarkBoost(0);
        assertTrue(zoneWatermarkFast(dma32, 1, 423, NORMAL, ALLOC_WMARK_MIN | ALLOC_MIN_RESERVE, blocks));
    }
}

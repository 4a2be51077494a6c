package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.MigrateType;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;

class PagetypeinfoFormatterTest {

    private static final int UNMOVABLE = MigrateType.UNMOVABLE.ordinal();
    private static final int MOVABLE = MigrateType.MOVABLE.ordinal();
    private static final int ISOLATE = MigrateType.ISOLATE.ordinal();

    @Test
    void reproducesTheCapturedPagetypeinfoByteForByte() {
        String captured = KernelData.read("proc/proc_pagetypeinfo.txt");
        CapturedMachine machine = CapturedMachine.fromZoneinfo(KernelData.read("proc/proc_zoneinfo.txt"), KernelData.CAPTURED);
        CapturedAllocator allocator = new CapturedAllocator();
        allocator.readPagetypeinfo(machine, captured);

        assertEquals(captured, PagetypeinfoFormatter.format(machine, allocator));
    }

    /** One node, a populated Normal zone of 4 pageblocks from pfn 0x40000. */
    private static CapturedMachine normalOnly(int nodes) {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.X86_64, 1L << 30, 2, nodes, 0));
        CapturedMachine.CapturedZone z = m.zone(nodes - 1, ZoneType.NORMAL);
        z.start = 0x40000;
        z.spanned = 4 * 512;
        z.present = 4 * 512;
        return m;
    }

    @Test
    void freeCountsFromOneHundredThousandOnArePrintedAsTheKernelsCap() {
        CapturedMachine m = normalOnly(1);
        CapturedAllocator a = new CapturedAllocator();
        CapturedMachine.CapturedZone normal = m.zone(0, ZoneType.NORMAL);
        a.setNrFree(normal, 0, MOVABLE, 99999);
        a.setNrFree(normal, 1, MOVABLE, 100000);
        a.setNrFree(normal, 2, MOVABLE, 2500000);

        String out = PagetypeinfoFormatter.format(m, a);

        assertTrue(out.contains("Node    0, zone   Normal, type      Movable  99999 >100000 >100000      0      0      0"
                + "      0      0      0      0      0 \n"), out);
    }

    @Test
    void blockCountsStepFromTheUnalignedZoneStartAndSkipInvalidAndForeignFrames() {
        CapturedMachine m = normalOnly(1);
        CapturedMachine.CapturedZone z = m.zone(0, ZoneType.NORMAL);
        z.start = 0x40000 + 5;
        z.spanned = 3 * 512 - 2; // ends 3 pages into the fourth block, which a walk from pfn 0x40005 never visits
        m.frames.setBlock(0x40000, 0, ZoneType.NORMAL, UNMOVABLE);
        m.frames.setBlock(0x40000 + 512, 0, ZoneType.DMA32, MOVABLE); // another zone's frames
        // the third block has no valid frame
        m.frames.setBlock(0x40000 + 3 * 512, 0, ZoneType.NORMAL, ISOLATE);

        assertArrayEquals(new long[] {1, 0, 0, 0, 0}, PagetypeinfoFormatter.blockCounts(z, m.frames));
        z.spanned = 3 * 512 + 1; // now the walk reaches pfn 0x40605
        assertArrayEquals(new long[] {1, 0, 0, 0, 1}, PagetypeinfoFormatter.blockCounts(z, m.frames));
    }

    @Test
    void blockCountsSkipFramesOfAnotherNode() {
        CapturedMachine m = normalOnly(2);
        CapturedMachine.CapturedZone z = m.zone(1, ZoneType.NORMAL);
        m.frames.setBlock(0x40000, 1, ZoneType.NORMAL, MOVABLE);
        m.frames.setBlock(0x40000 + 512, 0, ZoneType.NORMAL, MOVABLE);

        assertArrayEquals(new long[] {0, 1, 0, 0, 0}, PagetypeinfoFormatter.blockCounts(z, m.frames));
    }

    @Test
    void eachNodeWithMemoryPrintsTheWholeReportAndNodesWithoutMemoryNothing() {
        CapturedMachine m = normalOnly(2);
        m.frames.assignBlocks(m.zone(1, ZoneType.NORMAL), new long[] {1, 3});

        String out = PagetypeinfoFormatter.format(m, new CapturedAllocator());

        String zeros = "      0".repeat(11) + " \n";
        assertEquals("Page block order: 9\n"
                + "Pages per block:  512\n"
                + "\n"
                + "Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8"
                + "      9     10 \n"
                + "Node    1, zone   Normal, type    Unmovable" + zeros
                + "Node    1, zone   Normal, type      Movable" + zeros
                + "Node    1, zone   Normal, type  Reclaimable" + zeros
                + "Node    1, zone   Normal, type   HighAtomic" + zeros
                + "Node    1, zone   Normal, type      Isolate" + zeros
                + "\n"
                + "Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate \n"
                + "Node 1, zone   Normal            1            3            0            0            0 \n", out);
    }
}

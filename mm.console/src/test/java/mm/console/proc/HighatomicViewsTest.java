package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/**
 * The high-order atomic reserve in /proc/pagetypeinfo, and the extfrag views, on a real booted
 * machine (mm.hw + mm.buddy): an atomic order-1 allocation below the low watermark reserves its
 * pageblock, which the HighAtomic rows then show.
 */
class HighatomicViewsTest {

    private static String row(String text, String prefix) {
        for (String line : text.split("\n")) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no line starting with '" + prefix + "' in\n" + text);
    }

    @Test
    void pagetypeinfoShowsTheReservedPageblock() {
        MachineImpl m = MachineImpl.boot(new MachineConfig(Arch.X86_64, 1L << 30, 2, 1, 0));
        BuddyAllocator b = new BuddyAllocator(m, false);
        Zone dma = m.zone(0, ZoneType.DMA);
        Zone dma32 = m.zone(0, ZoneType.DMA32);
        int normal = ZoneType.NORMAL.ordinal();
        String before = PagetypeinfoFormatter.format(m, b);
        assertTrue(row(before, "Node 0, zone    DMA32 ").matches("Node 0, zone    DMA32 ( +\\d+ ){3} +0 .*"), before);

        long fast = dma32.freePages() - (dma32.watermark(Watermark.LOW) + dma32.lowmemReserve(normal))
                + dma.freePages() - (dma.watermark(Watermark.LOW) + dma.lowmemReserve(normal));
        for (long i = 0; i < fast; i++) {
            assertNotEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_KERNEL, 0));
        }
        assertNotEquals(FrameAllocator.NO_PAGE, b.allocPages(Gfp.GFP_ATOMIC, 1));

        String after = PagetypeinfoFormatter.format(m, b);
        // Number of blocks type: Unmovable Movable Reclaimable HighAtomic ...: one HighAtomic pageblock in DMA32
        String blocks = after.substring(after.indexOf("Number of blocks type"));
        String[] dma32Blocks = row(blocks, "Node 0, zone    DMA32 ").trim().split("\\s+");
        assertEquals("1", dma32Blocks[7], blocks);
        // its free blocks moved to the HighAtomic free lists
        String free = row(after, "Node    0, zone    DMA32, type   HighAtomic ");
        long pages = 0;
        String[] counts = free.substring("Node    0, zone    DMA32, type   HighAtomic ".length()).trim().split("\\s+");
        for (int o = 0; o < counts.length; o++) {
            pages += Long.parseLong(counts[o]) << o;
        }
        assertEquals(b.nrFreeHighatomic(dma32), pages);
        assertTrue(pages > 0);
        assertEquals(java.util.List.of(), b.check());
        // the extfrag views still print one line per populated zone
        assertEquals(2, ExtfragFormatter.extfragIndex(m, b).split("\n").length);
        assertEquals(2, ExtfragFormatter.unusableIndex(m, b).split("\n").length);
    }
}

package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;

class ExtfragFormatterTest {

    private static final String MINUS_ONES = "-1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 -1.000 \n";

    private static CapturedAllocator captured(CapturedMachine machine) {
        CapturedAllocator allocator = new CapturedAllocator();
        allocator.readBuddyinfo(machine, KernelData.read("proc/proc_buddyinfo.txt"));
        return allocator;
    }

    @Test
    void theCapturedBuddyinfoByHand() {
        CapturedMachine machine = CapturedMachine.fromZoneinfo(KernelData.read("proc/proc_zoneinfo.txt"), KernelData.CAPTURED);
        CapturedAllocator allocator = captured(machine);

        // DMA 0 0 0 0 0 0 0 0 1 1 3: 3840 free pages. Order 9: 7 blocks of 512 suitable, (3840 - 3584) * 1000 / 3840 = 66;
        // order 10: 3 blocks, (3840 - 3072) * 1000 / 3840 = 200. Normal: 77104 free pages, 40 blocks of order 10:
        // (77104 - 40960) * 1000 / 77104 = 468. Every zone has an order-10 block, so no request would fail: -1.000 everywhere.
        String unusable = ExtfragFormatter.unusableIndex(machine, allocator);
        String[] lines = unusable.split("\n");
        assertEquals(3, lines.length);
        assertEquals("Node 0, zone      DMA 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.066 0.200 ", lines[0]);
        assertTrue(lines[1].startsWith("Node 0, zone    DMA32 0.000 "), lines[1]);
        assertTrue(lines[2].startsWith("Node 0, zone   Normal 0.000 ") && lines[2].endsWith(" 0.468 "), lines[2]);
        assertTrue(unusable.endsWith(" \n"));

        assertEquals("Node 0, zone      DMA " + MINUS_ONES + "Node 0, zone    DMA32 " + MINUS_ONES + "Node 0, zone   Normal " + MINUS_ONES,
                ExtfragFormatter.extfragIndex(machine, allocator));
    }

    @Test
    void aFragmentedZoneAndAnEmptyOne() {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.X86_64, 1L << 30, 1, 1, 0));
        m.zone(0, ZoneType.DMA).present = 1;
        m.zone(0, ZoneType.DMA32).present = 1;
        CapturedAllocator a = new CapturedAllocator();
        // 12 free pages in 7 blocks of orders 0-2
        a.setNrFree(m.zone(0, ZoneType.DMA), new long[] {4, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0});
        a.setNrFree(m.zone(0, ZoneType.DMA32), new long[11]);

        assertEquals("Node 0, zone      DMA -1.000 -1.000 -1.000 0.643 0.750 0.804 0.831 0.844 0.851 0.854 0.856 \n"
                + "Node 0, zone    DMA32 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 0.000 \n",
                ExtfragFormatter.extfragIndex(m, a));
        assertEquals("Node 0, zone      DMA 0.000 0.333 0.666 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 \n"
                + "Node 0, zone    DMA32 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 1.000 \n",
                ExtfragFormatter.unusableIndex(m, a));
    }
}

package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;

class BuddyinfoFormatterTest {

    @Test
    void reproducesTheCapturedBuddyinfoByteForByte() {
        String captured = KernelData.read("proc/proc_buddyinfo.txt");
        CapturedMachine machine = CapturedMachine.fromZoneinfo(KernelData.read("proc/proc_zoneinfo.txt"), KernelData.CAPTURED);
        CapturedAllocator allocator = new CapturedAllocator();
        allocator.readBuddyinfo(machine, captured);

        assertEquals(captured, BuddyinfoFormatter.format(machine, allocator));
    }

    @Test
    void printsPopulatedZonesOfEveryNodeAndWidensLargeCounts() {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.X86_64, 1L << 30, 2, 2, 0));
        m.zone(0, ZoneType.DMA).present = 1;
        m.zone(0, ZoneType.DMA32).managed = 5;
        m.zone(1, ZoneType.MOVABLE).present = 1;
        CapturedAllocator a = new CapturedAllocator();
        a.setNrFree(m.zone(0, ZoneType.DMA), new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
        a.setNrFree(m.zone(1, ZoneType.MOVABLE), new long[] {1234567, 0, 0, 0, 0, 0, 0, 0, 0, 0, 999999});

        assertEquals("Node 0, zone      DMA      1      2      3      4      5      6      7      8      9     10     11 \n"
                + "Node 1, zone  Movable 1234567      0      0      0      0      0      0      0      0      0 999999 \n",
                BuddyinfoFormatter.format(m, a));
    }

    @Test
    void aMachineWithoutPopulatedZonesPrintsNothing() {
        CapturedMachine m = new CapturedMachine(new MachineConfig(Arch.ARM64, 1L << 30, 1, 1, 0));

        assertEquals("", BuddyinfoFormatter.format(m, new CapturedAllocator()));
    }
}

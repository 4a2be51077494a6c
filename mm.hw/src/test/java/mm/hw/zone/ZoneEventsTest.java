package mm.hw.zone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import mm.api.machine.MachineConfig;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/** The per-CPU NUMA events of a zone: counted per CPU, summed by state; other items are not counted there. */
class ZoneEventsTest {

    private final MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT.withMem(MachineConfig.parseSize("256M")).withCpus(2));

    @Test
    void numaEventsAreSummedOverTheCpus() {
        Zone z = m.zonelist(0).get(0);
        long before = z.state(ZoneStat.NUMA_HIT);
        z.countEvent(0, ZoneStat.NUMA_HIT, 2);
        z.countEvent(1, ZoneStat.NUMA_HIT, 3);
        assertEquals(before + 5, z.state(ZoneStat.NUMA_HIT));
    }

    @Test
    void otherItemsAreRefused() {
        Zone z = m.zonelist(0).get(0);
        long free = z.state(ZoneStat.NR_FREE_PAGES);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> z.countEvent(0, ZoneStat.NR_FREE_PAGES, 1));
        assertEquals("countEvent(NR_FREE_PAGES): accepted are the NUMA events (NUMA_HIT and after); modState counts the others",
                e.getMessage());
        assertEquals(free, z.state(ZoneStat.NR_FREE_PAGES));
    }
}

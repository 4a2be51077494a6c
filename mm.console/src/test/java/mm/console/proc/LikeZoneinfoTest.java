package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineCapture.ZoneCapture;
import mm.buddy.BuddyAllocator;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ./mm --like DIR} seen through /proc/zoneinfo: the zoneinfo the simulator prints for a
 * machine booted like a capture, read back with the same parser, has every zone's span, present
 * and managed pages, start_pfn, min/low/high/promo and protection array of the capture.
 */
class LikeZoneinfoTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"zoneinfo-like", "proc"})
    void ourZoneinfoHasTheCapturesFigures(String capture) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(capture));
        try (InputStream in = getClass().getResourceAsStream("/kernel-data/" + capture + "/proc_zoneinfo.txt")) {
            Files.copy(in, d.resolve("proc_zoneinfo.txt"));
        }
        if (capture.equals("zoneinfo-like")) {
            for (String f : List.of("proc_meminfo_head.txt", "proc_sys_vm_sysctls.txt")) {
                try (InputStream in = getClass().getResourceAsStream("/kernel-data/zoneinfo-like/" + f)) {
                    Files.copy(in, d.resolve(f));
                }
            }
        }
        MachineCapture cap = MachineCapture.read(d);
        MachineImpl m = MachineImpl.bootLike(cap, 0);
        BuddyAllocator buddy = new BuddyAllocator(m);
        String ours = ZoneinfoFormatter.format(m, buddy);
        List<ZoneCapture> printed = MachineCapture.parseZoneinfo("ours", ours);
        assertEquals(cap.zones().size(), printed.size());
        for (int i = 0; i < printed.size(); i++) {
            ZoneCapture c = cap.zones().get(i);
            ZoneCapture p = printed.get(i);
            String l = c.label();
            assertEquals(c.label(), p.label());
            assertEquals(c.startPfn(), p.startPfn(), l + " start_pfn");
            assertEquals(c.spanned(), p.spanned(), l + " spanned");
            assertEquals(c.present(), p.present(), l + " present");
            assertEquals(c.managed(), p.managed(), l + " managed");
            assertEquals(c.min(), p.min(), l + " min");
            assertEquals(c.low(), p.low(), l + " low");
            assertEquals(c.high(), p.high(), l + " high");
            assertEquals(c.promo(), p.promo(), l + " promo");
            assertArrayEquals(c.protection(), p.protection(), l + " protection");
            assertEquals(c.pagesetCpus(), p.pagesetCpus(), l + " CPUs in the pagesets");
        }
        String machine = MachineFormatter.format(m, buddy.implName());
        assertTrue(machine.contains("like        " + d + " (proc_zoneinfo.txt"), machine);
        assertTrue(machine.contains("every zone's managed pages, watermarks (min/low/high/promo) and protection equal the capture's"),
                machine);
    }
}

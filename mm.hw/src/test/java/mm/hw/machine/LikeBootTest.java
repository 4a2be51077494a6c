package mm.hw.machine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mm.api.machine.Arch;
import mm.api.machine.CaptureSysctls;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineCapture.ZoneCapture;
import mm.api.machine.MachineConfig;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mm --like DIR}: a machine booted like each capture in kernel-data/ has, zone by zone,
 * the capture's span, present and managed pages, min/low/high/promo watermarks and protection
 * arrays, and the same total reserve; with the sysctls read, or inferred when the directory has none.
 */
class LikeBootTest {

    @TempDir
    Path tmp;

    /** Copies kernel-data resources into a directory of the temporary folder. */
    Path dir(String name, String... resources) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (String r : resources) {
            try (InputStream in = LikeBootTest.class.getResourceAsStream("/kernel-data/" + r)) {
                Files.copy(in, d.resolve(Path.of(r).getFileName().toString()));
            }
        }
        return d;
    }

    Path zoneinfoLike() throws IOException {
        return dir("zoneinfo-like", "zoneinfo-like/proc_zoneinfo.txt", "zoneinfo-like/proc_meminfo_head.txt",
                "zoneinfo-like/proc_sys_vm_sysctls.txt");
    }

    /** Every figure of every zone, compared one by one (the message names the zone and figure). */
    static void assertLike(MachineCapture cap, MachineImpl m) {
        Watermark[] marks = {Watermark.MIN, Watermark.LOW, Watermark.HIGH, Watermark.PROMO};
        for (ZoneCapture c : cap.zones()) {
            Zone z = m.zone(c.nid(), c.type());
            assertEquals(c.spanned(), z.spannedPages(), c.label() + " spanned");
            assertEquals(c.present(), z.presentPages(), c.label() + " present");
            assertEquals(c.managed(), z.managedPages(), c.label() + " managed");
            if (c.present() > 0) {
                assertEquals(c.startPfn(), z.startPfn(), c.label() + " start_pfn");
            }
            long[] wm = {c.min(), c.low(), c.high(), c.promo()};
            for (int i = 0; i < marks.length; i++) {
                assertEquals(wm[i], z.watermark(marks[i]), c.label() + " " + marks[i]);
            }
            long[] prot = new long[ZoneType.MAX_NR_ZONES];
            for (int j = 0; j < prot.length; j++) {
                prot[j] = z.lowmemReserve(j);
            }
            assertArrayEquals(c.protection(), prot, c.label() + " protection");
        }
        assertEquals(cap.totalreservePages(), m.totalreservePages(), "totalreserve_pages");
        assertEquals(List.of(), cap.differences(m));
    }

    @Test
    void zoneinfoLikeBootsWithTheSameZonesWatermarksAndProtection() throws IOException {
        MachineCapture cap = MachineCapture.read(zoneinfoLike());
        assertEquals(5, cap.zones().size());
        assertEquals(24682416, cap.memTotalKb());
        assertEquals(67584, cap.minFreeKbytes());
        assertEquals(2, cap.cpus(), "the pagesets list two CPUs");
        MachineImpl m = MachineImpl.bootLike(cap, 0);
        assertLike(cap, m);
        // by hand: DMA min(3785 + 98, 3840) + DMA32 768 + 20121 + Normal 5120
        assertEquals(3840 + 20889 + 5120, m.totalreservePages());
        assertEquals(67584, m.watermarks().tunables().minFreeKbytes());
        assertEquals(2, m.config().cpus());
        assertEquals(1, m.config().nodes());
        assertEquals(Arch.X86_64, m.config().arch());
        assertSame(cap, m.like());
        assertEquals(cap.managedPages(), m.totalramPages());
    }

    @Test
    void procDirectoryWithItsSysctlsAndCpuinfo() throws IOException {
        Path d = dir("proc", "proc/proc_zoneinfo.txt", "proc/proc_sys_vm.txt", "proc/proc_meminfo.txt",
                "proc/cpuinfo_summary.txt", "proc/uname.txt");
        MachineCapture cap = MachineCapture.read(d);
        assertEquals(List.of("proc_zoneinfo.txt", "proc_meminfo.txt", "proc_sys_vm.txt", "cpuinfo_summary.txt"), cap.files());
        MachineImpl m = MachineImpl.bootLike(cap, 0);
        assertLike(cap, m);
        // DMA 3529 + 105 (below its 3840 managed), DMA32 512 + 21573, Normal 3660
        assertEquals(3634 + 22085 + 3660, m.totalreservePages());
    }

    @Test
    void procZoneinfoAloneInfersTheSysctls() throws IOException {
        MachineCapture cap = MachineCapture.read(dir("alone", "proc/proc_zoneinfo.txt"));
        assertEquals(-1, cap.minFreeKbytes());
        assertNull(cap.lowmemReserveRatio());
        CaptureSysctls t = CaptureSysctls.of(cap);
        // pages_min 16895 and 16896 both give these figures; khugepaged's recommendation (512 * 3 zones * 11) is 16896
        assertEquals(67584, t.minFreeKbytes());
        assertEquals(10, t.watermarkScaleFactor());
        assertEquals(15000, t.watermarkBoostFactor());
        assertArrayEquals(new int[] {256, 256, 32, 0, 0}, t.lowmemReserveRatio());
        assertEquals(4, t.inferred().size());
        MachineImpl m = MachineImpl.bootLike(cap, 3);
        assertLike(cap, m);
        assertEquals(3, m.config().cpus(), "a CPU count given wins over the pagesets'");
    }

    @Test
    void zoneinfoLikeAloneInfersTheSameSysctlsAsItsFileSays() throws IOException {
        MachineCapture cap = MachineCapture.read(dir("like-alone", "zoneinfo-like/proc_zoneinfo.txt"));
        CaptureSysctls t = CaptureSysctls.of(cap);
        assertEquals(67584, t.minFreeKbytes());
        assertEquals(10, t.watermarkScaleFactor());
        assertArrayEquals(new int[] {256, 256, 32, 0, 0}, t.lowmemReserveRatio());
        assertLike(cap, MachineImpl.bootLike(cap, 0));
    }

    @Test
    void anotherScaleFactorAndRatioAreInferred() throws IOException {
        // the zoneinfo-like zones under watermark_scale_factor=200 and lowmem_reserve_ratio 100 100 50
        MachineImpl real = MachineImpl.bootLike(MachineCapture.read(zoneinfoLike()), 0);
        real.watermarks().applyTunables(40000, 200, 15000, new int[] {100, 100, 50, 0, 0});
        Path d = Files.createDirectories(tmp.resolve("synthetic"));
        Files.writeString(d.resolve("zoneinfo"), zoneinfoOf(real));
        MachineCapture cap = MachineCapture.read(d);
        CaptureSysctls t = CaptureSysctls.of(cap);
        assertEquals(40000, t.minFreeKbytes());
        assertEquals(200, t.watermarkScaleFactor());
        // Normal's ratio does not show: nothing is managed above it, so the default stays
        assertArrayEquals(new int[] {100, 100, 32, 0, 0}, t.lowmemReserveRatio());
        assertLike(cap, MachineImpl.bootLike(cap, 0));
    }

    @Test
    void theNormalBootPathIsUnchanged() {
        MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT);
        assertNull(m.like());
        assertEquals(3840, m.zone(0, ZoneType.DMA).managedPages());
    }

    // ---- bad input: one line, file:line ----

    @Test
    void aMissingDirectoryOrZoneinfo() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(tmp.resolve("nope")));
        assertEquals("no such directory: " + tmp.resolve("nope"), e.getMessage());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(empty));
        assertEquals(empty + ": no zoneinfo file: expected proc_zoneinfo.txt or zoneinfo (a copy of /proc/zoneinfo)", e.getMessage());
    }

    @Test
    void aTruncatedZoneinfo() throws IOException {
        Path d = zoneinfoLike();
        List<String> lines = Files.readAllLines(d.resolve("proc_zoneinfo.txt"));
        Files.writeString(d.resolve("proc_zoneinfo.txt"), String.join("\n", lines.subList(0, 150)) + "\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("proc_zoneinfo.txt:150: Node 0, zone Normal (line 145) has no 'spanned' line (truncated?)", e.getMessage());
        // cut inside a line
        Files.writeString(d.resolve("proc_zoneinfo.txt"), String.join("\n", lines.subList(0, 57)) + "\n        hi");
        e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("proc_zoneinfo.txt:58: the last line 'hi' is cut short (truncated?)", e.getMessage());
    }

    @Test
    void aNonNumber() throws IOException {
        Path d = zoneinfoLike();
        String text = Files.readString(d.resolve("proc_zoneinfo.txt")).replace("        min      13415", "        min      13x15");
        Files.writeString(d.resolve("proc_zoneinfo.txt"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("proc_zoneinfo.txt:102: '13x15' is not a number (min)", e.getMessage());
        Files.writeString(d.resolve("proc_zoneinfo.txt"), text.replace("13x15", "13415"));
        Files.writeString(d.resolve("proc_sys_vm_sysctls.txt"), "min_free_kbytes=67584\nlowmem_reserve_ratio=256\t256\tx\n");
        e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("proc_sys_vm_sysctls.txt:2: 'x' is not a number (lowmem_reserve_ratio)", e.getMessage());
        Files.writeString(d.resolve("proc_sys_vm_sysctls.txt"), "min_free_kbytes=67584\n");
        Files.writeString(d.resolve("proc_meminfo_head.txt"), "MemTotal:       lots kB\n");
        e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("proc_meminfo_head.txt:1: 'lots' is not a number (MemTotal)", e.getMessage());
    }

    @Test
    void notAZoneinfo() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("meminfo"));
        Files.writeString(d.resolve("zoneinfo"), "MemTotal:       24682416 kB\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("zoneinfo:1: expected a 'Node N, zone NAME' line first, found 'MemTotal:       24682416 kB': is this /proc/zoneinfo?",
                e.getMessage());
        Files.writeString(d.resolve("zoneinfo"), "Node 0, zone  HighMem\n");
        e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertTrue(e.getMessage().startsWith("zoneinfo:1: zone 'HighMem' is not one the simulator has"), e.getMessage());
    }

    @Test
    void managedAbovePresentIsRefused() throws IOException {
        Path d = zoneinfoLike();
        String text = Files.readString(d.resolve("proc_zoneinfo.txt")).replace("        managed  3840", "        managed  4000");
        Files.writeString(d.resolve("proc_zoneinfo.txt"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("proc_zoneinfo.txt:1: Node 0, zone DMA (line 1): managed 4000 <= present 3998 <= spanned 4095 does not hold",
                e.getMessage());
    }

    @Test
    void watermarksOfNoMinFreeKbytesAreRefusedWhenInferring() throws IOException {
        Path d = dir("odd", "proc/proc_zoneinfo.txt");
        String text = Files.readString(d.resolve("proc_zoneinfo.txt")).replace("        min      71\n", "        min      85\n");
        Files.writeString(d.resolve("proc_zoneinfo.txt"), text);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineImpl.bootLike(MachineCapture.read(d), 0));
        assertEquals(d + ": the min watermarks do not follow from any vm.min_free_kbytes (give it in proc_sys_vm_sysctls.txt)",
                e.getMessage());
    }
    @Test
    void theMachineComponentBootsLikeTheDirectoryOfMmLike() throws IOException {
        Path d = zoneinfoLike();
        java.util.Map<String, String> props = java.util.Map.of("mm.like", d.toString(), "mm.cpus", "4", "mm.mem", "8G");
        org.osgi.framework.BundleContext ctx = (org.osgi.framework.BundleContext) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {org.osgi.framework.BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return props.get((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        MachineComponent c = new MachineComponent();
        c.activate(MachineComponentTest.Cfg.EMPTY, ctx);
        assertEquals(4, c.config().cpus(), "mm.cpus is honoured");
        assertEquals(List.of(), c.like().differences(c));
        assertEquals(d, c.like().dir());
        assertEquals(196608, c.zone(0, ZoneType.NORMAL).managedPages());
    }
    /** The figures of /proc/zoneinfo that --like reads, for a simulated machine (pagesets listing its CPUs). */
    static String zoneinfoOf(MachineImpl m) {
        StringBuilder sb = new StringBuilder();
        for (Zone z : m.zones()) {
            sb.append("Node ").append(z.nid()).append(", zone ").append(String.format("%8s", z.name())).append('\n');
            sb.append("        boost    ").append(z.watermarkBoost()).append('\n');
            sb.append("        min      ").append(z.watermark(Watermark.MIN)).append('\n');
            sb.append("        low      ").append(z.watermark(Watermark.LOW)).append('\n');
            sb.append("        high     ").append(z.watermark(Watermark.HIGH)).append('\n');
            sb.append("        promo    ").append(z.watermark(Watermark.PROMO)).append('\n');
            sb.append("        spanned  ").append(z.spannedPages()).append('\n');
            sb.append("        present  ").append(z.presentPages()).append('\n');
            sb.append("        managed  ").append(z.managedPages()).append('\n');
            sb.append("        protection: (");
            for (int j = 0; j < ZoneType.MAX_NR_ZONES; j++) {
                sb.append(j == 0 ? "" : ", ").append(z.lowmemReserve(j));
            }
            sb.append(")\n");
            if (z.presentPages() > 0) {
                sb.append("  pagesets\n");
                for (int c = 0; c < m.config().cpus(); c++) {
                    sb.append("    cpu: ").append(c).append('\n');
                }
                sb.append("  start_pfn:           ").append(z.startPfn()).append('\n');
            }
        }
        return sb.toString();
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"X86_64, 8G, 3, 2, 0", "X86_64, 12G, 4, 2, 512M", "X86_64, 12G, 6, 3, 0", "ARM64, 4G, 2, 2, 0", "X86_64, 1G, 1, 1, 0"})
    void aSimulatedMachineBootedLikeItselfIsItself(Arch arch, String mem, int cpus, int nodes, String movable) throws IOException {
        MachineImpl real = MachineImpl.boot(new MachineConfig(arch, MachineConfig.parseSize(mem), cpus, nodes,
                movable.equals("0") ? 0 : MachineConfig.parseSize(movable)));
        Path d = Files.createDirectories(tmp.resolve("self"));
        Files.writeString(d.resolve("zoneinfo"), zoneinfoOf(real));
        Files.writeString(d.resolve("uname.txt"), arch == Arch.ARM64 ? "Linux sim 6.18 aarch64 GNU/Linux\n" : "Linux sim 6.18 x86_64\n");
        MachineCapture cap = MachineCapture.read(d);
        assertEquals(nodes, cap.nodeCount());
        assertEquals(cpus, cap.cpus());
        MachineImpl like = MachineImpl.bootLike(cap, 0);
        assertLike(cap, like);
        assertEquals(real.totalreservePages(), like.totalreservePages());
        assertEquals(real.totalramPages(), like.totalramPages());
        assertEquals(arch, like.config().arch());
        assertEquals(real.watermarks().tunables().minFreeKbytes() >> 2, like.watermarks().tunables().minFreeKbytes() >> 2);
        for (int c = 0; c < cpus; c++) {
            assertEquals(real.cpuToNode(c), like.cpuToNode(c));
        }
    }
    @Test
    void copiesOfProcSysVmAndCpuinfoAreReadToo() throws IOException {
        Path d = dir("copied", "zoneinfo-like/proc_zoneinfo.txt");
        Files.move(d.resolve("proc_zoneinfo.txt"), d.resolve("zoneinfo"));
        Path vm = Files.createDirectories(d.resolve("vm"));
        Files.writeString(vm.resolve("min_free_kbytes"), "67584\n");
        Files.writeString(vm.resolve("watermark_scale_factor"), "10\n");
        Files.writeString(vm.resolve("watermark_boost_factor"), "0\n");
        Files.writeString(vm.resolve("lowmem_reserve_ratio"), "256\t256\t32\t0\t0\n");
        Files.writeString(d.resolve("cpuinfo"), "processor\t: 0\nmodel name\t: x\n\nprocessor\t: 1\n\nprocessor\t: 2\n\n");
        MachineCapture cap = MachineCapture.read(d);
        assertEquals(List.of("zoneinfo", "vm/", "cpuinfo"), cap.files());
        assertEquals(3, cap.cpus());
        assertEquals(0, cap.watermarkBoostFactor());
        MachineImpl m = MachineImpl.bootLike(cap, 0);
        assertLike(cap, m);
        assertEquals(0, m.watermarks().tunables().watermarkBoostFactor());
        assertEquals(3, m.config().cpus());
        Files.writeString(vm.resolve("watermark_scale_factor"), "0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineCapture.read(d));
        assertEquals("vm/watermark_scale_factor:1: watermark_scale_factor 0 is out of range: the kernel accepts 1 to 3000", e.getMessage());
    }
}

package mm.hw.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.machine.ZoneType;
import mm.api.sysctl.Sysctl;
import mm.hw.zone.ZoneWatermarks;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/**
 * The machine component's configuration precedence (ConfigAdmin value, then framework property,
 * then {@link MachineConfig#DEFAULT}), its one-line errors, and the page allocator's sysctl
 * components.
 */
class MachineComponentTest {

    /** An instance of the component's configuration annotation, as DS would make one. */
    record Cfg(String arch, String mem, int cpus, int nodes, String like, String run) implements MachineComponent.Config {
        static final Cfg EMPTY = new Cfg("", "", 0, 0);

        Cfg(String arch, String mem, int cpus, int nodes) {
            this(arch, mem, cpus, nodes, "", "");
        }

        Cfg(String arch, String mem, int cpus, int nodes, String like) {
            this(arch, mem, cpus, nodes, like, "");
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return MachineComponent.Config.class;
        }
    }

    @Test
    void aShapeAnotherRunWroteIsIgnored() {
        MachineComponent.Config mine = new Cfg("", "1G", 0, 0, "", "run-a");
        assertSame(mine, MachineComponent.ofThisRun(mine, "run-a"));
        assertEquals(1L << 30, MachineComponent.configFrom(MachineComponent.ofThisRun(mine, "run-a"), NO_PROPS).memBytes());
        assertEquals(MachineConfig.DEFAULT, MachineComponent.configFrom(MachineComponent.ofThisRun(mine, "run-b"), NO_PROPS),
                "another run's reboot shape gives way to the run's own options (here none: the default)");
        assertSame(Cfg.EMPTY, MachineComponent.ofThisRun(Cfg.EMPTY, "run-b"), "a configuration without a run holds in every run");
    }

    private static Function<String, String> props(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m::get;
    }

    private static final Function<String, String> NO_PROPS = k -> null;

    // ---- configFrom -----------------------------------------------------------------------------

    @Test
    void nothingConfiguredGivesTheDefaultMachine() {
        assertEquals(MachineConfig.DEFAULT, MachineComponent.configFrom(Cfg.EMPTY, NO_PROPS));
        assertEquals(new MachineConfig(Arch.X86_64, 4L << 30, 4, 1, 0), MachineComponent.configFrom(Cfg.EMPTY, NO_PROPS));
    }

    @Test
    void frameworkPropertiesApplyWhenTheConfigurationIsEmpty() {
        MachineConfig c = MachineComponent.configFrom(Cfg.EMPTY,
                props("mm.arch", "arm64", "mm.mem", "2G", "mm.cpus", "8", "mm.nodes", "2"));
        assertEquals(new MachineConfig(Arch.ARM64, 2L << 30, 8, 2, 0), c);
    }

    @Test
    void configurationValuesWinOverFrameworkProperties() {
        MachineConfig c = MachineComponent.configFrom(new Cfg("x86_64", "1G", 2, 1),
                props("mm.arch", "arm64", "mm.mem", "8G", "mm.cpus", "16", "mm.nodes", "4"));
        assertEquals(new MachineConfig(Arch.X86_64, 1L << 30, 2, 1, 0), c);
    }

    @Test
    void aConfiguredShapeIgnoresTheShapesFrameworkPropertiesButNotTheirCpuCount() {
        MachineConfig c = MachineComponent.configFrom(new Cfg("  ", "512M", 0, 2),
                props("mm.arch", "arm64", "mm.mem", "8G", "mm.cpus", "6"));
        assertEquals(new MachineConfig(Arch.X86_64, 512L << 20, 6, 2, 0), c);
        MachineConfig onlyCpus = MachineComponent.configFrom(new Cfg("", "", 3, 0), NO_PROPS);
        assertEquals(MachineConfig.DEFAULT.withCpus(3), onlyCpus);
        MachineConfig cpusKeepTheProperties = MachineComponent.configFrom(new Cfg("", "", 3, 0),
                props("mm.arch", "arm64", "mm.mem", "2G", "mm.nodes", "2"));
        assertEquals(new MachineConfig(Arch.ARM64, 2L << 30, 3, 2, 0), cpusKeepTheProperties);
    }

    @Test
    void theLikeDirectoryOfTheConfigurationWinsAndAConfiguredShapeDropsTheFrameworksOne() {
        Function<String, String> launchedLike = props("mm.like", "/captures/laptop", "mm.cpus", "2");
        assertEquals("/captures/laptop", MachineComponent.likeDir(Cfg.EMPTY, launchedLike));
        assertEquals("/captures/laptop", MachineComponent.likeDir(new Cfg("", "", 8, 0), launchedLike));
        assertEquals("/captures/server", MachineComponent.likeDir(new Cfg("", "", 0, 0, " /captures/server "), launchedLike));
        assertEquals(null, MachineComponent.likeDir(new Cfg("", "8G", 0, 0), launchedLike));
        assertEquals(MachineConfig.DEFAULT.withMem(8L << 30).withCpus(2),
                MachineComponent.configFrom(new Cfg("", "8G", 0, 0), launchedLike));
        assertEquals(null, MachineComponent.likeDir(Cfg.EMPTY, NO_PROPS));
    }

    @Test
    void valuesAreTrimmedAndBlankPropertiesIgnored() {
        MachineConfig c = MachineComponent.configFrom(Cfg.EMPTY,
                props("mm.arch", " arm64 ", "mm.mem", " 256m ", "mm.cpus", " ", "mm.nodes", ""));
        assertEquals(new MachineConfig(Arch.ARM64, 256L << 20, 4, 1, 0), c);
    }

    private static String configError(Cfg cfg, Function<String, String> props) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineComponent.configFrom(cfg, props));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void anUnknownArchitectureNamesTheAcceptedOnes() {
        String m = configError(new Cfg("sparc", "", 0, 0), NO_PROPS);
        assertTrue(m.contains("unknown architecture 'sparc'"), m);
        assertTrue(m.contains("x86_64") && m.contains("arm64"), m);
        String fromProperty = configError(Cfg.EMPTY, props("mm.arch", "X86_64"));
        assertTrue(fromProperty.contains("'X86_64'"), fromProperty);
    }

    @Test
    void aBadSizeSaysWhatASizeLooksLike() {
        String bad = configError(new Cfg("", "4X", 0, 0), NO_PROPS);
        assertTrue(bad.contains("bad size '4X'"), bad);
        assertTrue(bad.contains("K, M, G or T"), bad);
        String zero = configError(Cfg.EMPTY, props("mm.mem", "0"));
        assertTrue(zero.contains("'0' is zero"), zero);
        assertTrue(zero.contains("accepted are a positive number"), zero);
        String small = configError(new Cfg("", "64M", 0, 0), NO_PROPS);
        assertTrue(small.contains("64 MiB is out of range"), small);
        assertTrue(small.contains("128 MiB to 1 TiB"), small);
    }

    @Test
    void aBadCpuOrNodeCountSaysWhatIsAccepted() {
        String zero = configError(Cfg.EMPTY, props("mm.cpus", "0"));
        assertTrue(zero.contains("CPU count 0 is out of range"), zero);
        assertTrue(zero.contains("1 to 256"), zero);
        String word = configError(Cfg.EMPTY, props("mm.cpus", "four"));
        assertTrue(word.contains("bad CPU count 'four'"), word);
        assertTrue(word.contains("whole number"), word);
        String tooMany = configError(new Cfg("", "", 0, 17), NO_PROPS);
        assertTrue(tooMany.contains("node count 17 is out of range"), tooMany);
        assertTrue(tooMany.contains("1 to 8"), tooMany);
        String split = configError(new Cfg("", "256M", 0, 3), NO_PROPS);
        assertTrue(split.contains("cannot be split into 3 nodes"), split);
        String badNodes = configError(Cfg.EMPTY, props("mm.nodes", "2x"));
        assertTrue(badNodes.contains("bad node count '2x'"), badNodes);
    }

    // ---- activation ----------------------------------------------------------------------------

    /** A BundleContext that only answers getProperty. */
    private static BundleContext contextWith(Function<String, String> props) {
        return (BundleContext) Proxy.newProxyInstance(MachineComponentTest.class.getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getProperty")) {
                        return props.apply((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void activationBootsTheConfiguredMachineAndDelegates() {
        MachineComponent c = new MachineComponent();
        c.activate(new Cfg("", "256M", 0, 0), contextWith(props("mm.cpus", "2", "mm.mem", "8G")));
        assertEquals(new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0), c.config());
        assertEquals(1, c.nodes().size());
        assertEquals(ZoneType.MAX_NR_ZONES, c.zones().size());
        assertSame(c.zones().get(1), c.zone(0, ZoneType.DMA32));
        assertEquals(c.totalramPages(), c.zones().stream().mapToLong(z -> z.managedPages()).sum());
        assertTrue(c.totalreservePages() > 0);
        assertEquals(c.zone(0, ZoneType.DMA32), c.zoneOfPfn(4096));
        assertEquals(List.of(c.zone(0, ZoneType.DMA32), c.zone(0, ZoneType.DMA)), c.zonelist(0));
        assertEquals(0, c.cpuToNode(1));
        assertEquals(Integer.valueOf(1), c.runOn(1, c::currentCpu));
        assertEquals(0, c.frames().startPfn());
        assertTrue(c.memblock().memorySize() > 0);
        assertFalse(c.iomem().isEmpty());
        assertEquals(512, c.archInfo().percpuKb());
        assertEquals(0, c.clock().nanos());
        assertTrue(c.watermarks().tunables().minFreeKbytes() >= 128, "init_per_zone_wmark_min ran");
    }

    // ---- sysctl components ---------------------------------------------------------------------

    private MachineImpl machine;
    private ZoneWatermarks wm;

    @BeforeEach
    void bootSmallMachine() {
        machine = MachineImpl.boot(new MachineConfig(Arch.X86_64, 1L << 30, 2, 1, 0));
        wm = machine.watermarks();
    }

    private <T extends WatermarkSysctl> T wire(T sysctl) {
        sysctl.control = () -> wm;
        return sysctl;
    }

    private static String writeError(Sysctl s, String value) {
        String before = s.read();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.write(value));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().contains(s.name()), "names the sysctl: " + e.getMessage());
        assertEquals(before, s.read(), "a rejected write changes nothing");
        return e.getMessage();
    }

    @Test
    void defaultsReadLikeTheCapturedKernel() {
        // kernel-data/proc/proc_sys_vm.txt, the kernel's defaults (min_free_kbytes depends on the machine)
        assertEquals("256\t256\t32\t0\t0", wire(new LowmemReserveRatioSysctl()).read());
        assertEquals("10", wire(new WatermarkScaleFactorSysctl()).read());
        assertEquals("15000", wire(new WatermarkBoostFactorSysctl()).read());
        assertEquals("0", wire(new PercpuPagelistHighFractionSysctl()).read());
        assertEquals(Integer.toString(wm.tunables().minFreeKbytes()), wire(new MinFreeKbytesSysctl()).read());
    }

    @Test
    void everySysctlHasItsKernelNameAndAOneLineDescription() {
        List<WatermarkSysctl> all = List.of(new MinFreeKbytesSysctl(), new WatermarkScaleFactorSysctl(),
                new WatermarkBoostFactorSysctl(), new PercpuPagelistHighFractionSysctl(), new LowmemReserveRatioSysctl());
        List<String> names = all.stream().map(Sysctl::name).toList();
        assertEquals(List.of("vm.min_free_kbytes", "vm.watermark_scale_factor", "vm.watermark_boost_factor",
                "vm.percpu_pagelist_high_fraction", "vm.lowmem_reserve_ratio"), names);
        for (Sysctl s : all) {
            assertFalse(s.description().isBlank(), s.name());
            assertFalse(s.description().contains("\n"), s.name());
        }
    }

    @Test
    void minFreeKbytesWritesRecomputeTheWatermarks() {
        MinFreeKbytesSysctl s = wire(new MinFreeKbytesSysctl());
        long minBefore = machine.zone(0, ZoneType.DMA32).rawWatermark(mm.api.machine.Watermark.MIN);
        s.write(" 20000\n");
        assertEquals("20000", s.read());
        assertNotEquals(minBefore, machine.zone(0, ZoneType.DMA32).rawWatermark(mm.api.machine.Watermark.MIN));
        String word = writeError(s, "lots");
        assertTrue(word.contains("'lots' is not a number"), word);
        assertTrue(word.contains("whole number of KiB, 0 and above"), word);
        String negative = writeError(s, "-1");
        assertTrue(negative.contains("negative") && negative.contains("0 and above"), negative);
        String empty = writeError(s, null);
        assertTrue(empty.contains("'' is not a number"), empty);
        String overflow = writeError(s, "99999999999");
        assertTrue(overflow.contains("not a number"), overflow);
    }

    @Test
    void watermarkScaleFactorValidatesItsRange() {
        WatermarkScaleFactorSysctl s = wire(new WatermarkScaleFactorSysctl());
        s.write("200");
        assertEquals("200", s.read());
        String zero = writeError(s, "0");
        assertTrue(zero.contains("1 to 3000"), zero);
        String big = writeError(s, "3001");
        assertTrue(big.contains("1 to 3000"), big);
        String word = writeError(s, "ten");
        assertTrue(word.contains("accepted are 1 to 3000"), word);
    }

    @Test
    void watermarkBoostFactorAcceptsZero() {
        WatermarkBoostFactorSysctl s = wire(new WatermarkBoostFactorSysctl());
        s.write("0");
        assertEquals("0", s.read());
        assertFalse(machine.zone(0, ZoneType.DMA32).boostWatermark(), "boosting is off");
        String negative = writeError(s, "-5");
        assertTrue(negative.contains("0 and above"), negative);
    }

    @Test
    void percpuPagelistHighFractionRejectsOneToSeven() {
        PercpuPagelistHighFractionSysctl s = wire(new PercpuPagelistHighFractionSysctl());
        for (int f = 1; f <= 7; f++) {
            String m = writeError(s, Integer.toString(f));
            assertTrue(m.contains("0 or 8 and above"), m);
        }
        s.write("8");
        assertEquals("8", s.read());
        var dma32 = machine.zone(0, ZoneType.DMA32);
        assertEquals(dma32.managedPages() / 8 / 2, dma32.pagesetHighMax());
        s.write("0");
        assertEquals("0", s.read());
    }

    @Test
    void lowmemReserveRatioTakesOneToFiveNumbers() {
        LowmemReserveRatioSysctl s = wire(new LowmemReserveRatioSysctl());
        s.write("128 128\t16");
        assertEquals("128\t128\t16\t0\t0", s.read());
        var dma = machine.zone(0, ZoneType.DMA);
        assertEquals(machine.zone(0, ZoneType.DMA32).managedPages() / 128, dma.lowmemReserve(ZoneType.DMA32.ordinal()));
        s.write("-1 0");
        assertEquals("0\t0\t16\t0\t0", s.read(), "values below 1 become 0");
        assertEquals(0, dma.lowmemReserve(ZoneType.DMA32.ordinal()));
        s.write("256,256,32,0,0");
        assertEquals("256\t256\t32\t0\t0", s.read());

        String empty = writeError(s, "  ");
        assertTrue(empty.contains("1 to 5 whole numbers"), empty);
        String word = writeError(s, "256 lots");
        assertTrue(word.contains("'lots' is not a number"), word);
        String six = writeError(s, "1 2 3 4 5 6");
        assertTrue(six.contains("1 to 5 values") && six.contains("got 6"), six);
    }
}

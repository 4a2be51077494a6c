package mm.hw.machine;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import mm.api.machine.Arch;
import mm.api.machine.ArchInfo;
import mm.api.machine.FrameTable;
import mm.api.machine.IomemResource;
import mm.api.machine.Machine;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineConfig;
import mm.api.machine.Memblock;
import mm.api.machine.MovableOps;
import mm.api.machine.Node;
import mm.api.machine.SimClock;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.zone.ZoneWatermarks;
import mm.api.trace.Tracer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Boots the simulated machine when activated and publishes it as the {@link Machine} service.
 * A new configuration {@code mm.machine} reboots it (DS deactivates the component and activates
 * it again: every consumer of the old machine goes with it, see {@code mm:boot}).
 *
 * <p>Where the shape comes from, first match wins:
 * <ol>
 * <li>the configuration {@code mm.machine}, when it sets any of {@code like}, {@code arch},
 *     {@code mem} or {@code nodes}: then it decides the whole shape, and what it leaves unset is
 *     {@link MachineConfig#DEFAULT}'s (the framework properties are not consulted for the shape,
 *     so that {@code mm:boot --mem 8G} after {@code ./mm --like DIR} gives a default 8 GiB machine);
 *     with {@code like} set, a machine like the real one whose /proc files that directory holds
 *     ({@link MachineCapture}), and {@code arch}, {@code mem} and {@code nodes} are ignored;</li>
 * <li>else the framework properties {@code mm.like}, or {@code mm.arch}, {@code mm.mem} and
 *     {@code mm.nodes} (which {@code ./mm} sets from its options);</li>
 * <li>else {@link MachineConfig#DEFAULT}.</li>
 * </ol>
 * The CPU count is apart: the configuration's {@code cpus} if not 0, else the framework property
 * {@code mm.cpus}, else the capture's count (like a real machine) or the default's.
 */
@Component(service = {Machine.class, WatermarkControl.class}, configurationPid = MachineComponent.PID, immediate = true)
@Designate(ocd = MachineComponent.Config.class)
public class MachineComponent implements Machine, WatermarkControl {

    /** The configuration PID. */
    public static final String PID = "mm.machine";
    /** The framework property naming the directory of a real machine's /proc files to boot like ({@code ./mm --like DIR}). */
    public static final String PROP_LIKE = "mm.like";

    /** The machine's shape; empty values fall back to framework properties, then to the defaults. */
    @ObjectClassDefinition(name = "mm-platform machine", description = "The shape of the simulated machine")
    public @interface Config {
        @AttributeDefinition(description = "Architecture: x86_64 or arm64")
        String arch() default "";

        @AttributeDefinition(description = "RAM size, e.g. 4G or 512M")
        String mem() default "";

        @AttributeDefinition(description = "Number of CPUs, 1 to 256 (0: default)")
        int cpus() default 0;

        @AttributeDefinition(description = "Number of NUMA nodes, 1 to 8 (0: default)")
        int nodes() default 0;

        @AttributeDefinition(description = "A directory holding a copy of a real machine's /proc/zoneinfo (and, if present, "
                + "meminfo and /proc/sys/vm values) to boot a machine like it; wins over arch, mem and nodes")
        String like() default "";

        @AttributeDefinition(description = "The framework run (org.osgi.framework.uuid) that wrote this shape (mm:boot); "
                + "a shape another run wrote is ignored, so that a reboot's shape lasts for its run. Empty: every run")
        String run() default "";
    }

    /** No configuration: the framework properties and the defaults decide the shape. */
    private record Unconfigured() implements Config {
        @Override
        public String arch() {
            return "";
        }

        @Override
        public String mem() {
            return "";
        }

        @Override
        public int cpus() {
            return 0;
        }

        @Override
        public int nodes() {
            return 0;
        }

        @Override
        public String like() {
            return "";
        }

        @Override
        public String run() {
            return "";
        }

        @Override
        public Class<? extends Annotation> annotationType() {
            return Config.class;
        }
    }

    /** The configuration, unless another run of the framework wrote it ({@code mm:boot} then; its shape lasted for that run). */
    static Config ofThisRun(Config config, String frameworkUuid) {
        return isBlank(config.run()) || config.run().equals(frameworkUuid) ? config : new Unconfigured();
    }

    private MachineImpl machine;

    @Activate
    void activate(Config configured, BundleContext context) {
        Config config = ofThisRun(configured, context.getProperty(Constants.FRAMEWORK_UUID));
        String like = likeDir(config, context::getProperty);
        if (like != null) {
            String cpus = pick(config.cpus() == 0 ? "" : Integer.toString(config.cpus()), context.getProperty("mm.cpus"));
            machine = MachineImpl.bootLike(MachineCapture.read(Path.of(like)), cpus == null ? 0 : parseCount("CPU count", cpus));
        } else {
            machine = MachineImpl.boot(configFrom(config, context::getProperty));
        }
        String kb = context.getProperty(PROP_TRACE_BUFFER_KB);
        if (kb != null && !kb.isBlank()) {
            machine.tracer().setBufferSizeKb(parseCount("trace buffer size (KiB)", kb.trim()));
        }
    }

    /** True when the configuration says anything about the shape: then it alone decides it. */
    static boolean shapeConfigured(Config config) {
        return !isBlank(config.like()) || !isBlank(config.arch()) || !isBlank(config.mem()) || config.nodes() != 0;
    }

    /** The directory to boot like: the configuration's when it decides the shape, else the framework property's; or null. */
    static String likeDir(Config config, Function<String, String> property) {
        return shapeConfigured(config) ? pick(config.like(), null) : pick(null, property.apply(PROP_LIKE));
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /** The framework property giving the trace ring buffer's size per CPU in KiB ({@code buffer_size_kb}). */
    public static final String PROP_TRACE_BUFFER_KB = "mm.trace.buffer_size_kb";

    @Override
    public Tracer tracer() {
        return machine.tracer();
    }

    @Override
    public MachineCapture like() {
        return machine.like();
    }

    @Override
    public AutoCloseable registerMovableOps(int owner, MovableOps ops) {
        return machine.registerMovableOps(owner, ops);
    }

    @Override
    public MovableOps movableOps(int owner) {
        return machine.movableOps(owner);
    }

    @Override
    public int extfragThreshold() {
        return machine.extfragThreshold();
    }

    @Override
    public void setExtfragThreshold(int threshold) {
        machine.setExtfragThreshold(threshold);
    }

    /**
     * Resolves the shape of a machine not booted like a real one: the configuration when it
     * {@linkplain #shapeConfigured says anything about the shape}, else the framework properties,
     * then the defaults; the CPU count falls back on its own.
     */
    static MachineConfig configFrom(Config config, Function<String, String> property) {
        Function<String, String> shapeProperty = shapeConfigured(config) ? k -> null : property;
        MachineConfig c = MachineConfig.DEFAULT;
        String arch = pick(config.arch(), shapeProperty.apply("mm.arch"));
        if (arch != null) {
            c = c.withArch(Arch.parse(arch));
        }
        String mem = pick(config.mem(), shapeProperty.apply("mm.mem"));
        if (mem != null) {
            c = c.withMem(MachineConfig.parseSize(mem));
        }
        String cpus = pick(config.cpus() == 0 ? "" : Integer.toString(config.cpus()), property.apply("mm.cpus"));
        if (cpus != null) {
            c = c.withCpus(parseCount("CPU count", cpus));
        }
        String nodes = pick(config.nodes() == 0 ? "" : Integer.toString(config.nodes()), shapeProperty.apply("mm.nodes"));
        if (nodes != null) {
            c = c.withNodes(parseCount("node count", nodes));
        }
        return c;
    }

    private static String pick(String configured, String property) {
        if (configured != null && !configured.isBlank()) {
            return configured.trim();
        }
        return property != null && !property.isBlank() ? property.trim() : null;
    }

    private static int parseCount(String what, String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + what + " '" + text + "': accepted is a whole number", e);
        }
    }

    @Override
    public ZoneWatermarks watermarks() {
        return machine.watermarks();
    }

    @Override
    public MachineConfig config() {
        return machine.config();
    }

    @Override
    public List<Node> nodes() {
        return machine.nodes();
    }

    @Override
    public List<Zone> zones() {
        return machine.zones();
    }

    @Override
    public Zone zone(int nid, ZoneType type) {
        return machine.zone(nid, type);
    }

    @Override
    public Zone zoneOfPfn(long pfn) {
        return machine.zoneOfPfn(pfn);
    }

    @Override
    public List<Zone> zonelist(int nid) {
        return machine.zonelist(nid);
    }

    @Override
    public FrameTable frames() {
        return machine.frames();
    }

    @Override
    public Memblock memblock() {
        return machine.memblock();
    }

    @Override
    public List<IomemResource> iomem() {
        return machine.iomem();
    }

    @Override
    public ArchInfo archInfo() {
        return machine.archInfo();
    }

    @Override
    public SimClock clock() {
        return machine.clock();
    }

    @Override
    public int cpuToNode(int cpu) {
        return machine.cpuToNode(cpu);
    }

    @Override
    public int currentCpu() {
        return machine.currentCpu();
    }

    @Override
    public <T> T runOn(int cpu, Supplier<T> work) {
        return machine.runOn(cpu, work);
    }

    @Override
    public long totalramPages() {
        return machine.totalramPages();
    }

    @Override
    public long totalreservePages() {
        return machine.totalreservePages();
    }
}

package mm.hw.machine;

import java.nio.file.Path;
import java.util.List;
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
import mm.api.trace.TraceRecord;
import mm.api.trace.TraceSink;
import mm.api.trace.Tracepoint;
import mm.api.trace.Tracer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Boots the simulated machine when activated and publishes it as the {@link Machine} service.
 * Its shape comes from the configuration {@code mm.machine}, else from the framework properties
 * {@code mm.arch}, {@code mm.mem}, {@code mm.cpus} and {@code mm.nodes} (which {@code ./mm} sets
 * from its options), else from {@link MachineConfig#DEFAULT}. A new configuration reboots it.
 * With the framework property {@code mm.like} ({@code ./mm --like DIR}) the machine is
 * shaped like the real one whose /proc files the directory holds ({@link MachineCapture}); only
 * the CPU count may then be given as well.
 */
@Component(service = {Machine.class, WatermarkControl.class, Tracer.class}, configurationPid = MachineComponent.PID, immediate = true)
@Designate(ocd = MachineComponent.Config.class)
public class MachineComponent implements Machine, WatermarkControl, Tracer {

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
    }

    private MachineImpl machine;

    @Activate
    void activate(Config config, BundleContext context) {
        String like = pick(null, context.getProperty(PROP_LIKE));
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

    /** The framework property giving the trace ring buffer's size per CPU in KiB ({@code buffer_size_kb}). */
    public static final String PROP_TRACE_BUFFER_KB = "mm.trace.buffer_size_kb";

    @Override
    public Tracer tracer() {
        return machine.tracer();
    }

    @Override
    public Tracepoint tracepoint(String system, String event) {
        return machine.tracer().tracepoint(system, event);
    }

    @Override
    public List<String> events() {
        return machine.tracer().events();
    }

    @Override
    public int setEnabled(String pattern, boolean enabled) {
        return machine.tracer().setEnabled(pattern, enabled);
    }

    @Override
    public AutoCloseable addSink(TraceSink sink) {
        return machine.tracer().addSink(sink);
    }

    @Override
    public List<TraceRecord> records() {
        return machine.tracer().records();
    }

    @Override
    public long entriesWritten() {
        return machine.tracer().entriesWritten();
    }

    @Override
    public void clear() {
        machine.tracer().clear();
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

    /** Resolves the machine's shape: configuration, then framework properties, then defaults. */
    static MachineConfig configFrom(Config config, java.util.function.Function<String, String> property) {
        MachineConfig c = MachineConfig.DEFAULT;
        String arch = pick(config.arch(), property.apply("mm.arch"));
        if (arch != null) {
            c = c.withArch(Arch.parse(arch));
        }
        String mem = pick(config.mem(), property.apply("mm.mem"));
        if (mem != null) {
            c = c.withMem(MachineConfig.parseSize(mem));
        }
        String cpus = pick(config.cpus() == 0 ? "" : Integer.toString(config.cpus()), property.apply("mm.cpus"));
        if (cpus != null) {
            c = c.withCpus(parseCount("CPU count", cpus));
        }
        String nodes = pick(config.nodes() == 0 ? "" : Integer.toString(config.nodes()), property.apply("mm.nodes"));
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

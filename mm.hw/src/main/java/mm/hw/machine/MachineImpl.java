package mm.hw.machine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import mm.api.machine.ArchInfo;
import mm.api.machine.FrameTable;
import mm.api.machine.IomemResource;
import mm.api.machine.Machine;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineConfig;
import mm.api.machine.Memblock;
import mm.api.machine.MovableOps;
import mm.api.machine.Node;
import mm.api.machine.Owners;
import mm.api.machine.SimClock;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.hw.boot.BootSequence;
import mm.hw.memmap.MemMap;
import mm.hw.trace.TracerImpl;
import mm.hw.zone.NodeImpl;
import mm.hw.zone.ZoneImpl;
import mm.hw.zone.ZoneWatermarks;

/** A booted machine. */
public final class MachineImpl implements Machine {

    private final BootSequence.Booted booted;
    private final MachineCapture like;
    private final List<Node> nodes;
    private final List<Zone> zones;
    private final Zone[][] zoneTable;
    private final List<List<Zone>> zonelists;
    private final SimClockImpl clock = new SimClockImpl();
    private final TracerImpl tracer;
    private final ThreadLocal<int[]> cpu = ThreadLocal.withInitial(() -> new int[1]);
    /** The last thread that asked for its CPU, and the answer: spares the thread-local lookup on hot paths. */
    private volatile CpuOfThread lastAsked = new CpuOfThread(null, null);

    private record CpuOfThread(Thread thread, int[] cpu) {
    }

    private MachineImpl(BootSequence.Booted booted, MachineCapture like) {
        this.booted = booted;
        this.like = like;
        this.nodes = List.copyOf(booted.nodes());
        List<Zone> all = new ArrayList<>();
        zoneTable = new Zone[nodes.size()][];
        for (NodeImpl n : booted.nodes()) {
            zoneTable[n.id()] = n.zones().toArray(new Zone[0]);
            all.addAll(n.zones());
        }
        this.zones = List.copyOf(all);
        List<List<Zone>> lists = new ArrayList<>();
        for (int nid = 0; nid < nodes.size(); nid++) {
            lists.add(buildZonelist(nid));
        }
        this.zonelists = List.copyOf(lists);
        this.tracer = new TracerImpl(clock::nanos, this::currentCpu, booted.cpuToNode().length);
    }

    @Override
    public TracerImpl tracer() {
        return tracer;
    }

    private final ConcurrentHashMap<Integer, MovableOps> movableOps =
            new ConcurrentHashMap<>();
    private volatile int extfragThreshold = 500;

    @Override
    public AutoCloseable registerMovableOps(int owner, MovableOps ops) {
        Objects.requireNonNull(ops, "ops");
        if (movableOps.putIfAbsent(owner, ops) != null) {
            throw new IllegalStateException(Owners.name(owner) + " has registered its movable pages already");
        }
        return () -> movableOps.remove(owner, ops);
    }

    @Override
    public MovableOps movableOps(int owner) {
        return movableOps.get(owner);
    }

    @Override
    public int extfragThreshold() {
        return extfragThreshold;
    }

    @Override
    public void setExtfragThreshold(int threshold) {
        if (threshold < 0 || threshold > 1000) {
            throw new IllegalArgumentException("extfrag_threshold " + threshold + " is out of range: accepted are 0 to 1000");
        }
        extfragThreshold = threshold;
    }

    /** Boots a machine of this shape. */
    public static MachineImpl boot(MachineConfig config) {
        return new MachineImpl(BootSequence.boot(config), null);
    }

    /**
     * Boots a machine shaped like a real one ({@code ./mm --like DIR}).
     *
     * @param cpus the CPU count, 0 for the capture's (else the default machine's)
     * @throws IllegalArgumentException when the capture describes a machine the simulator cannot be
     */
    public static MachineImpl bootLike(MachineCapture capture, int cpus) {
        MachineConfig cfg = capture.config(capture.cpusOr(cpus));
        return new MachineImpl(BootSequence.bootLike(capture, cfg), capture);
    }

    @Override
    public MachineCapture like() {
        return like;
    }

    /**
     * {@code build_zonelists}: the local node first, then the others in id order (all nodes are
     * equally distant in the simulator); within a node the managed zones from the highest down
     * ({@code build_zonerefs_node}).
     */
    private List<Zone> buildZonelist(int nid) {
        List<Zone> out = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get((nid + k) % nodes.size());
            for (int z = ZoneType.MAX_NR_ZONES - 1; z >= 0; z--) {
                Zone zone = n.zones().get(z);
                if (zone.managed()) {
                    out.add(zone);
                }
            }
        }
        return List.copyOf(out);
    }

    /** The watermark arithmetic and tunables of this machine. */
    public ZoneWatermarks watermarks() {
        return booted.watermarks();
    }

    /** The frame table with its boot-time mutators. */
    public MemMap memMap() {
        return booted.memMap();
    }

    /** The zones with their implementation type. */
    public List<ZoneImpl> zoneImpls() {
        List<ZoneImpl> out = new ArrayList<>();
        for (NodeImpl n : booted.nodes()) {
            out.addAll(n.zoneImpls());
        }
        return out;
    }

    @Override
    public MachineConfig config() {
        return booted.config();
    }

    @Override
    public List<Node> nodes() {
        return nodes;
    }

    @Override
    public List<Zone> zones() {
        return zones;
    }

    @Override
    public Zone zone(int nid, ZoneType type) {
        return zoneTable[nid][type.ordinal()];
    }

    @Override
    public Zone zoneOfPfn(long pfn) {
        MemMap mm = booted.memMap();
        return zoneTable[mm.nid(pfn)][mm.zoneIndex(pfn)];
    }

    @Override
    public List<Zone> zonelist(int nid) {
        return zonelists.get(nid);
    }

    @Override
    public FrameTable frames() {
        return booted.memMap();
    }

    @Override
    public Memblock memblock() {
        return booted.memblock();
    }

    @Override
    public List<IomemResource> iomem() {
        return booted.iomem();
    }

    @Override
    public ArchInfo archInfo() {
        return booted.archInfo();
    }

    @Override
    public SimClock clock() {
        return clock;
    }

    @Override
    public int cpuToNode(int c) {
        if (c < 0 || c >= booted.cpuToNode().length) {
            throw new IllegalArgumentException("CPU " + c + " does not exist: accepted are 0 to " + (booted.cpuToNode().length - 1));
        }
        return booted.cpuToNode()[c];
    }

    @Override
    public int currentCpu() {
        CpuOfThread last = lastAsked;
        if (last.thread() == Thread.currentThread()) {
            return last.cpu()[0];
        }
        return currentCpuSlow();
    }

    private int currentCpuSlow() {
        int[] c = cpu.get();
        lastAsked = new CpuOfThread(Thread.currentThread(), c);
        return c[0];
    }

    @Override
    public <T> T runOn(int c, Supplier<T> work) {
        cpuToNode(c);
        int[] slot = cpu.get();
        int saved = slot[0];
        slot[0] = c;
        try {
            return work.get();
        } finally {
            slot[0] = saved;
        }
    }

    @Override
    public long totalramPages() {
        long sum = 0;
        for (Zone z : zones) {
            sum += z.managedPages();
        }
        return sum;
    }

    @Override
    public long totalreservePages() {
        return booted.watermarks().totalreservePages();
    }
}

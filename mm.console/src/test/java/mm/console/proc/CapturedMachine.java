package mm.console.proc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mm.api.machine.ArchInfo;
import mm.api.machine.FrameTable;
import mm.api.machine.IomemResource;
import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.Memblock;
import mm.api.machine.Node;
import mm.api.machine.NodeStat;
import mm.api.machine.SimClock;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;

/**
 * A {@link Machine} that carries the numbers of captured /proc files (or numbers a test sets by
 * hand) and nothing else: nodes, zones with their sizes, watermarks, reserves, counters and
 * per-CPU figures, and a frame table that knows only the pageblocks it was told about. Fields are
 * open to the tests; whatever a formatter does not need throws.
 */
final class CapturedMachine implements Machine {

    private static final Pattern ZONE_HEADER = Pattern.compile("Node (\\d+), zone +(\\S+)");

    private final MachineConfig config;
    private final List<Node> nodes = new ArrayList<>();
    private final List<Zone> zones = new ArrayList<>();
    final CapturedFrames frames = new CapturedFrames();
    ArchInfo archInfo = new ArchInfo(0, 0, 0, 0, 0);
    /** When set, {@link #totalreservePages()} answers this instead of computing it. */
    Long totalreserveOverride;

    /** A machine of this shape whose zones are all empty; CPUs are split between nodes as mm.hw does. */
    CapturedMachine(MachineConfig config) {
        this.config = config;
        for (int nid = 0; nid < config.nodes(); nid++) {
            List<Integer> cpus = new ArrayList<>();
            for (int c = 0; c < config.cpus(); c++) {
                if ((long) c * config.nodes() / config.cpus() == nid) {
                    cpus.add(c);
                }
            }
            CapturedNode node = new CapturedNode(nid, cpus.stream().mapToInt(Integer::intValue).toArray(), config.cpus());
            nodes.add(node);
            zones.addAll(node.zones());
        }
    }

    /** The machine a /proc/zoneinfo text describes. */
    static CapturedMachine fromZoneinfo(String text, MachineConfig config) {
        CapturedMachine m = new CapturedMachine(config);
        CapturedZone zone = null;
        boolean nodeStats = false;
        int cpu = 0;
        for (String line : text.split("\n")) {
            Matcher header = ZONE_HEADER.matcher(line);
            if (header.matches()) {
                zone = m.zone(Integer.parseInt(header.group(1)), zoneType(header.group(2)));
                nodeStats = false;
                continue;
            }
            String t = line.trim();
            if (t.equals("per-node stats")) {
                nodeStats = true;
                continue;
            }
            if (t.equals("pagesets")) {
                continue;
            }
            if (t.startsWith("protection: (")) {
                String[] values = t.substring("protection: (".length(), t.length() - 1).split(", ");
                for (int i = 0; i < values.length; i++) {
                    zone.lowmemReserve[i] = Long.parseLong(values[i]);
                }
                continue;
            }
            int space = t.lastIndexOf(' ');
            String key = t.substring(0, space).trim();
            long value = Long.parseLong(t.substring(space + 1));
            switch (key) {
                case "pages free" -> {
                    nodeStats = false;
                    zone.stats[ZoneStat.NR_FREE_PAGES.ordinal()] = value;
                }
                case "boost" -> zone.boost = value;
                case "min" -> zone.watermark[Watermark.MIN.ordinal()] = value - zone.boost;
                case "low" -> zone.watermark[Watermark.LOW.ordinal()] = value - zone.boost;
                case "high" -> zone.watermark[Watermark.HIGH.ordinal()] = value - zone.boost;
                case "promo" -> zone.watermark[Watermark.PROMO.ordinal()] = value - zone.boost;
                case "spanned" -> zone.spanned = value;
                case "present" -> zone.present = value;
                case "managed" -> zone.managed = value;
                case "cma", "node_unreclaimable:" -> expectZero(key, value);
                case "cpu:" -> cpu = (int) value;
                case "count:" -> zone.pcpCount[cpu] = (int) value;
                case "high:" -> zone.pcpHigh[cpu] = (int) value;
                case "batch:" -> zone.batch = (int) value;
                case "high_min:" -> zone.highMin = (int) value;
                case "high_max:" -> zone.highMax = (int) value;
                case "vm stats threshold:" -> zone.statThreshold = (int) value;
                case "start_pfn:" -> zone.start = value;
                default -> {
                    if (nodeStats) {
                        NodeStat item = nodeStat(key);
                        ((CapturedNode) m.node(zone.nid)).stats[item.ordinal()] = item.printInThp() ? value * 512 : value;
                    } else {
                        zone.stats[zoneStat(key).ordinal()] = value;
                    }
                }
            }
        }
        return m;
    }

    private static void expectZero(String key, long value) {
        if (value != 0) {
            throw new IllegalArgumentException("the fixture models '" + key + "' as 0, the capture says " + value);
        }
    }

    static ZoneType zoneType(String name) {
        for (ZoneType t : ZoneType.values()) {
            if (t.kernelName().equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown zone " + name);
    }

    private static NodeStat nodeStat(String name) {
        for (NodeStat s : NodeStat.values()) {
            if (s.kernelName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown node counter " + name);
    }

    private static ZoneStat zoneStat(String name) {
        for (ZoneStat s : ZoneStat.values()) {
            if (s.kernelName().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown zone counter " + name);
    }

    /** A zone, with its fixture type. */
    @Override
    public CapturedZone zone(int nid, ZoneType type) {
        return (CapturedZone) node(nid).zone(type);
    }

    /** A node, with its fixture type. */
    CapturedNode capturedNode(int nid) {
        return (CapturedNode) node(nid);
    }

    @Override
    public MachineConfig config() {
        return config;
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
    public Zone zoneOfPfn(long pfn) {
        for (Zone z : zones) {
            if (z.spans(pfn)) {
                return z;
            }
        }
        throw new IllegalArgumentException("no zone spans pfn " + pfn);
    }

    @Override
    public List<Zone> zonelist(int nid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FrameTable frames() {
        return frames;
    }

    @Override
    public Memblock memblock() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<IomemResource> iomem() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ArchInfo archInfo() {
        return archInfo;
    }

    @Override
    public SimClock clock() {
        throw new UnsupportedOperationException();
    }

    @Override
    public int cpuToNode(int cpu) {
        return (int) ((long) cpu * config.nodes() / config.cpus());
    }

    @Override
    public int currentCpu() {
        return 0;
    }

    @Override
    public <T> T runOn(int cpu, Supplier<T> work) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long totalramPages() {
        long sum = 0;
        for (Zone z : zones) {
            sum += z.managedPages();
        }
        return sum;
    }

    /** {@code calculate_totalreserve_pages} from the zones' figures, unless a test overrides it. */
    @Override
    public long totalreservePages() {
        if (totalreserveOverride != null) {
            return totalreserveOverride;
        }
        long reserve = 0;
        for (Zone z : zones) {
            long max = 0;
            for (int j = z.type().ordinal(); j < ZoneType.MAX_NR_ZONES; j++) {
                max = Math.max(max, z.lowmemReserve(j));
            }
            reserve += Math.min(max + z.watermark(Watermark.HIGH), z.managedPages());
        }
        return reserve;
    }

    /** A node of the fixture. */
    static final class CapturedNode implements Node {
        final int id;
        final int[] cpus;
        final List<Zone> zones = new ArrayList<>();
        final long[] stats = new long[NodeStat.COUNT];

        CapturedNode(int id, int[] cpus, int allCpus) {
            this.id = id;
            this.cpus = cpus;
            for (ZoneType t : ZoneType.values()) {
                zones.add(new CapturedZone(id, t, allCpus));
            }
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public long startPfn() {
            return zones.stream().filter(z -> z.spannedPages() > 0).mapToLong(Zone::startPfn).min().orElse(0);
        }

        @Override
        public long spannedPages() {
            return zones.stream().mapToLong(Zone::endPfn).max().orElse(0) - startPfn();
        }

        @Override
        public long presentPages() {
            return zones.stream().mapToLong(Zone::presentPages).sum();
        }

        @Override
        public List<Zone> zones() {
            return zones;
        }

        @Override
        public int[] cpus() {
            return cpus.clone();
        }

        @Override
        public long state(NodeStat item) {
            return stats[item.ordinal()];
        }

        @Override
        public void modState(NodeStat item, long delta) {
            stats[item.ordinal()] += delta;
        }
    }

    /** A zone of the fixture; the per-CPU list figures are read by {@link CapturedAllocator}. */
    static final class CapturedZone implements Zone {
        final int nid;
        final ZoneType type;
        long start;
        long spanned;
        long present;
        long managed;
        long boost;
        final long[] watermark = new long[Watermark.NR_WMARK];
        final long[] lowmemReserve = new long[ZoneType.MAX_NR_ZONES];
        final long[] stats = new long[ZoneStat.COUNT];
        int batch;
        int highMin;
        int highMax;
        int statThreshold;
        final int[] pcpCount;
        final int[] pcpHigh;

        CapturedZone(int nid, ZoneType type, int cpus) {
            this.nid = nid;
            this.type = type;
            this.pcpCount = new int[cpus];
            this.pcpHigh = new int[cpus];
        }

        @Override
        public int nid() {
            return nid;
        }

        @Override
        public ZoneType type() {
            return type;
        }

        @Override
        public long startPfn() {
            return start;
        }

        @Override
        public long spannedPages() {
            return spanned;
        }

        @Override
        public long presentPages() {
            return present;
        }

        @Override
        public long managedPages() {
            return managed;
        }

        @Override
        public long watermark(Watermark w) {
            return watermark[w.ordinal()] + boost;
        }

        @Override
        public long rawWatermark(Watermark w) {
            return watermark[w.ordinal()];
        }

        @Override
        public long watermarkBoost() {
            return boost;
        }

        @Override
        public void setWatermarkBoost(long pages) {
            boost = pages;
        }

        @Override
        public boolean boostWatermark() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long lowmemReserve(int highestZoneIdx) {
            return lowmemReserve[highestZoneIdx];
        }

        @Override
        public long state(ZoneStat item) {
            return stats[item.ordinal()];
        }

        @Override
        public void modState(ZoneStat item, long delta) {
            stats[item.ordinal()] += delta;
        }

        @Override
        public void countEvent(int cpu, ZoneStat item, long delta) {
            stats[item.ordinal()] += delta;
        }

        @Override
        public int pagesetBatch() {
            return batch;
        }

        @Override
        public int pagesetHighMin() {
            return highMin;
        }

        @Override
        public int pagesetHighMax() {
            return highMax;
        }

        @Override
        public int statThreshold() {
            return statThreshold;
        }
    }

    /**
     * A frame table that knows pageblocks only: each known block has a node, a zone and a
     * migratetype; a pfn of an unknown block is not valid ({@code pfn_valid} false), like a hole
     * or memory whose struct pages are not initialised yet.
     */
    static final class CapturedFrames implements FrameTable {
        private record Block(int nid, int zoneIndex, int migratetype) {
        }

        private final Map<Long, Block> blocks = new HashMap<>();

        /** Makes the pageblock holding {@code pfn} valid, of this node, zone and migratetype. */
        void setBlock(long pfn, int nid, ZoneType zone, int migratetype) {
            blocks.put(pfn >> Machine.PAGEBLOCK_ORDER, new Block(nid, zone.ordinal(), migratetype));
        }

        /**
         * Gives the zone's pageblocks their types in zone order: stepping from its start pfn, the
         * first {@code counts[0]} blocks get migratetype 0, the next {@code counts[1]} type 1 and so
         * on; the blocks after them stay unknown.
         */
        void assignBlocks(Zone zone, long[] counts) {
            long pfn = zone.startPfn();
            for (int type = 0; type < counts.length; type++) {
                for (long i = 0; i < counts[type]; i++, pfn += Machine.PAGEBLOCK_NR_PAGES) {
                    if (pfn >= zone.endPfn()) {
                        throw new IllegalArgumentException(zone.name() + " is too small for " + counts[type] + " blocks");
                    }
                    setBlock(pfn, zone.nid(), zone.type(), type);
                }
            }
        }

        private Block block(long pfn) {
            Block b = blocks.get(pfn >> Machine.PAGEBLOCK_ORDER);
            if (b == null) {
                throw new IllegalStateException("pfn " + pfn + " is not valid: a formatter read it without pfn_valid");
            }
            return b;
        }

        @Override
        public boolean pfnValid(long pfn) {
            return blocks.containsKey(pfn >> Machine.PAGEBLOCK_ORDER);
        }

        @Override
        public int nid(long pfn) {
            return block(pfn).nid();
        }

        @Override
        public int zoneIndex(long pfn) {
            return block(pfn).zoneIndex();
        }

        @Override
        public int pageblockMigratetype(long pfn) {
            return block(pfn).migratetype();
        }

        @Override
        public void setPageblockMigratetype(long pfn, int migratetype) {
            Block b = block(pfn);
            blocks.put(pfn >> Machine.PAGEBLOCK_ORDER, new Block(b.nid(), b.zoneIndex(), migratetype));
        }

        // ---- nothing below is needed by the formatters -------------------------------------

        @Override
        public long startPfn() {
            return 0;
        }

        @Override
        public long endPfn() {
            return Long.MAX_VALUE;
        }

        @Override
        public int flags(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean test(long pfn, int bit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void set(long pfn, int bit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clear(long pfn, int bit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int pageFlags(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPageFlags(long pfn, int bits) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void clearFrame(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int order(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setOrder(long pfn, int order) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int refcount(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setRefcount(long pfn, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int mapcount(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setMapcount(long pfn, int count) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int privateWord(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setPrivate(long pfn, int value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int listNext(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int listPrev(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setListLinks(long pfn, int next, int prev) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setListNext(long pfn, int next) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setListPrev(long pfn, int prev) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int owner(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setOwner(long pfn, int owner) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int memcg(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setMemcg(long pfn, int memcgId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long contentToken(long pfn) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setContentToken(long pfn, long token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long heapBytes() {
            throw new UnsupportedOperationException();
        }
    }
}

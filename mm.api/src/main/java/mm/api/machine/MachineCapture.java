package mm.api.machine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a real machine's /proc files say about its memory, read from a directory for
 * {@code ./mm --like DIR}: the zones of {@code /proc/zoneinfo} and, when present, {@code MemTotal}
 * of {@code /proc/meminfo}, the page allocator's {@code /proc/sys/vm} values and the CPU count.
 * Reading is apart from booting: a machine is shaped from a capture by the machine bundle.
 *
 * <p>Files looked for in the directory (the first found of each row):
 * <ul>
 * <li>zoneinfo (required): {@code proc_zoneinfo.txt}, {@code zoneinfo}</li>
 * <li>meminfo: {@code proc_meminfo_head.txt}, {@code proc_meminfo.txt}, {@code meminfo}</li>
 * <li>vm sysctls as {@code name=value} lines: {@code proc_sys_vm_sysctls.txt}, {@code proc_sys_vm.txt};
 *     or a copy of {@code /proc/sys/vm} as the directory {@code vm/} (one file per sysctl)</li>
 * <li>CPUs: {@code cpuinfo_summary.txt} ({@code nproc=N}), {@code cpuinfo} (its {@code processor} lines);
 *     else the number of CPUs zoneinfo's pagesets list</li>
 * </ul>
 *
 * <p>Anything unreadable or malformed is an {@link IllegalArgumentException} of one line naming the
 * file and line: {@code proc_zoneinfo.txt:102: 'x13415' is not a number (min)}.
 *
 * @param dir the directory, as given
 * @param zones every zone zoneinfo prints, in its order (node by node, zone index ascending)
 * @param cpus the CPU count the directory gives (cpuinfo, else the pagesets), 0 if it gives none
 * @param memTotalKb MemTotal of meminfo in kB, -1 without meminfo
 * @param minFreeKbytes {@code vm.min_free_kbytes}, -1 when not given
 * @param watermarkScaleFactor {@code vm.watermark_scale_factor}, -1 when not given
 * @param watermarkBoostFactor {@code vm.watermark_boost_factor}, -1 when not given
 * @param lowmemReserveRatio {@code vm.lowmem_reserve_ratio} by zone index, null when not given
 * @param arch the architecture ({@code uname.txt} saying aarch64 makes it arm64; x86_64 otherwise)
 * @param files the files read, by name
 */
public record MachineCapture(Path dir, List<ZoneCapture> zones, int cpus, long memTotalKb, int minFreeKbytes,
        int watermarkScaleFactor, int watermarkBoostFactor, int[] lowmemReserveRatio, Arch arch, List<String> files) {

    /** The zoneinfo file names looked for, in order. */
    public static final List<String> ZONEINFO_NAMES = List.of("proc_zoneinfo.txt", "zoneinfo");
    /** The meminfo file names looked for, in order. */
    public static final List<String> MEMINFO_NAMES = List.of("proc_meminfo_head.txt", "proc_meminfo.txt", "meminfo");
    /** The sysctl file names looked for, in order. */
    public static final List<String> SYSCTL_NAMES = List.of("proc_sys_vm_sysctls.txt", "proc_sys_vm.txt");

    /**
     * One {@code Node N, zone NAME} section of /proc/zoneinfo. The watermarks are the printed ones
     * (which include the boost); {@code startPfn} is -1 for an unpopulated zone (the kernel prints none).
     *
     * @param line the line of the zone's header, for messages
     * @param pagesetCpus how many {@code cpu:} entries its pagesets list
     */
    public record ZoneCapture(int nid, ZoneType type, long startPfn, long spanned, long present, long managed, long boost,
            long min, long low, long high, long promo, long[] protection, int pagesetCpus, int line) {

        /** {@code Node 0, zone DMA32}. */
        public String label() {
            return "Node " + nid + ", zone " + type.kernelName();
        }

        /** The protection entry for the zone index, 0 beyond what was printed. */
        public long protection(int j) {
            return j < protection.length ? protection[j] : 0;
        }
    }

    /**
     * The vm sysctls to boot with: those given, the others inferred from the zones' figures.
     *
     * @throws IllegalArgumentException when no value of a missing sysctl gives the capture's figures
     */
    public CaptureSysctls sysctls() {
        return CaptureSysctls.of(this);
    }

    /** The number of nodes. */
    public int nodeCount() {
        int n = 0;
        for (ZoneCapture z : zones) {
            n = Math.max(n, z.nid() + 1);
        }
        return n;
    }

    /** The capture's zone of this node and type, or null if zoneinfo did not print it. */
    public ZoneCapture zone(int nid, ZoneType type) {
        for (ZoneCapture z : zones) {
            if (z.nid() == nid && z.type() == type) {
                return z;
            }
        }
        return null;
    }

    /** Σ present pages. */
    public long presentPages() {
        return zones.stream().mapToLong(ZoneCapture::present).sum();
    }

    /** Σ managed pages. */
    public long managedPages() {
        return zones.stream().mapToLong(ZoneCapture::managed).sum();
    }

    /**
     * {@code calculate_totalreserve_pages} over the capture's own figures: per zone the largest
     * protection entry plus the high watermark (less the boost), capped at the managed pages.
     */
    public long totalreservePages() {
        long sum = 0;
        for (ZoneCapture z : zones) {
            long max = 0;
            for (int j = z.type().ordinal(); j < z.protection().length; j++) {
                max = Math.max(max, z.protection()[j]);
            }
            sum += WatermarkMath.zoneTotalreserve(max, z.high() - z.boost(), z.managed());
        }
        return sum;
    }

    /**
     * The {@link MachineConfig} a machine shaped like this one has: its architecture, present RAM
     * rounded up to whole MiB (at least {@link MachineConfig#MIN_MEM}), this CPU count and the node count.
     */
    public MachineConfig config(int cpuCount) {
        long bytes = Math.max(MachineConfig.MIN_MEM, (presentPages() * MachineConfig.PAGE_SIZE + (1L << 20) - 1) & -(1L << 20));
        int nodes = nodeCount();
        // a node smaller than MIN_NODE_MEM is fine for a real machine: only the summary needs a config
        bytes = Math.max(bytes, nodes * MachineConfig.MIN_NODE_MEM);
        try {
            return new MachineConfig(arch, bytes, cpuCount, nodes, 0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(dir + ": the machine it describes cannot be simulated: " + e.getMessage(), e);
        }
    }

    /** The CPU count to boot with: the one given, else the capture's, else the default machine's. */
    public int cpusOr(int given) {
        return given > 0 ? given : cpus > 0 ? cpus : MachineConfig.DEFAULT.cpus();
    }

    /**
     * How a machine differs from this capture: for every zone the span, present and managed pages,
     * the min/low/high/promo watermarks (without the boost) and the protection array; then the
     * total reserve. One line per difference; empty when the machine is exactly like the capture.
     */
    public List<String> differences(Machine m) {
        List<String> out = new ArrayList<>();
        if (m.nodes().size() != nodeCount()) {
            out.add("nodes: " + m.nodes().size() + " here, " + nodeCount() + " there");
            return out;
        }
        Watermark[] marks = {Watermark.MIN, Watermark.LOW, Watermark.HIGH, Watermark.PROMO};
        for (ZoneCapture c : zones) {
            Zone z = m.zone(c.nid(), c.type());
            String l = c.label() + ": ";
            long[] mine = {z.spannedPages(), z.presentPages(), z.managedPages()};
            long[] theirs = {c.spanned(), c.present(), c.managed()};
            String[] names = {"spanned", "present", "managed"};
            for (int i = 0; i < 3; i++) {
                if (mine[i] != theirs[i]) {
                    out.add(l + names[i] + " " + mine[i] + " here, " + theirs[i] + " there");
                }
            }
            if (c.present() > 0 && z.startPfn() != c.startPfn()) {
                out.add(l + "start_pfn " + z.startPfn() + " here, " + c.startPfn() + " there");
            }
            long[] wm = {c.min(), c.low(), c.high(), c.promo()};
            for (int i = 0; i < marks.length; i++) {
                long here = z.rawWatermark(marks[i]);
                long there = wm[i] - c.boost();
                if (here != there) {
                    out.add(l + marks[i].name().toLowerCase(Locale.ROOT) + " " + here + " here, " + there + " there");
                }
            }
            for (int j = 0; j < ZoneType.MAX_NR_ZONES; j++) {
                if (z.lowmemReserve(j) != c.protection(j)) {
                    out.add(l + "protection[" + j + "] " + z.lowmemReserve(j) + " here, " + c.protection(j) + " there");
                }
            }
        }
        if (out.isEmpty() && m.totalreservePages() != totalreservePages()) {
            out.add("totalreserve_pages " + m.totalreservePages() + " here, " + totalreservePages() + " there");
        }
        return out;
    }

    /** One line: where the figures came from. */
    public String describe() {
        return dir + " (" + String.join(", ", files) + ")";
    }

    /**
     * Reads a directory.
     *
     * @throws IllegalArgumentException one line saying what is missing or malformed, and where
     */
    public static MachineCapture read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(Files.exists(dir) ? dir + " is not a directory: --like needs a directory holding a copy of /proc/zoneinfo"
                    : "no such directory: " + dir);
        }
        List<String> read = new ArrayList<>();
        Path zi = first(dir, ZONEINFO_NAMES);
        if (zi == null) {
            throw new IllegalArgumentException(dir + ": no zoneinfo file: expected " + String.join(" or ", ZONEINFO_NAMES)
                    + " (a copy of /proc/zoneinfo)");
        }
        read.add(zi.getFileName().toString());
        String zoneinfoText = readText(zi);
        List<ZoneCapture> zones = parseZoneinfo(zi.getFileName().toString(), zoneinfoText);

        long memTotal = -1;
        Path mi = first(dir, MEMINFO_NAMES);
        if (mi != null) {
            read.add(mi.getFileName().toString());
            memTotal = parseMemTotal(mi.getFileName().toString(), readText(mi));
        }

        int[] sysctls = {-1, -1, -1};
        int[] ratios = null;
        Path sc = first(dir, SYSCTL_NAMES);
        if (sc != null) {
            read.add(sc.getFileName().toString());
            ratios = parseSysctls(sc.getFileName().toString(), readText(sc), sysctls);
        } else if (Files.isDirectory(dir.resolve("vm"))) {
            for (String name : List.of("min_free_kbytes", "watermark_scale_factor", "watermark_boost_factor", "lowmem_reserve_ratio")) {
                Path f = dir.resolve("vm").resolve(name);
                if (Files.isRegularFile(f)) {
                    int[] r = parseSysctls("vm/" + name, name + "=" + readText(f).strip(), sysctls);
                    ratios = r != null ? r : ratios;
                }
            }
            read.add("vm/");
        }

        int cpus = 0;
        Path summary = dir.resolve("cpuinfo_summary.txt");
        Path cpuinfo = dir.resolve("cpuinfo");
        if (Files.isRegularFile(summary)) {
            read.add("cpuinfo_summary.txt");
            cpus = parseNproc("cpuinfo_summary.txt", readText(summary));
        } else if (Files.isRegularFile(cpuinfo)) {
            read.add("cpuinfo");
            cpus = (int) readText(cpuinfo).lines().filter(l -> l.matches("processor\\s*:.*")).count();
        }
        if (cpus == 0) {
            cpus = zones.stream().mapToInt(ZoneCapture::pagesetCpus).max().orElse(0);
        }
        Arch arch = Arch.X86_64;
        Path uname = dir.resolve("uname.txt");
        if (Files.isRegularFile(uname) && readText(uname).contains("aarch64")) {
            arch = Arch.ARM64;
        }
        return new MachineCapture(dir, zones, cpus, memTotal, sysctls[0], sysctls[1], sysctls[2], ratios, arch, List.copyOf(read));
    }

    private static Path first(Path dir, List<String> names) {
        for (String n : names) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static String readText(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + p, e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException bad(String file, int line, String what) {
        return new IllegalArgumentException(file + ":" + line + ": " + what);
    }

    private static long number(String file, int line, String key, String text) {
        try {
            long v = Long.parseLong(text);
            if (v < 0) {
                throw bad(file, line, "'" + text + "' is negative (" + key + ")");
            }
            return v;
        } catch (NumberFormatException e) {
            throw bad(file, line, "'" + text + "' is not a number (" + key + ")");
        }
    }

    /** A zone being read: -1 for a field not seen yet. */
    private static final class Partial {
        final int nid;
        final ZoneType type;
        final int line;
        long startPfn = -1;
        long spanned = -1;
        long present = -1;
        long managed = -1;
        long boost = 0;
        long min = -1;
        long low = -1;
        long high = -1;
        long promo = -1;
        long[] protection;
        int cpus;

        Partial(int nid, ZoneType type, int line) {
            this.nid = nid;
            this.type = type;
            this.line = line;
        }

        ZoneCapture finish(String file, int lastLine) {
            String where = "Node " + nid + ", zone " + type.kernelName() + " (line " + line + ")";
            String[] names = {"min", "low", "high", "spanned", "present", "managed"};
            long[] values = {min, low, high, spanned, present, managed};
            for (int i = 0; i < names.length; i++) {
                if (values[i] < 0) {
                    throw bad(file, lastLine, where + " has no '" + names[i] + "' line (truncated?)");
                }
            }
            if (protection == null) {
                throw bad(file, lastLine, where + " has no 'protection:' line (truncated?)");
            }
            if (present > 0 && startPfn < 0) {
                throw bad(file, lastLine, where + " has present pages but no 'start_pfn:' line (truncated?)");
            }
            if (present > spanned || managed > present) {
                throw bad(file, line, where + ": managed " + managed + " <= present " + present + " <= spanned " + spanned
                        + " does not hold");
            }
            if (boost > min) {
                throw bad(file, line, where + ": boost " + boost + " is above the min watermark " + min);
            }
            if (!(min <= low && low <= high && (promo < 0 || high <= promo))) {
                throw bad(file, line, where + ": watermarks min " + min + ", low " + low + ", high " + high
                        + " are not in order");
            }
            return new ZoneCapture(nid, type, startPfn, spanned, present, managed, boost, min, low, high,
                    promo < 0 ? high + (high - low) : promo, protection, cpus, line);
        }
    }

    /**
     * Parses the text of /proc/zoneinfo.
     *
     * @param file the file's name, for messages
     * @throws IllegalArgumentException naming file:line and what is wrong
     */
    public static List<ZoneCapture> parseZoneinfo(String file, String text) {
        if (text.isBlank()) {
            throw bad(file, 1, "the file is empty: expected /proc/zoneinfo's 'Node 0, zone      DMA' sections");
        }
        List<ZoneCapture> zones = new ArrayList<>();
        Partial z = null;
        String[] lines = text.split("\n", -1);
        int count = lines.length;
        boolean endsWithNewline = lines[count - 1].isEmpty();
        if (endsWithNewline) {
            count--;
        }
        for (int i = 0; i < count; i++) {
            int ln = i + 1;
            String line = lines[i].strip();
            if (line.startsWith("Node ")) {
                if (z != null) {
                    zones.add(z.finish(file, ln - 1));
                }
                z = header(file, ln, line, zones);
                continue;
            }
            if (line.isEmpty()) {
                continue;
            }
            if (z == null) {
                throw bad(file, ln, "expected a 'Node N, zone NAME' line first, found '" + shorten(line) + "': is this /proc/zoneinfo?");
            }
            if (line.startsWith("protection:")) {
                int open = line.indexOf('(');
                int close = line.indexOf(')');
                if (open < 0 || close < open) {
                    throw bad(file, ln, "'" + shorten(line) + "' is not 'protection: (a, b, ...)' (truncated?)");
                }
                String[] parts = line.substring(open + 1, close).split(",");
                if (parts.length > ZoneType.MAX_NR_ZONES) {
                    throw bad(file, ln, "protection has " + parts.length + " entries: the simulator has "
                            + ZoneType.MAX_NR_ZONES + " zone types (DMA, DMA32, Normal, Movable, Device)");
                }
                long[] p = new long[parts.length];
                for (int k = 0; k < parts.length; k++) {
                    p[k] = number(file, ln, "protection", parts[k].strip());
                }
                z.protection = p;
                continue;
            }
            String[] kv = line.split("\\s+");
            if (kv.length != 2) {
                continue;
            }
            switch (kv[0]) {
                case "min" -> z.min = number(file, ln, kv[0], kv[1]);
                case "low" -> z.low = number(file, ln, kv[0], kv[1]);
                case "high" -> z.high = number(file, ln, kv[0], kv[1]);
                case "promo" -> z.promo = number(file, ln, kv[0], kv[1]);
                case "boost" -> z.boost = number(file, ln, kv[0], kv[1]);
                case "spanned" -> z.spanned = number(file, ln, kv[0], kv[1]);
                case "present" -> z.present = number(file, ln, kv[0], kv[1]);
                case "managed" -> z.managed = number(file, ln, kv[0], kv[1]);
                case "start_pfn:" -> z.startPfn = number(file, ln, "start_pfn", kv[1]);
                case "cpu:" -> z.cpus++;
                default -> { }
            }
        }
        if (z == null) {
            throw bad(file, count, "no 'Node N, zone NAME' line: is this /proc/zoneinfo?");
        }
        if (!endsWithNewline) {
            throw bad(file, count, "the last line '" + shorten(lines[count - 1].strip()) + "' is cut short (truncated?)");
        }
        zones.add(z.finish(file, count));
        checkLayout(file, zones);
        return List.copyOf(zones);
    }

    private static Partial header(String file, int ln, String line, List<ZoneCapture> done) {
        // "Node 0, zone      DMA"
        String[] parts = line.split("[,\\s]+");
        if (parts.length != 4 || !parts[2].equals("zone")) {
            throw bad(file, ln, "'" + shorten(line) + "' is not 'Node N, zone NAME'");
        }
        int nid = (int) number(file, ln, "node id", parts[1]);
        ZoneType type = null;
        for (ZoneType t : ZoneType.values()) {
            if (t.kernelName().equals(parts[3])) {
                type = t;
            }
        }
        if (type == null) {
            throw bad(file, ln, "zone '" + parts[3] + "' is not one the simulator has: accepted are DMA, DMA32, Normal, Movable, Device"
                    + (parts[3].equals("HighMem") ? " (HighMem belongs to 32-bit kernels)" : ""));
        }
        int lastNid = done.isEmpty() ? 0 : done.get(done.size() - 1).nid();
        if (nid >= MachineConfig.MAX_NUMNODES) {
            throw bad(file, ln, "node " + nid + ": the simulator has at most " + MachineConfig.MAX_NUMNODES + " nodes");
        }
        if (nid != lastNid && nid != lastNid + 1) {
            throw bad(file, ln, "node " + nid + " follows node " + lastNid + ": node ids must run from 0 without gaps");
        }
        if (done.isEmpty() && nid != 0) {
            throw bad(file, ln, "the first node is " + nid + ": node ids must run from 0 without gaps");
        }
        for (ZoneCapture z : done) {
            if (z.nid() == nid && z.type().ordinal() >= type.ordinal()) {
                throw bad(file, ln, "Node " + nid + ", zone " + type.kernelName() + " comes after zone " + z.type().kernelName()
                        + ": zones must be in the kernel's order, each once");
            }
        }
        return new Partial(nid, type, ln);
    }

    /**
     * Populated zones, taken in the capture's order (node by node, each node's zones in the kernel's
     * order), must rise in address without overlapping: each starts after the end of the previous
     * populated zone, whichever node that belongs to.
     */
    private static void checkLayout(String file, List<ZoneCapture> zones) {
        ZoneCapture prev = null;
        for (ZoneCapture z : zones) {
            if (z.present() == 0 || z.type() == ZoneType.DEVICE) {
                continue;
            }
            if (prev != null && z.startPfn() < prev.startPfn() + prev.spanned()) {
                throw bad(file, z.line(), z.label() + " starts at pfn " + z.startPfn() + ", inside " + prev.label()
                        + " (pfns " + prev.startPfn() + " to " + (prev.startPfn() + prev.spanned() - 1) + ")");
            }
            prev = z;
        }
    }

    /**
     * The rule of {@code --like DIR} ({@code ./mm} and {@code mm:boot}): the machine's RAM, nodes
     * and architecture come from DIR, so none of {@code --mem}, {@code --nodes}, {@code --arch} may
     * be given with it (only {@code --cpus}).
     *
     * @param shapeOptions the shape options given besides {@code --like}, as typed ({@code --mem})
     * @return the one line saying what conflicts and what is accepted, or null if nothing does
     */
    public static String likeConflict(String dir, List<String> shapeOptions) {
        if (shapeOptions.isEmpty()) {
            return null;
        }
        return "--like conflicts with " + String.join(" and ", shapeOptions) + ": the machine's RAM, nodes and architecture come from "
                + dir + " (only --cpus may be given with --like)";
    }

    /** MemTotal of /proc/meminfo (or its head), in kB. */
    public static long parseMemTotal(String file, String text) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("MemTotal:")) {
                String[] kv = lines[i].substring("MemTotal:".length()).strip().split("\\s+");
                if (kv.length != 2 || !kv[1].equals("kB")) {
                    throw bad(file, i + 1, "'" + shorten(lines[i].strip()) + "' is not 'MemTotal: N kB'");
                }
                return number(file, i + 1, "MemTotal", kv[0]);
            }
        }
        throw bad(file, 1, "no 'MemTotal:' line: is this /proc/meminfo?");
    }

    /**
     * The page allocator's sysctls from {@code name=value} lines (other names are skipped).
     *
     * @param out min_free_kbytes, watermark_scale_factor and watermark_boost_factor, -1 where not given
     * @return lowmem_reserve_ratio, or null when not given
     */
    static int[] parseSysctls(String file, String text, int[] out) {
        int[] ratios = null;
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            int ln = i + 1;
            switch (name) {
                case "min_free_kbytes", "vm.min_free_kbytes" -> out[0] = intValue(file, ln, "min_free_kbytes", value, 0);
                case "watermark_scale_factor", "vm.watermark_scale_factor" -> {
                    out[1] = intValue(file, ln, "watermark_scale_factor", value, 0);
                    if (out[1] < 1 || out[1] > 3000) {
                        throw bad(file, ln, "watermark_scale_factor " + out[1] + " is out of range: the kernel accepts 1 to 3000");
                    }
                }
                case "watermark_boost_factor", "vm.watermark_boost_factor" -> out[2] = intValue(file, ln, "watermark_boost_factor", value, 0);
                case "lowmem_reserve_ratio", "vm.lowmem_reserve_ratio" -> {
                    String[] parts = value.split("\\s+");
                    if (value.isEmpty() || parts.length > ZoneType.MAX_NR_ZONES) {
                        throw bad(file, ln, "lowmem_reserve_ratio '" + value + "' needs 1 to " + ZoneType.MAX_NR_ZONES + " numbers");
                    }
                    ratios = new int[ZoneType.MAX_NR_ZONES];
                    Arrays.fill(ratios, 0);
                    for (int k = 0; k < parts.length; k++) {
                        ratios[k] = intValue(file, ln, "lowmem_reserve_ratio", parts[k], 0);
                    }
                }
                default -> { }
            }
        }
        return ratios;
    }

    private static int intValue(String file, int line, String name, String text, int least) {
        long v = number(file, line, name, text);
        if (v < least || v > Integer.MAX_VALUE) {
            throw bad(file, line, name + " " + text + " is out of range: accepted are " + least + " to " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static int parseNproc(String file, String text) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip().toLowerCase(Locale.ROOT);
            if (l.startsWith("nproc=")) {
                long n = number(file, i + 1, "nproc", l.substring(6).strip());
                if (n < 1 || n > MachineConfig.MAX_CPUS) {
                    throw bad(file, i + 1, "nproc " + n + " is out of range: the simulator runs 1 to " + MachineConfig.MAX_CPUS + " CPUs");
                }
                return (int) n;
            }
        }
        return 0;
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    @Override
    public String toString() {
        return "MachineCapture[" + describe() + ", " + zones.size() + " zones]";
    }
}

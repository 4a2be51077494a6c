package mm.api.machine;

import java.util.Locale;

/**
 * The shape of a simulated machine: what {@code ./mm --arch --mem --cpus --nodes} choose.
 *
 * @param arch the architecture
 * @param memBytes installed RAM in bytes, a multiple of the 4 KiB page size
 * @param cpus the number of CPUs
 * @param nodes the number of NUMA nodes; RAM and CPUs are split evenly between them
 * @param movableBytes RAM given to ZONE_MOVABLE on each node's top, like {@code movablecore=}; 0 for none
 */
public record MachineConfig(Arch arch, long memBytes, int cpus, int nodes, long movableBytes) {

    /** PAGE_SHIFT. */
    public static final int PAGE_SHIFT = 12;
    /** PAGE_SIZE. */
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    /** The smallest machine: the kernel image, the low reserved megabyte and the memmap must fit. */
    public static final long MIN_MEM = 128L << 20;
    /** The largest machine: the frame table (14 bytes a frame) has to fit in the Java heap. */
    public static final long MAX_MEM = 1L << 40;
    /** The most CPUs the simulator runs (NR_CPUS of a distribution kernel is larger). */
    public static final int MAX_CPUS = 256;
    /** The most NUMA nodes (the frame table keeps the node id in 3 bits of the flags word). */
    public static final int MAX_NUMNODES = 8;
    /** The smallest node: one memory section (SECTION_SIZE_BITS = 27 on both architectures). */
    public static final long MIN_NODE_MEM = 128L << 20;

    /** The default machine: x86_64, 4 GiB, 4 CPUs, one node. */
    public static final MachineConfig DEFAULT = new MachineConfig(Arch.X86_64, 4L << 30, 4, 1, 0);

    /** Validates the configuration; each message says what was wrong and what is accepted. */
    public MachineConfig {
        if (arch == null) {
            throw new IllegalArgumentException("no architecture given: accepted are x86_64, arm64");
        }
        if (memBytes < MIN_MEM || memBytes > MAX_MEM) {
            throw new IllegalArgumentException("memory size " + formatSize(memBytes) + " is out of range: accepted are "
                    + formatSize(MIN_MEM) + " to " + formatSize(MAX_MEM));
        }
        if (memBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("memory size " + memBytes + " is not a multiple of the 4 KiB page size");
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("CPU count " + cpus + " is out of range: accepted are 1 to " + MAX_CPUS);
        }
        if (nodes < 1 || nodes > MAX_NUMNODES) {
            throw new IllegalArgumentException("node count " + nodes + " is out of range: accepted are 1 to " + MAX_NUMNODES);
        }
        if (memBytes / nodes < MIN_NODE_MEM) {
            throw new IllegalArgumentException(formatSize(memBytes) + " cannot be split into " + nodes
                    + " nodes: each node needs at least " + formatSize(MIN_NODE_MEM));
        }
        if (movableBytes < 0 || movableBytes % PAGE_SIZE != 0 || movableBytes > memBytes / nodes / 2) {
            throw new IllegalArgumentException("movable memory " + movableBytes + " is out of range: accepted are 0 to half"
                    + " of a node's memory, in whole pages");
        }
    }

    /** A copy with another architecture. */
    public MachineConfig withArch(Arch a) {
        return new MachineConfig(a, memBytes, cpus, nodes, movableBytes);
    }

    /** A copy with another memory size. */
    public MachineConfig withMem(long bytes) {
        return new MachineConfig(arch, bytes, cpus, nodes, movableBytes);
    }

    /** A copy with another CPU count. */
    public MachineConfig withCpus(int n) {
        return new MachineConfig(arch, memBytes, n, nodes, movableBytes);
    }

    /** A copy with another node count. */
    public MachineConfig withNodes(int n) {
        return new MachineConfig(arch, memBytes, cpus, n, movableBytes);
    }

    /** The number of page frames of RAM. */
    public long totalFrames() {
        return memBytes >>> PAGE_SHIFT;
    }

    /** One line: {@code x86_64, 4 GiB RAM, 4 CPUs, 1 node}. */
    public String summary() {
        return arch + ", " + formatSize(memBytes) + " RAM, " + cpus + (cpus == 1 ? " CPU, " : " CPUs, ")
                + nodes + (nodes == 1 ? " node" : " nodes")
                + (movableBytes > 0 ? ", " + formatSize(movableBytes) + " movable per node" : "");
    }

    /**
     * Parses a size the way the kernel's {@code memparse} does, in binary units: a number with an
     * optional suffix K, M, G or T (also KiB/KB, upper or lower case). {@code 4G}, {@code 512M}.
     *
     * @throws IllegalArgumentException naming what was wrong and what is accepted
     */
    public static long parseSize(String text) {
        String accepted = ": accepted are a positive number with an optional unit K, M, G or T (e.g. 4G, 512M)";
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty size" + accepted);
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        if (s.endsWith("IB")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("B") && s.length() > 1 && !Character.isDigit(s.charAt(s.length() - 2))) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        switch (last) {
            case 'K' -> shift = 10;
            case 'M' -> shift = 20;
            case 'G' -> shift = 30;
            case 'T' -> shift = 40;
            default -> { }
        }
        String digits = shift == 0 ? s : s.substring(0, s.length() - 1);
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit) || digits.length() > 18) {
            throw new IllegalArgumentException("bad size '" + text + "'" + accepted);
        }
        long value = Long.parseLong(digits);
        if (value == 0) {
            throw new IllegalArgumentException("size '" + text + "' is zero" + accepted);
        }
        if (value > (Long.MAX_VALUE >>> shift)) {
            throw new IllegalArgumentException("size '" + text + "' is too large" + accepted);
        }
        return value << shift;
    }

    /** Formats a byte count in the largest binary unit that divides it: {@code 4 GiB}, {@code 1536 MiB}. */
    public static String formatSize(long bytes) {
        String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v != 0 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }
}

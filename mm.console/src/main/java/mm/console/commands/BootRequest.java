package mm.console.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mm.api.machine.Arch;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineConfig;

/**
 * What {@code mm:boot} is asked for, validated before anything changes, and the configuration
 * {@code mm.machine} it makes. The rules:
 * <ul>
 * <li>no option: the same machine again (the configuration as it is);</li>
 * <li>{@code --like DIR}, {@code --mem}, {@code --arch}, {@code --nodes}: a new shape, exactly
 *     what they say, the defaults for the rest ({@code --like} takes everything from DIR, so it
 *     goes with none of the other three);</li>
 * <li>{@code --cpus N}: the CPU count, whatever the shape; without it the count stays as
 *     configured.</li>
 * </ul>
 * A directory for {@code --like} is read here ({@link MachineCapture#read}), so that a missing or
 * malformed file is refused while the running machine is still intact.
 */
final class BootRequest {

    /** The configuration's attributes (see the machine component's {@code Config}). */
    static final String LIKE = "like";
    static final String ARCH = "arch";
    static final String MEM = "mem";
    static final String CPUS = "cpus";
    static final String NODES = "nodes";
    /** Counts the reboots, so that each writes a configuration that differs from the last one. */
    static final String GENERATION = "mm.boot.generation";

    private static final List<String> SHAPE = List.of(LIKE, ARCH, MEM, NODES);

    /** Given values by attribute, parsed and checked; absent when not given. */
    private final Map<String, Object> given;
    private final MachineCapture capture;

    private BootRequest(Map<String, Object> given, MachineCapture capture) {
        this.given = given;
        this.capture = capture;
    }

    /**
     * Checks the options; blank means not given.
     *
     * @throws CommandError one line saying what was wrong and what is accepted
     */
    static BootRequest of(String like, String mem, String cpus, String nodes, String arch) {
        Map<String, Object> given = new HashMap<>();
        if (isGiven(cpus)) {
            given.put(CPUS, Args.count("CPU count", cpus, 1, MachineConfig.MAX_CPUS));
        }
        if (isGiven(like)) {
            List<String> others = new ArrayList<>();
            for (String[] o : new String[][] {{"--mem", mem}, {"--arch", arch}, {"--nodes", nodes}}) {
                if (isGiven(o[1])) {
                    others.add(o[0]);
                }
            }
            String conflict = MachineCapture.likeConflict(like.strip(), others);
            if (conflict != null) {
                throw new CommandError(conflict);
            }
            MachineCapture capture;
            try {
                capture = MachineCapture.read(Path.of(like.strip()));
                capture.config(capture.cpusOr(given.containsKey(CPUS) ? (Integer) given.get(CPUS) : 0));
            } catch (IllegalArgumentException e) {
                throw new CommandError("--like: " + e.getMessage());
            }
            given.put(LIKE, like.strip());
            return new BootRequest(given, capture);
        }
        MachineConfig shape = MachineConfig.DEFAULT;
        try {
            if (isGiven(arch)) {
                Arch a = Arch.parse(arch.strip());
                given.put(ARCH, a.toString());
                shape = shape.withArch(a);
            }
            if (isGiven(mem)) {
                shape = shape.withMem(MachineConfig.parseSize(mem.strip()));
                given.put(MEM, mem.strip());
            }
        } catch (IllegalArgumentException e) {
            throw new CommandError(e.getMessage());
        }
        if (isGiven(nodes)) {
            int n = Args.count("node count", nodes, 1, MachineConfig.MAX_NUMNODES);
            given.put(NODES, n);
            try {
                shape = shape.withNodes(n);
            } catch (IllegalArgumentException e) {
                throw new CommandError(e.getMessage());
            }
        }
        return new BootRequest(given, null);
    }

    private static boolean isGiven(String option) {
        return option != null && !option.isBlank();
    }

    /** True if it gives a new shape (else the machine keeps its shape, and maybe changes its CPU count). */
    boolean newShape() {
        return SHAPE.stream().anyMatch(given::containsKey);
    }

    /** The capture read for {@code --like}, or null. */
    MachineCapture capture() {
        return capture;
    }

    /**
     * The configuration {@code mm.machine} to write.
     *
     * @param current its properties now, or null if there is none
     */
    Map<String, Object> properties(Map<String, ?> current) {
        Map<String, Object> next = new HashMap<>();
        if (!newShape() && current != null) {
            for (String k : SHAPE) {
                if (current.get(k) != null) {
                    next.put(k, current.get(k));
                }
            }
        }
        next.putAll(given);
        if (!given.containsKey(CPUS) && current != null && current.get(CPUS) != null) {
            next.put(CPUS, current.get(CPUS));
        }
        long generation = 0;
        Object g = current == null ? null : current.get(GENERATION);
        if (g != null) {
            try {
                generation = Long.parseLong(g.toString());
            } catch (NumberFormatException e) {
                // counts from 0 again
            }
        }
        next.put(GENERATION, generation + 1);
        return next;
    }
}

package mm.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mm.api.machine.Arch;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineConfig;
import mm.api.slab.SlabFlags;

/**
 * The command line of {@code ./mm}, parsed and validated.
 *
 * @param machine the machine to boot
 * @param commands the {@code -c} commands, or null
 * @param script the script to run, or null
 * @param scriptArgs arguments for the script ($1 .. $9)
 * @param help true for {@code --help}
 * @param slubDebug the {@code slub_debug=} boot option ({@code FZPU}, {@code FZ,kmalloc-64}), or null
 * @param like the directory of a real machine's /proc files to boot a machine like ({@code --like DIR}), or null;
 *     {@code machine} is then the shape it describes
 */
record LaunchOptions(MachineConfig machine, String commands, Path script, List<String> scriptArgs, boolean help, String slubDebug,
        Path like) {

    /** A command line that cannot be used; the message says what was wrong and what is accepted. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    /** True when the shell runs interactively (no -c, no script). */
    boolean interactive() {
        return commands == null && script == null;
    }

    /**
     * Parses the arguments: {@code --mem SIZE}, {@code --cpus N}, {@code --nodes N},
     * {@code --arch ARCH}, {@code --like DIR} (also as {@code --opt=value}), {@code -c COMMANDS}, {@code -h}/{@code --help},
     * then an optional script and its arguments.
     */
    static LaunchOptions parse(String[] args) throws UsageException {
        MachineConfig machine = MachineConfig.DEFAULT;
        String commands = null;
        Path script = null;
        List<String> scriptArgs = new ArrayList<>();
        boolean help = false;
        String slubDebug = null;
        Path like = null;
        List<String> shape = new ArrayList<>();
        boolean cpusGiven = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (script != null) {
                scriptArgs.add(arg);
                continue;
            }
            String name = arg;
            String inline = null;
            if (arg.startsWith("--") && arg.indexOf('=') > 0) {
                name = arg.substring(0, arg.indexOf('='));
                inline = arg.substring(arg.indexOf('=') + 1);
            }
            switch (name) {
                case "-h", "--help" -> help = true;
                case "--mem", "--cpus", "--nodes", "--arch", "--slub_debug", "--like", "-c" -> {
                    String value = inline;
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException("option " + name + " needs a value, e.g. " + example(name));
                        }
                        value = args[++i];
                    }
                    if (name.equals("--like")) {
                        if (like != null) {
                            throw new UsageException("--like was given twice: a machine is shaped like one directory");
                        }
                        like = Path.of(value);
                    } else if (name.equals("--slub_debug")) {
                        slubDebug = checkSlubDebug(value);
                    } else if (name.equals("-c")) {
                        if (commands != null) {
                            throw new UsageException("-c was given twice: put all commands in one -c, separated by ';'");
                        }
                        commands = value;
                    } else {
                        machine = apply(machine, name, value);
                        if (name.equals("--cpus")) {
                            cpusGiven = true;
                        } else if (!shape.contains(name)) {
                            shape.add(name);
                        }
                    }
                }
                default -> {
                    if (arg.startsWith("-") && arg.length() > 1) {
                        throw new UsageException("unknown option '" + arg + "': accepted are --mem, --cpus, --nodes, --arch, --like, --slub_debug, -c, --help");
                    }
                    script = Path.of(arg);
                }
            }
        }
        if (commands != null && script != null) {
            throw new UsageException("give either -c COMMANDS or a script, not both");
        }
        if (like != null && !help) {
            String conflict = MachineCapture.likeConflict(like.toString(), shape);
            if (conflict != null) {
                throw new UsageException(conflict);
            }
            machine = likeMachine(like, cpusGiven ? machine.cpus() : 0);
        }
        return new LaunchOptions(machine, commands, script, List.copyOf(scriptArgs), help, slubDebug, like);
    }

    /**
     * Reads the directory now, so that a missing or malformed file is a usage error of one line
     * before anything starts; the machine bundle reads it again when it boots.
     */
    private static MachineConfig likeMachine(Path dir, int cpus) throws UsageException {
        try {
            MachineCapture cap = MachineCapture.read(dir);
            cap.sysctls();
            return cap.config(cap.cpusOr(cpus));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--like: " + e.getMessage());
        }
    }

    private static String example(String option) {
        return switch (option) {
            case "--mem" -> "--mem 4G";
            case "--cpus" -> "--cpus 4";
            case "--nodes" -> "--nodes 2";
            case "--arch" -> "--arch arm64";
            case "--slub_debug" -> "--slub_debug FZPU or --slub_debug=FZ,kmalloc-64";
            case "--like" -> "--like DIR (a directory with a copy of /proc/zoneinfo)";
            default -> "-c 'mm:meminfo'";
        };
    }

    /** {@code slub_debug=FLAGS[,CACHE...]}: the letters must be SLUB's, the cache names non-empty. */
    private static String checkSlubDebug(String value) throws UsageException {
        String[] parts = value.split(",", -1);
        try {
            SlabFlags.parseSlubDebug(parts[0]);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--slub_debug " + value + ": " + e.getMessage());
        }
        for (int k = 1; k < parts.length; k++) {
            if (parts[k].isBlank()) {
                throw new UsageException("--slub_debug " + value + ": an empty cache name; accepted is FLAGS[,CACHE,...], e.g. FZPU,kmalloc-64");
            }
        }
        return value;
    }

    private static MachineConfig apply(MachineConfig m, String option, String value) throws UsageException {
        try {
            return switch (option) {
                case "--mem" -> m.withMem(MachineConfig.parseSize(value));
                case "--cpus" -> m.withCpus(parseCount(option, value));
                case "--nodes" -> m.withNodes(parseCount(option, value));
                default -> m.withArch(Arch.parse(value));
            };
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + value + ": " + e.getMessage());
        }
    }

    private static int parseCount(String option, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }
}

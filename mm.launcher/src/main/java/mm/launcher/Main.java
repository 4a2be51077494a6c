package mm.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./mm}: boots a simulated machine inside Apache Felix and opens the Gogo shell, or runs
 * {@code -c} commands or a script and exits.
 *
 * <p>Exit status: 0 on success, 1 when a command of a script or of {@code -c} fails (the error
 * names it, and the script line), 2 for a bad command line, 3 when the platform cannot start.
 */
public final class Main {

    /** A command of the script or of -c failed. */
    static final int EXIT_COMMAND_FAILED = 1;
    /** The command line was wrong. */
    static final int EXIT_USAGE = 2;
    /** The platform could not start. */
    static final int EXIT_STARTUP = 3;

    private final PrintStream out;
    private final PrintStream err;

    Main(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The entry point. */
    public static void main(String[] args) {
        int code = new Main(System.out, System.err).run(args);
        System.out.flush();
        System.exit(code);
    }

    int run(String[] args) {
        LaunchOptions opts;
        try {
            opts = LaunchOptions.parse(args);
        } catch (LaunchOptions.UsageException e) {
            err.println("mm: " + e.getMessage());
            err.println("Try './mm --help' for the options.");
            return EXIT_USAGE;
        }
        if (opts.help()) {
            out.print(usage());
            return 0;
        }
        String source = null;
        if (opts.script() != null) {
            try {
                source = Files.readString(opts.script(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("mm: cannot read script '" + opts.script() + "': " + reason(e));
                return EXIT_USAGE;
            }
        }
        Path bundles = home().resolve("bundles");
        if (!Files.isDirectory(bundles)) {
            err.println("mm: no bundles directory at " + bundles + ": run ./mm from the repository, or build with mvn package");
            return EXIT_STARTUP;
        }
        if (!opts.interactive()) {
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        Platform platform;
        try {
            platform = Platform.start(bundles, opts.machine(), opts.interactive(), dir("mm.state"), dir("mm.load"), opts.slubDebug(),
                    opts.like());
        } catch (Exception e) {
            err.println("mm: the platform did not start: " + e.getMessage());
            return EXIT_STARTUP;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> Platform.deleteStorage(platform.storage())));
        try (platform) {
            Object runner = platform.awaitScriptRunner();
            if (runner == null) {
                err.println("mm: the console did not come up within " + Platform.READY_TIMEOUT_MS / 1000 + " s: "
                        + platform.diagnose());
                return EXIT_STARTUP;
            }
            platform.awaitLoadDirectory();
            platform.startShell();
            if (opts.interactive()) {
                platform.awaitStop();
                return 0;
            }
            String origin = opts.script() != null ? opts.script().getFileName().toString() : "-c";
            String program = opts.script() != null ? source : opts.commands();
            return runScript(runner, program, origin, opts.scriptArgs());
        } catch (Exception e) {
            err.println("mm: " + e);
            return EXIT_STARTUP;
        }
    }

    /**
     * Calls the console's script runner; it lives in the framework, so only java.* types cross
     * over: {@code int run(String program, String origin, boolean lines, List args, PrintStream out, PrintStream err)}.
     */
    private int runScript(Object runner, String program, String origin, List<String> args) throws ReflectiveOperationException {
        Method run = runner.getClass().getMethod("run", String.class, String.class, boolean.class, List.class,
                PrintStream.class, PrintStream.class);
        boolean lines = !"-c".equals(origin);
        return (Integer) run.invoke(runner, program, origin, lines, args, out, err);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }

    /** A directory named by a system property ({@code ./mm} sets them), or null. */
    private static Path dir(String property) {
        String v = System.getProperty(property);
        return v == null || v.isBlank() ? null : Path.of(v);
    }

    /** The distribution's directory: -Dmm.home, else the parent of the lib/ directory holding this jar. */
    static Path home() {
        String prop = System.getProperty("mm.home");
        if (prop != null) {
            return Path.of(prop);
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().getParent();
        } catch (Exception e) {
            return Path.of(".");
        }
    }

    static String usage() {
        try (InputStream in = Main.class.getResourceAsStream("usage.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            return "Usage: ./mm [--mem SIZE] [--cpus N] [--nodes N] [--arch ARCH] [-c COMMANDS | SCRIPT]\n";
        }
    }
}

package mm.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mm.api.machine.MachineConfig;
import mm.api.subsystem.JarLocation;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Apache Felix with mm-platform's bundles: installs every jar of the distribution's
 * {@code bundles/} directory, starts them (the Gogo JLine shell last, once the console is up),
 * and hands out the console's script runner.
 */
final class Platform implements AutoCloseable {

    /** The bundle that runs the interactive shell; started after everything else. */
    static final String SHELL_BUNDLE = "org.apache.felix.gogo.jline";
    /** The service that says the console is up, and runs scripts. */
    static final String SCRIPT_RUNNER = "mm.console.script.ScriptRunner";
    /** How long the console may take to come up. */
    static final long READY_TIMEOUT_MS = 30_000;

    /** How long the first command waits for the jars already in the load directory to come up. */
    static final long LOAD_TIMEOUT_MS = 10_000;

    private final Framework framework;
    private final Path storage;
    private final List<Bundle> bundles = new ArrayList<>();
    private Bundle shell;
    /** Whether the shell runs a session of its own (else it only sources its profile and ends). */
    private boolean interactive;
    private Path load;

    private Platform(Framework framework, Path storage) {
        this.framework = framework;
        this.storage = storage;
    }

    /**
     * Starts the framework and every bundle but the shell.
     *
     * @param state where the platform keeps what outlives a run (the configurations, among them the
     *     active implementation of each contract), or null to keep nothing
     * @param load the directory FileInstall watches for implementation bundles, or null for none
     * @param slubDebug the {@code slub_debug=} boot option (framework property {@code mm.slub_debug}), or null
     * @param like the directory of a real machine's /proc files to boot a machine shaped like it
     *     (framework property {@code mm.like}; {@code machine} then only gives the CPU count), or null
     */
    static Platform start(Path bundleDir, MachineConfig machine, boolean interactive, Path state, Path load, String slubDebug,
            Path like) throws BundleException, IOException {
        Path storage = Files.createTempDirectory("mm-felix-");
        Map<String, String> props = new HashMap<>();
        if (state != null) {
            Path config = Files.createDirectories(state.resolve("config"));
            props.put("felix.cm.dir", config.toAbsolutePath().toString());
        }
        if (load != null) {
            Files.createDirectories(load);
            props.put("felix.fileinstall.dir", load.toAbsolutePath().toString());
            props.put("felix.fileinstall.poll", "500");
            props.put("felix.fileinstall.noInitialDelay", "true");
            props.put("felix.fileinstall.filter", ".*\\.jar");
            // the switchboard reports what did not load, in one line per jar (mm:impls)
            props.put("felix.fileinstall.log.level", "0");
        }
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // MM_DEBUG=1 makes the framework and the component runtime say why something did not come up
        boolean debug = System.getenv("MM_DEBUG") != null;
        props.put("felix.log.level", debug ? "4" : "1");
        props.put("ds.loglevel", debug ? "debug" : "warn");
        props.put("mm.arch", machine.arch().kernelName());
        props.put("mm.mem", Long.toString(machine.memBytes()));
        props.put("mm.cpus", Integer.toString(machine.cpus()));
        if (slubDebug != null) {
            props.put("mm.slub_debug", slubDebug);
        }
        props.put("mm.nodes", Integer.toString(machine.nodes()));
        if (like != null) {
            props.put("mm.like", like.toAbsolutePath().normalize().toString());
        }
        // the JLine shell runs a session only when interactive; scripts run through the console's runner
        props.put("gosh.args", interactive ? "" : "--nointeractive");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework fw = factory.newFramework(props);
        fw.start();
        Platform p = new Platform(fw, storage);
        p.interactive = interactive;
        p.load = load;
        p.installAll(bundleDir);
        return p;
    }

    private void installAll(Path bundleDir) throws BundleException, IOException {
        BundleContext ctx = framework.getBundleContext();
        List<Path> jars;
        try (Stream<Path> s = Files.list(bundleDir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        if (jars.isEmpty()) {
            throw new IOException("no bundles in " + bundleDir);
        }
        for (Path jar : jars) {
            bundles.add(ctx.installBundle(jar.toUri().toString()));
        }
        for (Bundle b : bundles) {
            if (SHELL_BUNDLE.equals(b.getSymbolicName())) {
                shell = b;
            } else if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    /**
     * Waits until the console's script runner is registered: the machine has booted, the frame
     * allocator adopted it and the commands are up.
     *
     * @return the runner, or null after {@link #READY_TIMEOUT_MS}
     */
    Object awaitScriptRunner() throws InterruptedException {
        BundleContext ctx = framework.getBundleContext();
        return await(READY_TIMEOUT_MS, 10, () -> {
            ServiceReference<?> ref = ctx.getServiceReference(SCRIPT_RUNNER);
            return ref == null ? null : ctx.getService(ref);
        });
    }

    /**
     * Asks {@code condition} every {@code pollMs} until it gives a value or {@code timeoutMs} have
     * passed.
     *
     * @return the first value that is not null, or null at the deadline
     */
    static <T> T await(long timeoutMs, long pollMs, Supplier<T> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            T value = condition.get();
            if (value != null || System.currentTimeMillis() >= deadline) {
                return value;
            }
            Thread.sleep(pollMs);
        }
    }

    /**
     * Waits (at most {@link #LOAD_TIMEOUT_MS}) until every jar that was in the load directory at
     * start is a bundle FileInstall has started and whose components have registered their
     * services, so that the first command sees the implementations it holds; a jar the switchboard
     * reports as not loading ({@code mm:impls}) is waited for no longer.
     */
    void awaitLoadDirectory() throws InterruptedException, IOException {
        if (load == null || !Files.isDirectory(load)) {
            return;
        }
        List<Path> jars;
        try (Stream<Path> s = Files.list(load)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        String dirName = load.getFileName().toString();
        await(LOAD_TIMEOUT_MS, 20, () -> {
            List<String> problems = switchboardProblems();
            jars.removeIf(jar -> loaded(jar)
                    || problems.stream().anyMatch(l -> l.startsWith(dirName + "/" + jar.getFileName() + ": ")));
            return jars.isEmpty() ? Boolean.TRUE : null;
        });
    }

    /**
     * What the switchboard says did not load ({@code Switchboard.problems()}: one line per jar,
     * {@code load/NAME.jar: why}); called by reflection, since mm.api's classes in the framework are
     * not the launcher's.
     */
    private List<String> switchboardProblems() {
        BundleContext ctx = framework.getBundleContext();
        ServiceReference<?> ref = null;
        try {
            // all references: the launcher's own copy of mm.api would make Felix hide the bundles' Switchboard
            ServiceReference<?>[] refs = ctx.getAllServiceReferences("mm.api.subsystem.Switchboard", null);
            ref = refs == null ? null : refs[0];
            Object sb = ref == null ? null : ctx.getService(ref);
            if (sb == null) {
                return List.of();
            }
            Class<?> api = sb.getClass().getClassLoader().loadClass("mm.api.subsystem.Switchboard");
            List<String> out = new ArrayList<>();
            for (Object line : (List<?>) api.getMethod("problems").invoke(sb)) {
                out.add(String.valueOf(line));
            }
            return out;
        } catch (ReflectiveOperationException | InvalidSyntaxException | RuntimeException e) {
            return List.of();
        } finally {
            if (ref != null) {
                ctx.ungetService(ref);
            }
        }
    }

    /** The jar's bundle is active and, if it has components, has registered a service. */
    private boolean loaded(Path jar) {
        for (Bundle b : framework.getBundleContext().getBundles()) {
            if (JarLocation.isOf(b.getLocation(), jar)) {
                if (b.getState() != Bundle.ACTIVE) {
                    return false;
                }
                return b.getHeaders().get("Service-Component") == null || b.getRegisteredServices() != null;
            }
        }
        return false;
    }

    /** Why the console did not come up: bundles that are not active. */
    String diagnose() {
        List<String> lines = new ArrayList<>();
        for (Bundle b : bundles) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            if (b != shell && !fragment && b.getState() != Bundle.ACTIVE) {
                lines.add(b.getSymbolicName() + " is not active (state " + b.getState() + ")");
            }
        }
        return lines.isEmpty() ? "every bundle is active, but a component did not activate (run with MM_DEBUG=1)"
                : String.join("; ", lines);
    }

    /** Starts the Gogo JLine shell bundle: the interactive shell, or just its commands with --nointeractive. */
    void startShell() throws BundleException {
        if (shell == null) {
            throw new BundleException("the Gogo shell bundle " + SHELL_BUNDLE + " is missing");
        }
        shell.start();
    }

    /** Blocks until the framework stops (the shell's 'exit' or end of input). */
    void awaitStop() throws InterruptedException {
        framework.waitForStop(0);
    }

    /** Gogo's runtime bundle, which closes the sessions still open when it stops. */
    static final String GOGO_RUNTIME = "org.apache.felix.gogo.runtime";

    /**
     * Stops Gogo before the framework, with no session left open. Gogo's runtime closes the
     * sessions still open when it stops, copying its WeakHashMap's keys into an array sized before
     * the copy: a session the garbage collector clears in between leaves a null that it closes, and
     * Felix prints the NullPointerException's stack trace. So the shell stops first, then every
     * session still open is closed here (the keys copied by iteration, which skips cleared ones),
     * then the runtime stops with none to close.
     */
    private void stopGogo() {
        if (!interactive) {
            awaitShellProfile();
        }
        stopQuietly(shell);
        closeGogoSessions();
        for (Bundle b : bundles) {
            if (GOGO_RUNTIME.equals(b.getSymbolicName())) {
                stopQuietly(b);
            }
        }
    }

    /** The name of the thread Gogo's JLine shell runs in (its Activator's {@code new Thread(..., "Gogo shell")}). */
    static final String SHELL_THREAD = "Gogo shell";

    /**
     * Without an interactive session, the shell's thread only sources the profile and ends; a run
     * as short as one command could stop the shell while the profile runs, whose commands then
     * vanish under it ("Command not found: try"). So it is waited for, 5 s at most.
     */
    private static void awaitShellProfile() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (SHELL_THREAD.equals(t.getName())) {
                try {
                    t.join(5_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void stopQuietly(Bundle b) {
        if (b == null || b.getState() != Bundle.ACTIVE) {
            return;
        }
        try {
            b.stop();
        } catch (BundleException | IllegalStateException | SecurityException e) {
            // the platform is going away: nothing to tell the user about
        }
    }

    /** Closes the sessions Gogo's command processor still holds (its field {@code sessions}, by reflection: its classes are not the launcher's). */
    private void closeGogoSessions() {
        BundleContext ctx = framework.getBundleContext();
        ServiceReference<?> ref = null;
        try {
            ServiceReference<?>[] refs = ctx.getAllServiceReferences("org.apache.felix.service.command.CommandProcessor", null);
            ref = refs == null ? null : refs[0];
            Object processor = ref == null ? null : ctx.getService(ref);
            Field field = null;
            for (Class<?> c = processor == null ? null : processor.getClass(); c != null && field == null; c = c.getSuperclass()) {
                try {
                    field = c.getDeclaredField("sessions");
                } catch (NoSuchFieldException e) {
                    // look in the superclass
                }
            }
            if (field == null || !Map.class.isAssignableFrom(field.getType())) {
                return;
            }
            field.setAccessible(true);
            Map<?, ?> sessions = (Map<?, ?>) field.get(processor);
            List<Object> open;
            synchronized (sessions) {
                open = new ArrayList<>(sessions.keySet());
            }
            for (Object session : open) {
                session.getClass().getMethod("close").invoke(session);
            }
        } catch (ReflectiveOperationException | InvalidSyntaxException | RuntimeException e) {
            // another Gogo than the one this was written for: its stop is left as it is
        } finally {
            if (ref != null) {
                ctx.ungetService(ref);
            }
        }
    }

    @Override
    public void close() {
        stopGogo();
        try {
            framework.stop();
            framework.waitForStop(10_000);
        } catch (BundleException | InterruptedException e) {
            // the JVM exits right after; nothing else to do
        }
        deleteStorage(storage);
    }

    static void deleteStorage(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory left behind is harmless
        }
    }

    Path storage() {
        return storage;
    }
}

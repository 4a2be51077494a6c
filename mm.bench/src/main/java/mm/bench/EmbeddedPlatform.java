package mm.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * Apache Felix with the machine and the buddy allocator as bundles (from target/bench-bundles),
 * mm.api exported by the system bundle from the benchmark's class path, so that the
 * {@code FrameAllocator} service can be called through the very interface the benchmark uses.
 */
final class EmbeddedPlatform implements AutoCloseable {

    private final Framework framework;
    private final Path storage;

    EmbeddedPlatform(String mem, int cpus) throws Exception {
        this(mem, cpus, jar -> true);
    }

    /** The platform with only the bundles whose jar names {@code install} accepts ({@code mm.bitmap.jar}...). */
    EmbeddedPlatform(String mem, int cpus, java.util.function.Predicate<String> install) throws Exception {
        storage = Files.createTempDirectory("mm-bench-felix-");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, apiExports());
        props.put("mm.mem", mem);
        props.put("mm.cpus", Integer.toString(cpus));
        props.put("felix.log.level", "1");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        Path dir = bundleDir();
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar") && install.test(p.getFileName().toString())).sorted()
                    .collect(Collectors.toList());
        }
        List<Bundle> bundles = new java.util.ArrayList<>();
        for (Path jar : jars) {
            bundles.add(ctx.installBundle(jar.toUri().toString()));
        }
        for (Bundle b : bundles) {
            try {
                b.start();
            } catch (org.osgi.framework.BundleException e) {
                throw new IllegalStateException(b.getSymbolicName() + " does not start: " + e.getMessage(), e);
            }
        }
    }

    /** mm.api's Export-Package, packages and versions, from its jar in target/bench-api: the system bundle exports them. */
    static String apiExports() throws Exception {
        Path jar = bundleDir().resolveSibling("bench-api").resolve("mm.api.jar");
        try (java.util.jar.JarFile jf = new java.util.jar.JarFile(jar.toFile())) {
            String exports = jf.getManifest().getMainAttributes().getValue(Constants.EXPORT_PACKAGE);
            if (exports == null) {
                throw new IllegalStateException(jar + " exports nothing");
            }
            return exports;
        }
    }

    /** target/bench-bundles beside the benchmarks jar, or -Dmm.bench.bundles. */
    static Path bundleDir() throws Exception {
        String prop = System.getProperty("mm.bench.bundles");
        if (prop != null) {
            return Path.of(prop);
        }
        Path jar = Path.of(EmbeddedPlatform.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.getParent().resolve("bench-bundles");
    }

    /** Waits for a service of this type and returns it. */
    <T> T service(Class<T> type) throws Exception {
        return service(type, null);
    }

    /** Waits for a service of this type matching the filter ({@code (mm.active=true)}) and returns it. */
    <T> T service(Class<T> type, String filter) throws Exception {
        BundleContext ctx = framework.getBundleContext();
        for (int i = 0; i < 3000; i++) {
            // all references, not only those Felix deems assignable: the benchmark's class path holds the
            // bundles' private classes too (mm.hw.machine.WatermarkControl), which makes Felix hide the Machine
            ServiceReference<?>[] refs = ctx.getAllServiceReferences(type.getName(), filter);
            if (refs != null) {
                return type.cast(ctx.getService(refs[0]));
            }
            Thread.sleep(10);
        }
        List<String> down = new java.util.ArrayList<>();
        for (Bundle b : ctx.getBundles()) {
            if (b.getState() != Bundle.ACTIVE) {
                down.add(b.getSymbolicName() + " (state " + b.getState() + ")");
            }
        }
        throw new IllegalStateException("no " + type.getName() + " service " + (filter == null ? "" : filter + " ") + "after 30 s"
                + (down.isEmpty() ? "" : "; not active: " + String.join(", ", down)));
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
        try (Stream<Path> s = Files.walk(storage)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

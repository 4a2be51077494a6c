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

    private static final List<String> API_PACKAGES = List.of("frame", "machine", "subsystem", "sysctl", "slab", "vm",
            "reclaim", "memcg", "psi", "lmk", "trace", "task");

    private final Framework framework;
    private final Path storage;

    EmbeddedPlatform(String mem, int cpus) throws Exception {
        storage = Files.createTempDirectory("mm-bench-felix-");
        Map<String, String> props = new HashMap<>();
        props.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        props.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        props.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA,
                API_PACKAGES.stream().map(p -> "mm.api." + p + ";version=1.0.0").collect(Collectors.joining(",")));
        props.put("mm.mem", mem);
        props.put("mm.cpus", Integer.toString(cpus));
        props.put("felix.log.level", "1");
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(props);
        framework.start();
        BundleContext ctx = framework.getBundleContext();
        Path dir = bundleDir();
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
        List<Bundle> bundles = new java.util.ArrayList<>();
        for (Path jar : jars) {
            bundles.add(ctx.installBundle(jar.toUri().toString()));
        }
        for (Bundle b : bundles) {
            b.start();
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
    <T> T service(Class<T> type) throws InterruptedException {
        BundleContext ctx = framework.getBundleContext();
        for (int i = 0; i < 3000; i++) {
            ServiceReference<T> ref = ctx.getServiceReference(type);
            if (ref != null) {
                return ctx.getService(ref);
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no " + type.getName() + " service after 30 s");
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

package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.inject.Inject;
import mm.api.frame.FrameAllocator;
import mm.api.subsystem.Switchboard;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The students' directory: Apache Felix FileInstall watches it; a jar dropped there at runtime
 * becomes an implementation that can be graded and made active, and leaves with its jar (the
 * reference first taking the machine back); jars that cannot become one are reported and change
 * nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LoadDirectoryIT {

    static final String FA = FrameAllocator.CONTRACT;
    static final Path DIR = tempDir();

    @Inject
    CommandProcessor processor;

    @Inject
    Switchboard switchboard;

    /** The same directory for the test driver, which configures the framework, and for the tests, which run inside it. */
    private static Path tempDir() {
        Path dir = Path.of(System.getProperty("extra.bundles", "target/extra-bundles")).resolveSibling("load-it").toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Configuration
    public Option[] config() {
        return ItOptions.platformWith("1G", 2, 1, ItOptions.extraBundle("org.apache.felix.fileinstall"),
                frameworkProperty("felix.fileinstall.dir").value(DIR.toString()),
                frameworkProperty("felix.fileinstall.poll").value("200"),
                frameworkProperty("felix.fileinstall.noInitialDelay").value("true"),
                frameworkProperty("felix.fileinstall.filter").value(".*\\.jar"),
                frameworkProperty("felix.fileinstall.log.level").value("0"));
    }

    private boolean installed(String impl) {
        return switchboard.candidates().stream().anyMatch(c -> c.impl().equals(impl));
    }

    private boolean reported(String text) {
        return switchboard.problems().stream().anyMatch(p -> p.contains(text));
    }

    @Test
    public void aJarDroppedAtRuntimeBecomesAnImplementationAndLeavesWithItsJar() throws Exception {
        Path jar = DIR.resolve("skeleton.jar");
        Files.copy(ItOptions.extraJar("mm.skeleton").toPath(), jar, StandardCopyOption.REPLACE_EXISTING);
        Await.until("the skeleton allocator is installed", () -> installed("skeleton"));
        try (Shell sh = new Shell(processor)) {
            sh.run("mm:drain");
            String buddyinfo = sh.run("mm:buddyinfo");
            String impls = sh.run("mm:impls");
            assertTrue(impls, impls.matches("(?s).*\\n  FrameAllocator  skeleton +dormant +mm\\.skeleton .*"));
            assertEquals("FrameAllocator: buddy -> skeleton", sh.run("mm:use FrameAllocator skeleton"));
            sh.run("p = (mm:alloc 3)");
            assertEquals("ok", sh.run("mm:check"));
            Files.delete(jar);
            Await.until("the skeleton allocator is gone", () -> !installed("skeleton"));
            assertEquals("the reference took the machine back first", "buddy", switchboard.active(FA));
            assertEquals("ok", sh.run("mm:check"));
            sh.run("mm:free $p");
            sh.run("mm:drain");
            assertEquals(buddyinfo, sh.run("mm:buddyinfo"));
        }
    }

    @Test
    public void jarsThatCannotBecomeImplementationsAreReportedAndChangeNothing() throws Exception {
        int before = switchboard.candidates().size();
        Files.write(DIR.resolve("garbage.jar"), new byte[] {1, 2, 3, 4});
        writeJar(DIR.resolve("plain.jar"), manifest("Created-By", "a test"));
        writeJar(DIR.resolve("unresolved.jar"), manifest("Bundle-ManifestVersion", "2", "Bundle-SymbolicName", "mm.test.unresolved",
                "Bundle-Version", "1.0.0", "Import-Package", "org.nowhere.missing"));
        try {
            Await.until("the three jars are reported", () -> reported("garbage.jar: not a jar file")
                    && reported("plain.jar: not an OSGi bundle: its manifest has no Bundle-SymbolicName")
                    && reported("unresolved.jar: bundle mm.test.unresolved 1.0.0 does not resolve: missing requirement"));
            assertTrue(switchboard.problems().toString(), reported("org.nowhere.missing"));
            assertEquals("buddy", switchboard.active(FA));
            assertEquals(before, switchboard.candidates().size());
            try (Shell sh = new Shell(processor)) {
                String impls = sh.run("mm:impls");
                assertTrue(impls, impls.contains("Not loaded:\n"));
                assertTrue(impls, impls.contains("unresolved.jar: bundle mm.test.unresolved 1.0.0 does not resolve"));
                assertEquals("ok", sh.run("mm:check"));
            }
        } finally {
            Files.deleteIfExists(DIR.resolve("garbage.jar"));
            Files.deleteIfExists(DIR.resolve("plain.jar"));
            Files.deleteIfExists(DIR.resolve("unresolved.jar"));
        }
        Await.until("the reports go with the jars", () -> switchboard.problems().isEmpty());
    }

    private static Manifest manifest(String... pairs) {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        for (int i = 0; i < pairs.length; i += 2) {
            m.getMainAttributes().putValue(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static void writeJar(Path path, Manifest m) throws IOException {
        try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, m)) {
            jar.flush();
        }
    }
}

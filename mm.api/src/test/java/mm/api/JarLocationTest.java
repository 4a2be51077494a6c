package mm.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import mm.api.subsystem.JarLocation;
import org.junit.jupiter.api.Test;

/** A bundle's location names its jar: the same file, not one of the same name in another directory. */
class JarLocationTest {

    private final Path jar = Path.of("/repo/load/skeleton.jar").toAbsolutePath();

    @Test
    void theJarsOwnUriMatches() {
        assertTrue(JarLocation.isOf(jar.toUri().toString(), jar));
        assertTrue(JarLocation.isOf(jar.getParent().resolve("../load/skeleton.jar").toUri().toString(), jar));
    }

    @Test
    void aJarOfTheSameNameElsewhereDoesNot() {
        Path bundles = jar.getParent().resolveSibling("bundles").resolve("skeleton.jar");
        assertFalse(JarLocation.isOf(bundles.toUri().toString(), jar));
        assertFalse(JarLocation.isOf("mvn:org.mmplatform/skeleton/1.0.0", jar));
        assertFalse(JarLocation.isOf(null, jar));
        assertFalse(JarLocation.isOf("file:not a uri", jar));
    }
}

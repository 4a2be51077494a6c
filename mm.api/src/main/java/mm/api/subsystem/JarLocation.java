package mm.api.subsystem;

import java.net.URI;
import java.nio.file.Path;

/**
 * Which bundle was installed from which jar: a bundle's location is its jar's {@code file:} URI
 * (FileInstall's and the launcher's installs). Shared by the switchboard, which reports the load
 * directory's jars, and the launcher, which waits for them.
 */
public final class JarLocation {

    private JarLocation() {
    }

    /** True if {@code location} is the {@code file:} URI of {@code jar} (both made absolute and normal). */
    public static boolean isOf(String location, Path jar) {
        if (location == null || !location.startsWith("file:")) {
            return false;
        }
        try {
            return Path.of(URI.create(location)).toAbsolutePath().normalize().equals(jar.toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            return false; // a location that is not a plain file URI
        }
    }
}

package mm.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one-line reasons the watched directory's jars get in mm:impls. */
class LoadDirectoryTest {

    @Test
    void felixsResolverMessageIsShortenedToTheMissingRequirement() {
        String felix = "Unable to resolve mm.test.unresolved [23](R 23.0): missing requirement [mm.test.unresolved [23](R 23.0)] "
                + "osgi.wiring.package; (osgi.wiring.package=org.nowhere.missing) Unresolved requirements: "
                + "[[mm.test.unresolved [23](R 23.0)] osgi.wiring.package; (osgi.wiring.package=org.nowhere.missing)]";
        assertEquals("missing requirement osgi.wiring.package; (osgi.wiring.package=org.nowhere.missing)", LoadDirectory.shorten(felix));
        assertEquals("no reason given", LoadDirectory.shorten(null));
        assertEquals("Activator start error in bundle x [4].", LoadDirectory.shorten("Activator start error in bundle x [4]."));
    }
}

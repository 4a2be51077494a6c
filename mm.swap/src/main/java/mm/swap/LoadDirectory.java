package mm.swap;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

/**
 * The jars of the directory Apache Felix FileInstall watches ({@code felix.fileinstall.dir}, the
 * repository's {@code load/}), and why one of them did not become an implementation: not a jar,
 * not a bundle, imports that do not resolve, a component that failed to activate or waits for a
 * service, or no implementation registered. One line per jar, naming it.
 */
final class LoadDirectory {

    /** The framework property FileInstall reads. */
    static final String DIR_PROPERTY = "felix.fileinstall.dir";

    private final BundleContext ctx;
    /** Why a bundle would not start, by bundle id and last modification: asked once, not at every scan. */
    private final Map<String, String> startFailures = new HashMap<>();

    LoadDirectory(BundleContext ctx) {
        this.ctx = ctx;
    }

    /** The watched directory, or null if FileInstall watches none. */
    Path dir() {
        String d = ctx.getProperty(DIR_PROPERTY);
        return d == null || d.isBlank() ? null : Path.of(d).toAbsolutePath().normalize();
    }

    /**
     * One line per jar that is not a working implementation.
     *
     * @param candidates the implementations the switchboard tracks
     * @param scr the component runtime, for why a component is not up; may be null
     */
    synchronized List<String> problems(Collection<Tracked> candidates, ServiceComponentRuntime scr) {
        Path dir = dir();
        List<String> lines = new ArrayList<>();
        if (dir == null || !Files.isDirectory(dir)) {
            return lines;
        }
        List<Path> jars;
        try (Stream<Path> s = Files.list(dir)) {
            jars = s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            lines.add(dir + ": cannot list the directory: " + e.getMessage());
            return lines;
        }
        for (Path jar : jars) {
            String name = dir.getFileName() + "/" + jar.getFileName();
            String why = problem(jar, candidates, scr);
            if (why != null) {
                lines.add(name + ": " + why);
            }
        }
        return lines;
    }

    private String problem(Path jar, Collection<Tracked> candidates, ServiceComponentRuntime scr) {
        Manifest mf;
        try (JarFile jf = new JarFile(jar.toFile())) {
            mf = jf.getManifest();
        } catch (IOException e) {
            return "not a jar file (" + e.getMessage() + "); FileInstall ignores it";
        }
        String bsn = mf == null ? null : mf.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (bsn == null) {
            return "not an OSGi bundle: its manifest has no Bundle-SymbolicName (build it with bnd-maven-plugin); FileInstall ignores it";
        }
        bsn = bsn.split(";")[0].strip();
        Bundle b = installedFrom(jar);
        if (b == null) {
            for (Bundle other : ctx.getBundles()) {
                if (bsn.equals(other.getSymbolicName())) {
                    return "bundle " + bsn + " is already installed from " + other.getLocation() + "; it is not installed twice";
                }
            }
            return null; // FileInstall has not seen it yet
        }
        if (b.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return null;
        }
        switch (b.getState()) {
            case Bundle.INSTALLED:
            case Bundle.RESOLVED: {
                String why = startFailure(b);
                return why == null ? null : "bundle " + bsn + " " + b.getVersion()
                        + (b.getState() == Bundle.INSTALLED ? " does not resolve: " : " did not start: ") + why;
            }
            case Bundle.ACTIVE:
                return activeProblem(b, candidates, scr);
            default:
                return null;
        }
    }

    /** The bundle FileInstall installed from this jar: its location is the jar's URI. */
    private Bundle installedFrom(Path jar) {
        for (Bundle b : ctx.getBundles()) {
            String loc = b.getLocation();
            if (loc == null || !loc.startsWith("file:")) {
                continue;
            }
            try {
                if (Path.of(URI.create(loc)).toAbsolutePath().normalize().equals(jar.toAbsolutePath().normalize())) {
                    return b;
                }
            } catch (IllegalArgumentException e) {
                // a location that is not a plain file URI
            }
        }
        return null;
    }

    /**
     * The framework's own reason, asked once per bundle version: start it and keep the exception's
     * message; null if it starts (what it needed has arrived since).
     */
    private String startFailure(Bundle b) {
        String key = b.getBundleId() + "@" + b.getLastModified();
        String cached = startFailures.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            b.start(Bundle.START_TRANSIENT);
            return null;
        } catch (BundleException | IllegalStateException e) {
            String why = shorten(e.getMessage());
            startFailures.put(key, why);
            return why;
        }
    }

    /** Felix's resolver message without the repetition: "missing requirement ... osgi.wiring.package; (...)". */
    static String shorten(String message) {
        if (message == null) {
            return "no reason given";
        }
        String m = message;
        int unresolved = m.indexOf(" Unresolved requirements:");
        if (unresolved > 0) {
            m = m.substring(0, unresolved);
        }
        int missing = m.indexOf("missing requirement");
        if (missing >= 0) {
            m = m.substring(missing);
            String head = "missing requirement ";
            if (m.startsWith(head + "[")) {
                // drop the requester, "[bundle [id](R id)] ": brackets nest
                int depth = 0;
                for (int i = head.length(); i < m.length(); i++) {
                    char c = m.charAt(i);
                    depth += c == '[' ? 1 : c == ']' ? -1 : 0;
                    if (depth == 0) {
                        m = head + m.substring(i + 1).strip();
                        break;
                    }
                }
            }
        }
        return m.replace('\n', ' ').strip();
    }

    private static String activeProblem(Bundle b, Collection<Tracked> candidates, ServiceComponentRuntime scr) {
        for (Tracked c : candidates) {
            if (c.ref.getBundle() != null && c.ref.getBundle().getBundleId() == b.getBundleId()) {
                return null;
            }
        }
        String bsn = b.getSymbolicName();
        if (scr != null) {
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        String f = c.failure == null ? "" : c.failure.strip().split("\n")[0];
                        return "bundle " + bsn + ": component " + d.name + " failed to activate: " + f;
                    }
                    if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && c.unsatisfiedReferences.length > 0) {
                        UnsatisfiedReferenceDTO r = c.unsatisfiedReferences[0];
                        return "bundle " + bsn + ": component " + d.name + " waits for a service it references: " + r.name
                                + (r.target == null ? "" : " (target " + r.target + ")");
                    }
                }
            }
        }
        return "bundle " + bsn + " is active but registers no implementation: a contract's service needs the properties "
                + "mm.contract and mm.impl (see docs/student-guide.md)";
    }
}

package mm.swap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import mm.api.subsystem.JarLocation;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
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
    /** Bundles whose start began (STARTING) and has not ended yet. */
    private final Set<Long> starting = ConcurrentHashMap.newKeySet();
    /** Bundles whose last start ended without STARTED: their activator threw. */
    private final Set<Long> startFailed = ConcurrentHashMap.newKeySet();
    private final SynchronousBundleListener starts = this::bundleChanged;

    /** Listens to the bundles' starts (closed by {@link #close()}): a start that fails is remembered, not retried. */
    LoadDirectory(BundleContext ctx) {
        this.ctx = ctx;
        ctx.addBundleListener(starts);
    }

    void close() {
        try {
            ctx.removeBundleListener(starts);
        } catch (IllegalStateException e) {
            // the context is no longer valid: the listener went with it
        }
    }

    private void bundleChanged(BundleEvent e) {
        long id = e.getBundle().getBundleId();
        switch (e.getType()) {
            case BundleEvent.STARTING -> {
                starting.add(id);
                startFailed.remove(id);
            }
            case BundleEvent.STARTED, BundleEvent.UPDATED, BundleEvent.UNRESOLVED, BundleEvent.UNINSTALLED -> {
                starting.remove(id);
                startFailed.remove(id);
            }
            case BundleEvent.STOPPED -> {
                if (starting.remove(id)) {
                    startFailed.add(id);
                }
            }
            default -> {
                // the others change nothing of a start
            }
        }
    }

    /** The watched directory, or null if FileInstall watches none. */
    Path dir() {
        String d = ctx.getProperty(DIR_PROPERTY);
        return d == null || d.isBlank() ? null : Path.of(d).toAbsolutePath().normalize();
    }

    /**
     * One line per jar that is not a working implementation. Reads the framework's state only:
     * no bundle is resolved or started by asking.
     *
     * @param candidates the implementations the switchboard tracks
     * @param scr the component runtime, for why a component is not up; may be null
     */
    List<String> problems(Collection<Tracked> candidates, ServiceComponentRuntime scr) {
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
        String head = "bundle " + bsn + " " + b.getVersion();
        switch (b.getState()) {
            case Bundle.INSTALLED: {
                String missing = missingRequirement(b);
                return missing == null ? null : head + " does not resolve: " + missing;
            }
            case Bundle.RESOLVED:
                return startFailed.contains(b.getBundleId())
                        ? head + " did not start: its BundleActivator threw when it was started" : null;
            case Bundle.ACTIVE:
                return activeProblem(b, candidates, scr);
            default:
                return null;
        }
    }

    /** The bundle FileInstall installed from this jar. */
    private Bundle installedFrom(Path jar) {
        for (Bundle b : ctx.getBundles()) {
            if (JarLocation.isOf(b.getLocation(), jar)) {
                return b;
            }
        }
        return null;
    }

    /**
     * The first mandatory requirement of an unresolved bundle that no installed bundle's
     * capability satisfies, as Felix's resolver names it ({@code missing requirement
     * osgi.wiring.package; (osgi.wiring.package=org.nowhere.missing)}); null if each has a
     * candidate (the resolver has not tried yet). Reads the revisions only: nothing is resolved
     * or started.
     */
    private String missingRequirement(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        if (rev == null) {
            return null;
        }
        Bundle[] all = ctx.getBundles();
        for (BundleRequirement req : rev.getDeclaredRequirements(null)) {
            Map<String, String> dirs = req.getDirectives();
            if (Constants.RESOLUTION_OPTIONAL.equals(dirs.get(Constants.RESOLUTION_DIRECTIVE))
                    || !Constants.EFFECTIVE_RESOLVE.equals(dirs.getOrDefault(Constants.EFFECTIVE_DIRECTIVE, Constants.EFFECTIVE_RESOLVE))) {
                continue;
            }
            String filter = dirs.get(Constants.FILTER_DIRECTIVE);
            if (!satisfied(req.getNamespace(), filter, all, b)) {
                return "missing requirement " + req.getNamespace() + (filter == null ? "" : "; " + filter);
            }
        }
        return null;
    }

    private boolean satisfied(String namespace, String filter, Bundle[] all, Bundle self) {
        Filter f;
        try {
            f = filter == null ? null : ctx.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            return false;
        }
        for (Bundle other : all) {
            BundleRevision r = other == self || other.getState() == Bundle.UNINSTALLED ? null : other.adapt(BundleRevision.class);
            if (r == null) {
                continue;
            }
            for (BundleCapability cap : r.getDeclaredCapabilities(namespace)) {
                if (f == null || f.matches(cap.getAttributes())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * An active bundle that the switchboard does not track: a component that failed or waits for a
     * service, or, once every component is satisfied (or the bundle has none: an activator's
     * services are registered when it is active), no implementation registered. While the
     * component runtime has not yet taken a component up, there is nothing to report.
     */
    private static String activeProblem(Bundle b, Collection<Tracked> candidates, ServiceComponentRuntime scr) {
        for (Tracked c : candidates) {
            if (c.ref.getBundle() != null && c.ref.getBundle().getBundleId() == b.getBundleId()) {
                return null;
            }
        }
        String bsn = b.getSymbolicName();
        if (b.getHeaders().get("Service-Component") != null) {
            if (scr == null) {
                return null;
            }
            Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs(b);
            if (descriptions.isEmpty()) {
                return null; // not taken up yet
            }
            boolean pending = false;
            for (ComponentDescriptionDTO d : descriptions) {
                Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
                pending |= configs.isEmpty() && d.defaultEnabled;
                for (ComponentConfigurationDTO c : configs) {
                    if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                        String f = c.failure == null ? "" : c.failure.strip().split("\n")[0];
                        return "bundle " + bsn + ": component " + d.name + " failed to activate: " + f;
                    }
                    if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && c.unsatisfiedReferences.length > 0) {
                        UnsatisfiedReferenceDTO r = c.unsatisfiedReferences[0];
                        return "bundle " + bsn + ": component " + d.name + " waits for a service it references: " + r.name
                                + (r.target == null ? "" : " (target " + r.target + ")");
                    }
                    pending |= c.state != ComponentConfigurationDTO.SATISFIED && c.state != ComponentConfigurationDTO.ACTIVE;
                }
            }
            if (pending) {
                return null;
            }
        }
        return "bundle " + bsn + " is active but registers no implementation: a contract's service needs the properties "
                + "mm.contract and mm.impl (see docs/student-guide.md)";
    }
}

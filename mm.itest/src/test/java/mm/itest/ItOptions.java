package mm.itest;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ops4j.pax.exam.Option;

/** The Pax Exam configuration every in-framework test shares: the real bundles of the build, from target/it-bundles. */
final class ItOptions {

    private ItOptions() {
    }

    /** The platform's bundles, JUnit, a clean cache, and a machine of this shape (framework properties the machine reads). */
    static Option[] platform(String mem, int cpus, int nodes) {
        List<Option> options = new ArrayList<>();
        File dir = new File(System.getProperty("it.bundles", "target/it-bundles"));
        File[] jars = dir.listFiles((d, name) -> name.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no bundles in " + dir + ": run the integration tests through Maven (mvn verify)");
        }
        Arrays.sort(jars);
        for (File jar : jars) {
            options.add(bundle(jar.toURI().toString()));
        }
        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(frameworkProperty("mm.mem").value(mem));
        options.add(frameworkProperty("mm.cpus").value(Integer.toString(cpus)));
        options.add(frameworkProperty("mm.nodes").value(Integer.toString(nodes)));
        options.add(frameworkProperty("ds.loglevel").value("warn"));
        return options.toArray(new Option[0]);
    }

    /** The platform, plus bundles of target/extra-bundles by name ({@code mm.broken}, {@code org.apache.felix.fileinstall}). */
    static Option[] platformWith(String mem, int cpus, int nodes, Option... more) {
        List<Option> options = new ArrayList<>(Arrays.asList(platform(mem, cpus, nodes)));
        options.addAll(Arrays.asList(more));
        return options.toArray(new Option[0]);
    }

    /** A bundle the build copied to target/extra-bundles (not part of the platform). */
    static Option extraBundle(String name) {
        return bundle(extraJar(name).toURI().toString());
    }

    /** The jar of a bundle in target/extra-bundles. */
    static File extraJar(String name) {
        File jar = new File(System.getProperty("extra.bundles", "target/extra-bundles"), name + ".jar");
        if (!jar.isFile()) {
            throw new IllegalStateException("no " + jar + ": run the integration tests through Maven (mvn verify)");
        }
        return jar;
    }
}

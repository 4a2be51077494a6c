package mm.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code ./mm new-impl CONTRACT NAME [--dir DIR]}: a new implementation module, copied from the
 * template the reactor builds and grades at every build ({@code mm.skeleton}: a working first-fit
 * frame allocator with the conformance suite as its tests), renamed: the package, the classes,
 * the implementation's name, the artifact. The module's parent is the platform's root pom, so it
 * builds with the platform's settings.
 *
 * <p>Exit status: 0 when the module was written, 2 for a bad command line, 3 when the template
 * cannot be read or the module not written.
 */
public final class NewImpl {

    /**
     * A contract's template: the module the reactor builds and grades, its implementation's name
     * (also its package, {@code mm.NAME}), the prefix of its classes, its main class's suffix, and
     * what the copy is, for the message.
     */
    record Template(String contract, String module, String name, String classPrefix, String mainClass, String what) {
    }

    /** The contracts that have a template. */
    static final List<Template> TEMPLATES = List.of(
            new Template("FrameAllocator", "mm.skeleton", "skeleton", "Skeleton", "Allocator",
                    "first fit over a bitmap of free frames"),
            new Template("ObjectCache", "mm.slabskeleton", "slabskeleton", "SlabSkeleton", "Cache",
                    "a list of slabs per cache under one lock, the kmalloc caches and hand-over from mm.core"));

    /** Names the platform's own implementations have. */
    private static final List<String> TAKEN = List.of("skeleton", "slabskeleton", "buddy", "bitmap", "slub", "slab");

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{1,30}");

    private final Path root;
    private final PrintStream out;
    private final PrintStream err;

    NewImpl(Path root, PrintStream out, PrintStream err) {
        this.root = root;
        this.out = out;
        this.err = err;
    }

    /** The entry point; {@code -Dmm.root} is the repository (./mm sets it). */
    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("mm.root", "."));
        System.exit(new NewImpl(root, System.out, System.err).run(args));
    }

    int run(String[] args) {
        List<String> positional = new ArrayList<>();
        Path dir = root.resolve("impls");
        boolean dryRun = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dry-run")) {
                dryRun = true;
            } else if (args[i].equals("--dir")) {
                if (i + 1 == args.length) {
                    return usageError("--dir needs a directory: --dir DIR");
                }
                dir = Path.of(args[++i]);
            } else if (args[i].startsWith("--dir=")) {
                dir = Path.of(args[i].substring("--dir=".length()));
            } else if (args[i].equals("-h") || args[i].equals("--help")) {
                out.print(usage());
                return 0;
            } else if (args[i].startsWith("-")) {
                return usageError("unknown option '" + args[i] + "'");
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.size() != 2) {
            return usageError("new-impl takes a contract and a name, e.g. ./mm new-impl FrameAllocator myalloc");
        }
        String contract = positional.get(0);
        String name = positional.get(1);
        Template tpl = TEMPLATES.stream().filter(t -> t.contract().equals(contract)).findFirst().orElse(null);
        if (tpl == null) {
            return usageError("there is no template for '" + contract + "' yet: accepted are "
                    + String.join(", ", TEMPLATES.stream().map(Template::contract).toList()));
        }
        if (!NAME.matcher(name).matches() || name.endsWith("-")) {
            return usageError("'" + name + "' is not a usable name: 2 to 31 characters, lower-case letters, digits and '-', "
                    + "starting with a letter (e.g. myalloc, next-fit)");
        }
        if (TAKEN.contains(name)) {
            return usageError("'" + name + "' is the name of an implementation the platform has; choose another");
        }
        Path target = dir.resolve(name).toAbsolutePath().normalize();
        if (Files.exists(target)) {
            return usageError(target + " already exists; remove it or choose another name or --dir");
        }
        Path template = root.resolve(tpl.module());
        if (!Files.isRegularFile(template.resolve("pom.xml"))) {
            err.println("mm: new-impl: the template " + template + " is missing: run ./mm new-impl from the repository");
            return 3;
        }
        if (dryRun) {
            return 0;
        }
        try {
            List<Path> written = copy(template, target, new Renaming(tpl, name, relativeParent(target)));
            out.println("mm: created " + display(target) + ": the " + tpl.contract() + " '" + name + "' (" + written.size()
                    + " files), " + tpl.what() + ", graded by the conformance suite at every build");
            out.print(nextSteps(tpl, target, name));
            return 0;
        } catch (IOException e) {
            err.println("mm: new-impl: cannot write " + target + ": " + e.getMessage());
            return 3;
        }
    }

    /** What to type next, with paths as seen from where the user is: the repository. */
    private String nextSteps(Template tpl, Path target, String name) {
        Path abs = root.toAbsolutePath().normalize();
        String module = display(target);
        boolean inside = target.startsWith(abs);
        String load = inside ? target.relativize(abs.resolve("load")).toString() : abs.resolve("load").toString();
        String mm = inside ? target.relativize(abs.resolve("mm")).toString() : abs.resolve("mm").toString();
        return "Next:\n"
                + "  cd " + module + " && mvn -q package      builds it; each conformance check runs as a test\n"
                + "  cp target/" + name + "-1.0.0-SNAPSHOT.jar " + load + "/   installs it in the running platform (or at the next start)\n"
                + "  " + mm + "      then: mm:impls   mm:tck " + tpl.contract() + " " + name + "   mm:use " + tpl.contract() + " " + name + "\n"
                + "The " + (tpl.contract().equals("FrameAllocator") ? "allocator" : "object cache") + " is " + module + "/src/main/java/"
                + Renaming.pkg(name) + "/" + Renaming.camel(name) + tpl.mainClass() + ".java; docs/student-guide.md walks through it.\n";
    }

    private int usageError(String message) {
        err.println("mm: new-impl: " + message);
        err.println("Try './mm new-impl --help'.");
        return 2;
    }

    private String display(Path p) {
        Path abs = root.toAbsolutePath().normalize();
        return p.startsWith(abs) ? abs.relativize(p).toString() : p.toString();
    }

    /** The root pom seen from the new module: its parent's relativePath. */
    private String relativeParent(Path target) {
        return target.relativize(root.toAbsolutePath().normalize().resolve("pom.xml")).toString().replace('\\', '/');
    }

    /** Copies the template's pom.xml, bnd.bnd and src/, renaming paths and contents. */
    private static List<Path> copy(Path template, Path target, Renaming renaming) throws IOException {
        List<Path> sources = new ArrayList<>();
        sources.add(template.resolve("pom.xml"));
        sources.add(template.resolve("bnd.bnd"));
        try (Stream<Path> s = Files.walk(template.resolve("src"))) {
            s.filter(Files::isRegularFile).sorted().forEach(sources::add);
        }
        List<Path> written = new ArrayList<>();
        for (Path src : sources) {
            String rel = template.relativize(src).toString().replace('\\', '/');
            Path dst = target.resolve(renaming.path(rel));
            Files.createDirectories(dst.getParent());
            String text = Files.readString(src, StandardCharsets.UTF_8);
            Files.writeString(dst, renaming.text(text, rel), StandardCharsets.UTF_8);
            written.add(dst);
        }
        return written;
    }

    /** The renames from the template to the new module. */
    static final class Renaming {
        final Template tpl;
        final String name;
        final String pkg;
        final String classPrefix;
        final String parentPath;

        Renaming(Template tpl, String name, String parentPath) {
            this.tpl = tpl;
            this.name = name;
            this.pkg = pkg(name);
            this.classPrefix = camel(name);
            this.parentPath = parentPath;
        }

        /** The new module's package: the name without its hyphens. */
        static String pkg(String name) {
            return name.replace("-", "");
        }

        static String camel(String name) {
            StringBuilder sb = new StringBuilder();
            for (String part : name.split("-")) {
                if (!part.isEmpty()) {
                    sb.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
                }
            }
            return sb.toString();
        }

        String path(String rel) {
            return rel.replace("mm/" + tpl.name() + "/", pkg + "/").replace(tpl.classPrefix(), classPrefix);
        }

        String text(String text, String rel) {
            String t = text;
            if (rel.equals("pom.xml")) {
                t = t.replace("<artifactId>" + tpl.module() + "</artifactId>", "<artifactId>" + name + "</artifactId>")
                        .replace("<name>" + tpl.module() + "</name>", "<name>" + name + "</name>")
                        .replace("    <version>1.0.0-SNAPSHOT</version>\n  </parent>",
                                "    <version>1.0.0-SNAPSHOT</version>\n    <relativePath>" + parentPath + "</relativePath>\n  </parent>")
                        .replaceAll("<description>[^<]*</description>", "<description>The " + tpl.contract() + " '" + name
                                + "', started from the mm-platform template.</description>");
            }
            return t.replace("package mm." + tpl.name(), "package " + pkg)
                    .replace("import mm." + tpl.name() + ".", "import " + pkg + ".")
                    .replace(tpl.classPrefix(), classPrefix)
                    .replace("\"" + tpl.name() + "\"", "\"" + name + "\"")
                    .replace("=" + tpl.name() + "\"", "=" + name + "\"")
                    .replace(" " + tpl.name() + "}", " " + name + "}");
        }
    }

    static String usage() {
        return """
                Usage: ./mm new-impl CONTRACT NAME [--dir DIR] [--dry-run]

                Creates DIR/NAME (default impls/NAME): a Maven module with a working implementation
                of CONTRACT named NAME, copied from the platform's template, and the conformance
                suite wired into its tests. Installs the platform's API, core and conformance kit
                into your local Maven repository so that the module builds on its own.

                  CONTRACT   FrameAllocator or ObjectCache (the contracts with a template)
                  NAME       2 to 31 characters: lower-case letters, digits and '-'
                  --dir DIR  where the module goes (default impls/)
                  --dry-run  check CONTRACT, NAME and DIR, and write nothing

                Then:
                  (cd impls/NAME && mvn -q package)      build it; the conformance suite runs as its tests
                  cp impls/NAME/target/NAME-1.0.0-SNAPSHOT.jar load/
                  in the shell: mm:impls, mm:tck CONTRACT NAME, mm:use CONTRACT NAME
                See docs/student-guide.md.
                """;
    }
}

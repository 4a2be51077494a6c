package mm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./mm new-impl}: the module it writes from the repository's template (mm.skeleton), and a
 * one-line error for each bad request. (The process test in mm.itest builds such a module and
 * loads it into a running platform.)
 */
class NewImplTest {

    /** The repository: the launcher module's parent. */
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new NewImpl(ROOT, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesARenamedCopyOfTheTemplate() throws Exception {
        assertEquals(0, run("FrameAllocator", "next-fit", "--dir", dir.toString()), err());
        Path m = dir.resolve("next-fit");
        List<String> files;
        try (Stream<Path> s = Files.walk(m)) {
            files = s.filter(Files::isRegularFile).map(p -> m.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        assertEquals(List.of("bnd.bnd", "pom.xml", "src/main/java/nextfit/NextFitAllocator.java",
                "src/main/java/nextfit/NextFitFactory.java", "src/test/java/nextfit/NextFitConformanceTest.java"), files);
        String allocator = Files.readString(m.resolve("src/main/java/nextfit/NextFitAllocator.java"));
        assertTrue(allocator.startsWith("package nextfit;"));
        assertTrue(allocator.contains("public class NextFitAllocator extends PageAllocatorCore"));
        assertTrue(allocator.contains("public static final String NAME = \"next-fit\";"));
        assertFalse(allocator.contains("Skeleton") || allocator.contains("mm.skeleton"), "nothing of the template's names is left");
        String test = Files.readString(m.resolve("src/test/java/nextfit/NextFitConformanceTest.java"));
        assertTrue(test.contains("class NextFitConformanceTest extends FrameAllocatorConformanceTest"));
        assertTrue(test.contains("return new NextFitFactory();"));
        String pom = Files.readString(m.resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>next-fit</artifactId>"));
        assertTrue(pom.contains("<relativePath>" + m.relativize(ROOT.resolve("pom.xml")).toString().replace('\\', '/') + "</relativePath>"));
        assertTrue(pom.contains("<artifactId>mm.tck</artifactId><scope>test</scope>"));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("mm: created " + m), printed);
        assertTrue(printed.contains("mm:tck FrameAllocator next-fit"), printed);
    }

    @Test
    void writesARenamedCopyOfTheObjectCacheTemplate() throws Exception {
        assertEquals(0, run("ObjectCache", "my-slab", "--dir", dir.toString()), err());
        Path m = dir.resolve("my-slab");
        List<String> files;
        try (Stream<Path> s = Files.walk(m)) {
            files = s.filter(Files::isRegularFile).map(p -> m.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        assertEquals(List.of("bnd.bnd", "pom.xml", "src/main/java/myslab/MySlabCache.java",
                "src/main/java/myslab/MySlabFactory.java", "src/test/java/myslab/MySlabConformanceTest.java"), files);
        String cache = Files.readString(m.resolve("src/main/java/myslab/MySlabCache.java"));
        assertTrue(cache.startsWith("package myslab;"));
        assertTrue(cache.contains("public class MySlabCache extends ObjectCacheCore<MySlabCache.Cache>"));
        assertTrue(cache.contains("Subsystem.PROP_IMPL + \"=my-slab\""), "the component's mm.impl");
        assertTrue(cache.contains("return \"my-slab\";"));
        assertFalse(cache.contains("SlabSkeleton") || cache.contains("slabskeleton"), "nothing of the template's names is left");
        String factory = Files.readString(m.resolve("src/main/java/myslab/MySlabFactory.java"));
        assertTrue(factory.contains("Subsystem.PROP_IMPL + \"=my-slab\""));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("the ObjectCache 'my-slab'"), printed);
        assertTrue(printed.contains("mm:tck ObjectCache my-slab"), printed);
        assertTrue(printed.contains("MySlabCache.java"), printed);
    }

    @Test
    void aDryRunChecksAndWritesNothing() {
        assertEquals(0, run("--dry-run", "FrameAllocator", "myalloc", "--dir", dir.toString()));
        assertFalse(Files.exists(dir.resolve("myalloc")));
    }

    @Test
    void badRequestsGetOneLineAndExitTwo() throws Exception {
        String[][] cases = {
            {"no template for 'PageTable' yet: accepted are FrameAllocator, ObjectCache", "PageTable", "x1"},
            {"'slub' is the name of an implementation the platform has", "ObjectCache", "slub"},
            {"'Bad' is not a usable name: 2 to 31 characters, lower-case letters, digits and '-'", "FrameAllocator", "Bad"},
            {"'buddy' is the name of an implementation the platform has", "FrameAllocator", "buddy"},
            {"new-impl takes a contract and a name", "FrameAllocator"},
            {"unknown option '--bogus'", "--bogus", "FrameAllocator", "x1"},
            {"--dir needs a directory: --dir DIR", "FrameAllocator", "x1", "--dir"},
        };
        for (String[] c : cases) {
            err.reset();
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            assertEquals(2, run(args), String.join(" ", args));
            assertTrue(err().startsWith("mm: new-impl: ") && err().contains(c[0]), err());
            assertEquals(2, err().lines().count(), "the error and where to look: " + err());
        }
        Files.createDirectories(dir.resolve("taken"));
        err.reset();
        assertEquals(2, run("FrameAllocator", "taken", "--dir", dir.toString()));
        assertTrue(err().contains("already exists"), err());
    }
}

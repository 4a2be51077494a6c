package mm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/student-guide.md as a student follows it, as processes: {@code ./mm new-impl} writes a
 * module from the template, Maven builds it (the conformance suite runs as its tests), its jar goes
 * into the watched directory, {@code mm:tck} grades it, {@code mm:use} makes it active, the choice
 * survives a restart, and removing the jar brings the reference back.
 */
class StudentWorkflowIT {

    static final Path ROOT = LauncherProcessIT.ROOT;

    /** The build's local repository, for the nested Maven runs (CI may use its own). */
    static Map<String, String> env(Path state, Path load) {
        Map<String, String> env = new HashMap<>();
        env.put("MM_STATE", state.toString());
        env.put("MM_LOAD", load.toString());
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            env.put("MAVEN_OPTS", "-Dmaven.repo.local=" + repo);
        }
        return env;
    }

    /** Builds a student's module as the student would ({@code mvn -q package}), offline, with the platform installed. */
    private static void build(Path module, Map<String, String> env, Path tmp) throws Exception {
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "-o", "package"));
        if (env.containsKey("MAVEN_OPTS")) {
            mvn.add(env.get("MAVEN_OPTS"));
        }
        Process build = new ProcessBuilder(mvn).directory(module.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("build.log").toFile()).start();
        assertTrue(build.waitFor(300, TimeUnit.SECONDS), "the module's build did not finish");
        assertEquals(0, build.exitValue(), Files.readString(tmp.resolve("build.log"), StandardCharsets.UTF_8));
    }

    @Test
    void fromTemplateToGradedAndActiveWithoutTouchingThePlatformsSources(@TempDir Path tmp) throws Exception {
        LauncherProcessIT.distributionIsFresh();
        Path state = Files.createDirectories(tmp.resolve("state"));
        Path load = Files.createDirectories(tmp.resolve("load"));
        Path impls = tmp.resolve("impls");
        Map<String, String> env = env(state, load);

        LauncherProcessIT.Result made = LauncherProcessIT.mm(env, ROOT, "new-impl", "FrameAllocator", "stud-alloc", "--dir", impls.toString());
        assertEquals(0, made.code(), made.err());
        assertTrue(made.out().contains("mm: created " + impls.resolve("stud-alloc")), made.out());

        Path module = impls.resolve("stud-alloc");
        build(module, env, tmp);
        Path jar = module.resolve("target/stud-alloc-1.0.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(jar), "the build makes " + jar);
        Files.copy(jar, load.resolve("stud-alloc.jar"));

        LauncherProcessIT.Result r = LauncherProcessIT.mm(env, ROOT, "-c",
                "mm:impls; mm:tck FrameAllocator stud-alloc; mm:use FrameAllocator stud-alloc; p = (mm:alloc 3); mm:check; "
                + "mm:free $p; mm:check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().matches("(?s).*\\n  FrameAllocator  stud-alloc +dormant +stud-alloc +1\\.0\\.0\\.SNAPSHOT\\n.*"), r.out());
        assertTrue(r.out().contains("PASS handover-across-implementations\n"), r.out());
        assertTrue(r.out().contains("score: 21/21 (100%)\nFrameAllocator: buddy -> stud-alloc\npfn=0x"), r.out());
        assertTrue(r.out().endsWith("ok\nok\n"), r.out());

        LauncherProcessIT.Result again = LauncherProcessIT.mm(env, ROOT, "-c", "mm:impls");
        assertTrue(again.out().matches("(?s).*\\n\\* FrameAllocator  stud-alloc +active .*"), "the choice survives a restart: " + again.out());

        Files.delete(load.resolve("stud-alloc.jar"));
        LauncherProcessIT.Result gone = LauncherProcessIT.mm(env, ROOT, "-c", "mm:impls");
        assertEquals(0, gone.code(), gone.err());
        assertTrue(gone.out().contains("* FrameAllocator  buddy "), gone.out());
        assertTrue(gone.err().contains("mm: FrameAllocator: stud-alloc (the choice saved in mm.switchboard) is not installed; buddy is active"),
                gone.err());
    }

    @Test
    void anObjectCacheFromItsTemplateIsGradedAndTakesOverLiveObjects(@TempDir Path tmp) throws Exception {
        LauncherProcessIT.distributionIsFresh();
        Path load = Files.createDirectories(tmp.resolve("load"));
        Map<String, String> env = env(Files.createDirectories(tmp.resolve("state")), load);
        Path impls = tmp.resolve("impls");
        LauncherProcessIT.Result made = LauncherProcessIT.mm(env, ROOT, "new-impl", "ObjectCache", "stud-slab", "--dir", impls.toString());
        assertEquals(0, made.code(), made.err());
        Path module = impls.resolve("stud-slab");
        build(module, env, tmp);
        Files.copy(module.resolve("target/stud-slab-1.0.0-SNAPSHOT.jar"), load.resolve("stud-slab.jar"));

        LauncherProcessIT.Result r = LauncherProcessIT.mm(env, ROOT, "-c",
                "mm:tck ObjectCache stud-slab; p = (mm:kmalloc 100); mm:use ObjectCache stud-slab; mm:kfree $p; mm:check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("PASS handover-across-implementations\n"), r.out());
        assertTrue(r.out().contains("score: 25/25 (100%)\n"), r.out());
        assertTrue(r.out().contains("ObjectCache: slub -> stud-slab\nok\n"), r.out());
    }

    @Test
    void theSecondAllocatorChosenInOneRunIsActiveInTheNext(@TempDir Path tmp) throws Exception {
        LauncherProcessIT.distributionIsFresh();
        Map<String, String> env = env(Files.createDirectories(tmp.resolve("state")), Files.createDirectories(tmp.resolve("load")));
        LauncherProcessIT.Result first = LauncherProcessIT.mm(env, ROOT, "-c", "mm:use FrameAllocator bitmap");
        assertEquals("FrameAllocator: buddy -> bitmap\n", first.out(), first.err());
        LauncherProcessIT.Result second = LauncherProcessIT.mm(env, ROOT, "-c", "mm:impls; mm:machine");
        assertTrue(second.out().contains("* FrameAllocator  bitmap  active"), second.out());
        assertTrue(second.out().contains("active      FrameAllocator bitmap"), second.out());
        LauncherProcessIT.Result third = LauncherProcessIT.mm(env, ROOT, "-c", "mm:use FrameAllocator buddy; mm:impls");
        assertTrue(third.out().startsWith("FrameAllocator: bitmap -> buddy\n"), third.out());
    }
}

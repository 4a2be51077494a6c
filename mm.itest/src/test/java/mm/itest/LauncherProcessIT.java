package mm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as a user runs it: {@code ./mm} from the repository root, as a process, with the
 * distribution this build made. Proves the README's promises: {@code ./mm -c 'mm:meminfo'}, the
 * agreement of buddyinfo and MemFree, the zoneinfo watermark formula, scripts, exit codes, and
 * the one-line errors for bad options.
 */
class LauncherProcessIT {

    static final Path ROOT = Path.of(System.getProperty("mm.root", "..")).toAbsolutePath().normalize();

    record Result(int code, String out, String err) {
    }

    /** The distribution was built by this reactor run: mark it fresh so that ./mm does not rebuild. */
    @BeforeAll
    static void distributionIsFresh() throws IOException {
        Path stamp = ROOT.resolve(".mm/built");
        Files.createDirectories(stamp.getParent());
        if (!Files.exists(stamp)) {
            Files.createFile(stamp);
        }
        Files.setLastModifiedTime(stamp, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
    }

    /** Where runs keep their state and which directory they watch: never the user's .mm/ and load/. */
    static Path state;
    static Path load;

    @BeforeAll
    static void privateStateAndLoadDirectory() throws IOException {
        state = Files.createTempDirectory("mm-state-");
        load = Files.createTempDirectory("mm-load-");
    }

    static Result mm(Path dir, String... args) throws Exception {
        return mm(Map.of("MM_STATE", state.toString(), "MM_LOAD", load.toString()), dir, args);
    }

    /** Runs ./mm in {@code dir} with these environment variables. */
    static Result mm(Map<String, String> env, Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("mm").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("mm-out", ".txt");
        Path err = Files.createTempFile("mm-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "./mm did not finish: " + cmd);
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    static Result mm(String... args) throws Exception {
        return mm(ROOT, args);
    }

    static Map<String, Long> meminfo(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.contains(":")) {
                String[] p = line.split(":\\s+");
                if (p.length == 2 && p[1].matches("\\d+( kB)?")) {
                    m.put(p[0], Long.parseLong(p[1].replace(" kB", "")));
                }
            }
        }
        return m;
    }

    @Test
    void meminfoOfTheDefaultMachineInTheKernelsFormat() throws Exception {
        Result r = mm("-c", "mm:meminfo");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("MemTotal: +\\d+ kB"), lines[0]);
        assertTrue(lines[1].matches("MemFree: +\\d+ kB"), lines[1]);
        for (String line : lines) {
            assertTrue(line.matches("[A-Za-z_()0-9]+: +\\d+( kB)?"), line);
        }
        long total = meminfo(r.out()).get("MemTotal");
        assertTrue(total > 3_900_000 && total <= 4 * 1024 * 1024, "MemTotal of the 4 GiB default machine: " + total);
    }

    @Test
    void buddyinfoCountsAddUpToMemFree() throws Exception {
        Result r = mm("-c", "mm:meminfo; mm:buddyinfo");
        assertEquals(0, r.code(), r.err());
        long buddyPages = 0;
        for (String line : r.out().split("\n")) {
            if (line.startsWith("Node ")) {
                String[] f = line.trim().split("\\s+");
                for (int order = 0; order < 11; order++) {
                    buddyPages += Long.parseLong(f[4 + order]) << order;
                }
            }
        }
        assertEquals(meminfo(r.out()).get("MemFree").longValue(), buddyPages * 4);
    }

    @Test
    void zoneinfoWatermarksFollowTheKernelsFormula() throws Exception {
        Result r = mm("-c", "mm:sysctl vm.min_free_kbytes; mm:sysctl vm.watermark_scale_factor; mm:zoneinfo");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        long minFreeKbytes = Long.parseLong(lines[0].split(" = ")[1]);
        long scale = Long.parseLong(lines[1].split(" = ")[1]);
        List<long[]> zones = new ArrayList<>(); // managed, min, low, high, promo, movable?
        String zone = null;
        long[] cur = null;
        for (String line : lines) {
            if (line.startsWith("Node ")) {
                zone = line.substring(line.lastIndexOf(' ') + 1);
                cur = new long[6];
                cur[5] = zone.equals("Movable") ? 1 : 0;
                zones.add(cur);
            }
            String t = line.trim();
            String[] f = t.split("\\s+");
            if (cur != null && f.length == 2 && f[1].matches("\\d+")) {
                switch (f[0]) {
                    case "min" -> cur[1] = Long.parseLong(f[1]);
                    case "low" -> cur[2] = Long.parseLong(f[1]);
                    case "high" -> cur[3] = Long.parseLong(f[1]);
                    case "promo" -> cur[4] = Long.parseLong(f[1]);
                    case "managed" -> cur[0] = Long.parseLong(f[1]);
                    default -> { }
                }
            }
        }
        long lowmem = 0;
        for (long[] z : zones) {
            lowmem += z[5] == 1 ? 0 : z[0];
        }
        long pagesMin = minFreeKbytes / 4;
        for (long[] z : zones) {
            long tmp = pagesMin * z[0] / lowmem;
            long min = z[5] == 1 ? Math.max(32, Math.min(z[0] / 1024, 128)) : tmp;
            long delta = Math.max(tmp / 4, z[0] / 10000 * scale + z[0] % 10000 * scale / 10000);
            assertEquals(min, z[1], "min");
            assertEquals(min + delta, z[2], "low");
            assertEquals(min + 2 * delta, z[3], "high");
            assertEquals(min + 3 * delta, z[4], "promo");
        }
        assertTrue(zones.size() == 5);
    }

    @Test
    void aScriptRunsAndAFailureNamesItsLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("steps.gogo"), "# allocate, look, free\np = (mm:alloc 2)\nmm:check\nmm:free 0x5 0\nmm:meminfo\n");
        Result r = mm(dir, "steps.gogo");
        assertEquals(1, r.code());
        assertTrue(r.out().matches("(?s)pfn=0x[0-9a-f]+ order=2 .*\nok\n"), r.out());
        assertEquals("mm: steps.gogo:4: mm:free 0x5 0: pfn 0x5 is reserved (firmware, kernel image, memmap or a hole): "
                + "it was never allocated\n", r.err());
    }

    @Test
    void aScriptGetsItsArguments(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("args.gogo"), "p = (mm:alloc $1 $2)\nmm:free $p\nmm:check\n");
        Result r = mm(dir, "args.gogo", "4", "GFP_DMA32");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("order=4 node=0 zone=DMA32"), r.out());
        assertTrue(r.out().endsWith("ok\n"), r.out());
    }

    @Test
    void aFailingCommandOfDashCNamesItAndStopsTheRun() throws Exception {
        Result r = mm("-c", "mm:check; mm:alloc 11; mm:meminfo");
        assertEquals(1, r.code());
        assertEquals("ok\n", r.out());
        assertEquals("mm: -c: mm:alloc 11: order 11 is out of range: accepted are 0 to 10 (blocks of 1 to 1024 pages)\n", r.err());
    }

    @Test
    void badOptionsGiveOneLineAndExitTwo() throws Exception {
        String[][] cases = {
            {"--mem", "0"}, {"--mem", "4X"}, {"--cpus", "0"}, {"--frobnicate"}, {"--nodes", "17"}, {"--arch", "riscv"},
            {"-c"}, {"missing-script.gogo"},
        };
        for (String[] args : cases) {
            Result r = mm(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals("", r.out(), String.join(" ", args));
            assertTrue(r.err().startsWith("mm: "), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertFalse(r.err().contains("\tat "), r.err());
            assertTrue(r.err().split("\n").length <= 2, r.err());
        }
    }

    @Test
    void helpExplainsTheOptions() throws Exception {
        Result r = mm("--help");
        assertEquals(0, r.code());
        for (String option : List.of("--mem", "--cpus", "--nodes", "--arch", "-c", "SCRIPT")) {
            assertTrue(r.out().contains(option), option);
        }
    }

    @Test
    void otherShapesOfMachine() throws Exception {
        Result r = mm("--arch", "arm64", "--mem", "2G", "--cpus", "2", "--nodes", "2", "-c", "mm:machine; mm:check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("machine     arm64, 2 GiB RAM, 2 CPUs, 2 nodes"), r.out());
        assertTrue(r.out().contains("node 1"), r.out());
        assertTrue(r.out().endsWith("ok\n"), r.out());
    }

    @Test
    void likeARealMachinesZoneinfo(@TempDir Path dir) throws Exception {
        Path kernelData = ROOT.resolve("mm.testdata/src/main/resources/kernel-data");
        Path like = kernelData.resolve("zoneinfo-like");
        Result r = mm("--like", like.toString(), "-c", "mm:machine; mm:zoneinfo; p = (mm:alloc 3); mm:free $p; mm:check");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("like        " + like + " (proc_zoneinfo.txt, proc_meminfo_head.txt, proc_sys_vm_sysctls.txt)"),
                r.out());
        assertTrue(r.out().contains("every zone's managed pages, watermarks (min/low/high/promo) and protection equal the capture's;"
                + " totalreserve 29849 pages"), r.out());
        List<String> real = ZoneFigures.of(Files.readString(like.resolve("proc_zoneinfo.txt")));
        assertEquals(5 * 9 + 3, real.size());
        assertEquals(real, ZoneFigures.of(r.out()));
        assertTrue(r.out().endsWith("ok\n"), r.out());

        // the other capture alone: no sysctl file, the sysctls are inferred
        Files.copy(kernelData.resolve("proc/proc_zoneinfo.txt"), dir.resolve("proc_zoneinfo.txt"));
        r = mm("--like", dir.toString(), "--cpus", "2", "-c", "mm:machine; mm:zoneinfo; mm:sysctl vm.min_free_kbytes");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("were inferred from its watermarks and protection"), r.out());
        assertEquals(ZoneFigures.of(Files.readString(kernelData.resolve("proc/proc_zoneinfo.txt"))), ZoneFigures.of(r.out()));
        assertTrue(r.out().endsWith("vm.min_free_kbytes = 67584\n"), r.out());
    }

    @Test
    void bootInAScriptLastsForTheRun() throws Exception {
        Path like = ROOT.resolve("mm.testdata/src/main/resources/kernel-data/zoneinfo-like");
        Result r = mm("-c", "p = (mm:alloc 3); mm:boot --like " + like + "; mm:zoneinfo; q = (mm:alloc 3); mm:free $q; mm:check; "
                + "mm:boot --mem 2G --cpus 2");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.err());
        assertTrue(r.out().contains("\nrebooted: x86_64, 24 GiB RAM, 4 CPUs, 1 node, like " + like + "; "), r.out());
        assertEquals(ZoneFigures.of(Files.readString(like.resolve("proc_zoneinfo.txt"))), ZoneFigures.of(r.out()));
        assertTrue(r.out().contains("\nok\nrebooted: x86_64, 2 GiB RAM, 2 CPUs, 1 node; "), r.out());

        // the next run boots what its options say, not the last reboot's shape; the mistake stops the script
        r = mm("-c", "mm:banner; mm:boot --like /nonexistent; mm:banner");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().startsWith("mm-platform: x86_64, 4 GiB RAM, 4 CPUs, 1 node, frame allocator buddy\n"), r.out());
        assertEquals("mm: -c: mm:boot --like /nonexistent: --like: no such directory: /nonexistent\n", r.err());
    }

    @Test
    void likeMistakesGiveOneLineAndExitTwo(@TempDir Path dir) throws Exception {
        Path like = ROOT.resolve("mm.testdata/src/main/resources/kernel-data/zoneinfo-like");
        Result r = mm("--like", dir.resolve("nope").toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("mm: --like: no such directory: " + dir.resolve("nope") + "\nTry './mm --help' for the options.\n", r.err());
        r = mm("--like", like.toString(), "--mem", "8G");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("mm: --like conflicts with --mem: "), r.err());
        List<String> lines = Files.readAllLines(like.resolve("proc_zoneinfo.txt")).subList(0, 100);
        Files.writeString(dir.resolve("proc_zoneinfo.txt"), String.join("\n", lines) + "\n");
        r = mm("--like", dir.toString(), "-c", "mm:zoneinfo");
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("mm: --like: proc_zoneinfo.txt:100: Node 0, zone DMA32 (line 99) has no 'min' line (truncated?)\n"),
                r.err());
    }
}

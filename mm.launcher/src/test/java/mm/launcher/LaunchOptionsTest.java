package mm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line of ./mm: options, their forms, and a one-line message for each mistake. */
class LaunchOptionsTest {

    private static String error(String... args) {
        return assertThrows(LaunchOptions.UsageException.class, () -> LaunchOptions.parse(args)).getMessage();
    }

    @Test
    void noArgumentsMeansTheDefaultMachineInteractively() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[0]);
        assertEquals(MachineConfig.DEFAULT, o.machine());
        assertTrue(o.interactive());
        assertFalse(o.help());
    }

    @Test
    void machineOptionsInBothForms() throws Exception {
        LaunchOptions o = LaunchOptions.parse(new String[] {"--mem", "512M", "--cpus=2", "--nodes", "2", "--arch=arm64"});
        assertEquals(new MachineConfig(Arch.ARM64, 512L << 20, 2, 2, 0), o.machine());
    }

    @Test
    void slubDebugIsAKernelBootOption() throws Exception {
        assertEquals("FZPU,kmalloc-64", LaunchOptions.parse(new String[] {"--slub_debug=FZPU,kmalloc-64"}).slubDebug());
        assertEquals("FZ", LaunchOptions.parse(new String[] {"--slub_debug", "FZ"}).slubDebug());
        assertEquals(null, LaunchOptions.parse(new String[0]).slubDebug());
        assertEquals("--slub_debug FQ: unknown slub_debug option 'Q': accepted are F (sanity checks), Z (red zones), P (poisoning), "
                + "U (user tracking), T (trace), - (none)", error("--slub_debug", "FQ"));
        assertEquals("--slub_debug F,: an empty cache name; accepted is FLAGS[,CACHE,...], e.g. FZPU,kmalloc-64", error("--slub_debug", "F,"));
    }

    @Test
    void commandsAndScripts() throws Exception {
        LaunchOptions c = LaunchOptions.parse(new String[] {"-c", "mm:meminfo; mm:buddyinfo"});
        assertEquals("mm:meminfo; mm:buddyinfo", c.commands());
        assertFalse(c.interactive());
        LaunchOptions s = LaunchOptions.parse(new String[] {"--mem", "1G", "tour.gogo", "3", "--not-an-option"});
        assertEquals(Path.of("tour.gogo"), s.script());
        assertEquals(List.of("3", "--not-an-option"), s.scriptArgs(), "after the script, everything is its arguments");
        assertNull(s.commands());
        assertTrue(LaunchOptions.parse(new String[] {"-h"}).help());
        assertTrue(LaunchOptions.parse(new String[] {"--help"}).help());
    }

    @Test
    void mistakesSayWhatWasWrongAndWhatIsAccepted() {
        assertEquals("--mem 0: size '0' is zero: accepted are a positive number with an optional unit K, M, G or T (e.g. 4G, 512M)",
                error("--mem", "0"));
        assertEquals("--mem 4X: bad size '4X': accepted are a positive number with an optional unit K, M, G or T (e.g. 4G, 512M)",
                error("--mem", "4X"));
        assertEquals("--cpus 0: CPU count 0 is out of range: accepted are 1 to 256", error("--cpus", "0"));
        assertEquals("--cpus two: not a whole number", error("--cpus", "two"));
        assertEquals("--arch riscv: unknown architecture 'riscv': accepted are x86_64, arm64", error("--arch", "riscv"));
        assertEquals("unknown option '--frobnicate': accepted are --mem, --cpus, --nodes, --arch, --like, --slub_debug, -c, --help",
                error("--frobnicate"));
        assertEquals("option --mem needs a value, e.g. --mem 4G", error("--mem"));
        assertEquals("give either -c COMMANDS or a script, not both", error("-c", "mm:meminfo", "x.gogo"));
        assertEquals("-c was given twice: put all commands in one -c, separated by ';'", error("-c", "a", "-c", "b"));
        assertTrue(error("--mem", "128M", "--nodes", "2").contains("cannot be split into 2 nodes"));
    }
    /** A one-zone machine of 256 MiB with its sysctls given. */
    static Path capture(Path dir) throws IOException {
        Files.writeString(dir.resolve("zoneinfo"), String.join("\n", "Node 0, zone    DMA32", "  pages free     60000",
                "        min      100", "        low      160", "        high     220", "        promo    280",
                "        spanned  65536", "        present  65536", "        managed  60000",
                "        protection: (0, 0, 0, 0, 0)", "  pagesets", "    cpu: 0", "    cpu: 1", "    cpu: 2",
                "  start_pfn:           4096", ""));
        Files.writeString(dir.resolve("proc_sys_vm_sysctls.txt"), "min_free_kbytes=400\nwatermark_scale_factor=10\n"
                + "watermark_boost_factor=15000\nlowmem_reserve_ratio=256\t256\t32\t0\t0\n");
        return dir;
    }

    @Test
    void likeTakesTheShapeFromTheDirectory(@TempDir Path dir) throws Exception {
        capture(dir);
        LaunchOptions o = LaunchOptions.parse(new String[] {"--like", dir.toString(), "-c", "mm:machine"});
        assertEquals(dir, o.like());
        assertEquals(new MachineConfig(Arch.X86_64, 256L << 20, 3, 1, 0), o.machine(), "three CPUs in the pagesets");
        assertEquals(5, LaunchOptions.parse(new String[] {"--like=" + dir, "--cpus", "5"}).machine().cpus());
        assertEquals(5, LaunchOptions.parse(new String[] {"--cpus", "5", "--like", dir.toString()}).machine().cpus());
        assertNull(LaunchOptions.parse(new String[0]).like());
    }

    @Test
    void likeConflictsWithTheShapeOptions(@TempDir Path dir) throws Exception {
        capture(dir);
        assertEquals("--like conflicts with --mem: the machine's RAM, nodes and architecture come from " + dir
                + " (only --cpus may be given with --like)", error("--like", dir.toString(), "--mem", "4G"));
        assertEquals("--like conflicts with --nodes and --arch: the machine's RAM, nodes and architecture come from " + dir
                + " (only --cpus may be given with --like)", error("--nodes", "2", "--arch", "arm64", "--like", dir.toString()));
        assertEquals("--like was given twice: a machine is shaped like one directory", error("--like", "a", "--like", "b"));
        assertEquals("option --like needs a value, e.g. --like DIR (a directory with a copy of /proc/zoneinfo)", error("--like"));
    }

    @Test
    void likeWithAMissingOrBadDirectoryIsOneLine(@TempDir Path dir) throws Exception {
        assertEquals("--like: no such directory: " + dir.resolve("nope"), error("--like", dir.resolve("nope").toString()));
        assertEquals("--like: " + dir + ": no zoneinfo file: expected proc_zoneinfo.txt or zoneinfo (a copy of /proc/zoneinfo)",
                error("--like", dir.toString()));
        capture(dir);
        Files.writeString(dir.resolve("zoneinfo"), Files.readString(dir.resolve("zoneinfo")).replace("high     220", "high     2x0"));
        assertEquals("--like: zoneinfo:5: '2x0' is not a number (high)", error("--like", dir.toString()));
    }
}

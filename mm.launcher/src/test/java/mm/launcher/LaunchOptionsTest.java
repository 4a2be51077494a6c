package mm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import org.junit.jupiter.api.Test;

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
        assertEquals("unknown option '--frobnicate': accepted are --mem, --cpus, --nodes, --arch, --slub_debug, -c, --help", error("--frobnicate"));
        assertEquals("option --mem needs a value, e.g. --mem 4G", error("--mem"));
        assertEquals("give either -c COMMANDS or a script, not both", error("-c", "mm:meminfo", "x.gogo"));
        assertEquals("-c was given twice: put all commands in one -c, separated by ';'", error("-c", "a", "-c", "b"));
        assertTrue(error("--mem", "128M", "--nodes", "2").contains("cannot be split into 2 nodes"));
    }
}

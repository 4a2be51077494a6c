package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What mm:boot accepts and the configuration mm.machine it writes, before anything is rebooted. */
class BootRequestTest {

    private static String error(String like, String mem, String cpus, String nodes, String arch) {
        CommandError e = assertThrows(CommandError.class, () -> BootRequest.of(like, mem, cpus, nodes, arch));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void noOptionKeepsTheConfiguredShapeAndCountsTheGeneration() {
        BootRequest same = BootRequest.of("", "", "", "", "");
        assertFalse(same.newShape());
        assertEquals(Map.of("mm.boot.generation", 1L), same.properties(null));
        assertEquals(Map.of("like", "/c", "cpus", 2, "mm.boot.generation", 4L),
                same.properties(Map.of("like", "/c", "cpus", 2, "mm.boot.generation", 3L, "service.pid", "mm.machine")));
    }

    @Test
    void aNewShapeIsWhatTheOptionsSayAndKeepsTheConfiguredCpus() {
        BootRequest r = BootRequest.of("", "8G", "", "", "");
        assertTrue(r.newShape());
        assertEquals(Map.of("mem", "8G", "cpus", 2, "mm.boot.generation", 1L),
                r.properties(Map.of("like", "/c", "cpus", 2)));
        assertEquals(Map.of("arch", "arm64", "mem", "1G", "nodes", 2, "cpus", 3, "mm.boot.generation", 1L),
                BootRequest.of(null, " 1G ", "3", "2", "arm64").properties(Map.of("mem", "4G")));
    }

    @Test
    void cpusAloneKeepTheShape() {
        BootRequest r = BootRequest.of("", "", "8", "", "");
        assertFalse(r.newShape());
        assertEquals(Map.of("like", "/c", "cpus", 8, "mm.boot.generation", 1L), r.properties(Map.of("like", "/c", "cpus", 2)));
    }

    @Test
    void badValuesSayWhatIsAccepted() {
        assertEquals("bad size '12Q': accepted are a positive number with an optional unit K, M, G or T (e.g. 4G, 512M)",
                error("", "12Q", "", "", ""));
        assertTrue(error("", "64M", "", "", "").contains("128 MiB to 1 TiB"));
        assertEquals("CPU count '0' is not valid: accepted are 1 to 256", error("", "", "0", "", ""));
        assertEquals("node count 'two' is not valid: accepted are 1 to 8", error("", "", "", "two", ""));
        assertTrue(error("", "", "", "", "riscv").contains("accepted are x86_64, arm64"));
        assertTrue(error("", "256M", "", "4", "").contains("cannot be split into 4 nodes"));
    }

    @Test
    void likeGoesWithCpusOnly(@TempDir Path dir) {
        assertEquals("--like conflicts with --mem and --nodes: the machine's RAM, nodes and architecture come from " + dir
                + " (only --cpus may be given with --like)", error(dir.toString(), "8G", "", "2", ""));
    }

    @Test
    void likeReadsTheCaptureFirst(@TempDir Path dir) throws Exception {
        assertEquals("--like: no such directory: " + dir.resolve("nope"), error(dir.resolve("nope").toString(), "", "", "", ""));
        assertEquals("--like: " + dir + ": no zoneinfo file: expected proc_zoneinfo.txt or zoneinfo (a copy of /proc/zoneinfo)",
                error(dir.toString(), "", "", "", ""));
        try (InputStream in = BootRequestTest.class.getResourceAsStream("/kernel-data/zoneinfo-like/proc_zoneinfo.txt")) {
            assertNotNull(in, "kernel-data from mm.testdata");
            Files.copy(in, dir.resolve("proc_zoneinfo.txt"));
        }
        BootRequest r = BootRequest.of(dir.toString(), "", "2", "", "");
        assertTrue(r.newShape());
        assertEquals(5, r.capture().zones().size());
        assertEquals(Map.of("like", dir.toString(), "cpus", 2, "mm.boot.generation", 1L), r.properties(Map.of("mem", "1G")));
        Files.writeString(dir.resolve("proc_zoneinfo.txt"), "Node 0, zone      DMA\n  pages free     x\n");
        assertTrue(error(dir.toString(), "", "", "", "").startsWith("--like: proc_zoneinfo.txt:"));
    }
}

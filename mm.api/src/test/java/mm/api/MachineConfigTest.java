package mm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MachineConfig: sizes as memparse reads them, and the ranges a machine must fit. */
class MachineConfigTest {

    private static final String ACCEPTED = ": accepted are a positive number with an optional unit K, M, G or T (e.g. 4G, 512M)";

    @ParameterizedTest
    @CsvSource({
        "4G, 4294967296",
        "512M, 536870912",
        "1T, 1099511627776",
        "65536K, 67108864",
        "4GiB, 4294967296",
        "4gb, 4294967296",
        "512mib, 536870912",
        "' 2G ', 2147483648",
        "4096, 4096",
        "1k, 1024"})
    void parseSize(String text, long bytes) {
        assertEquals(bytes, MachineConfig.parseSize(text));
    }

    @Test
    void parseSizeErrors() {
        assertEquals("size '0' is zero" + ACCEPTED, error("0"));
        assertEquals("bad size '4X'" + ACCEPTED, error("4X"));
        assertEquals("bad size '-1'" + ACCEPTED, error("-1"));
        assertEquals("empty size" + ACCEPTED, error(""));
        assertEquals("empty size" + ACCEPTED, error(null));
        assertEquals("size '99999999999T' is too large" + ACCEPTED, error("99999999999T"));
        assertEquals("bad size 'G'" + ACCEPTED, error("G"));
        assertEquals("bad size '1.5G'" + ACCEPTED, error("1.5G"));
    }

    private static String error(String text) {
        String msg = assertThrows(IllegalArgumentException.class, () -> MachineConfig.parseSize(text)).getMessage();
        assertFalse(msg.contains("\n"), msg);
        return msg;
    }

    private static String configError(Arch arch, long mem, int cpus, int nodes, long movable) {
        String msg = assertThrows(IllegalArgumentException.class, () -> new MachineConfig(arch, mem, cpus, nodes, movable))
                .getMessage();
        assertFalse(msg.contains("\n"), msg);
        return msg;
    }

    @Test
    void rangeErrors() {
        assertEquals("CPU count 0 is out of range: accepted are 1 to 256", configError(Arch.X86_64, 4L << 30, 0, 1, 0));
        assertEquals("CPU count 257 is out of range: accepted are 1 to 256", configError(Arch.X86_64, 4L << 30, 257, 1, 0));
        assertEquals("node count 9 is out of range: accepted are 1 to 8", configError(Arch.X86_64, 4L << 30, 4, 9, 0));
        assertEquals("node count 0 is out of range: accepted are 1 to 8", configError(Arch.X86_64, 4L << 30, 4, 0, 0));
        assertEquals("memory size 64 MiB is out of range: accepted are 128 MiB to 1 TiB", configError(Arch.X86_64, 64L << 20, 4, 1, 0));
        assertEquals("memory size 2 TiB is out of range: accepted are 128 MiB to 1 TiB", configError(Arch.ARM64, 2L << 40, 4, 1, 0));
        assertEquals("memory size 268435457 is not a multiple of the 4 KiB page size",
                configError(Arch.X86_64, (256L << 20) + 1, 4, 1, 0));
        assertEquals("256 MiB cannot be split into 4 nodes: each node needs at least 128 MiB",
                configError(Arch.X86_64, 256L << 20, 4, 4, 0));
        assertEquals("no architecture given: accepted are x86_64, arm64", configError(null, 4L << 30, 4, 1, 0));
        assertEquals("movable memory 409600000 is out of range: accepted are 0 to half of a node's memory, in whole pages",
                configError(Arch.X86_64, 256L << 20, 4, 1, 4096 * 100000L));
        assertEquals("movable memory 100 is out of range: accepted are 0 to half of a node's memory, in whole pages",
                configError(Arch.X86_64, 256L << 20, 4, 1, 100));
    }

    @Test
    void theDefaultAndItsSummary() {
        assertEquals(new MachineConfig(Arch.X86_64, 4L << 30, 4, 1, 0), MachineConfig.DEFAULT);
        assertEquals(1L << 20, MachineConfig.DEFAULT.totalFrames());
        assertEquals("1536 MiB", MachineConfig.formatSize(1536L << 20));
        assertEquals("4 GiB", MachineConfig.formatSize(4L << 30));
        assertEquals(1, new MachineConfig(Arch.X86_64, 128L << 20, 1, 1, 0).cpus());
        assertEquals(8, new MachineConfig(Arch.X86_64, 1L << 30, 1, 8, 0).nodes());
    }
}

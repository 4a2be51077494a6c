package mm.console.proc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;

/** The captured Linux 6.18 files of module mm.testdata (kernel-data/README.md), for the tests of every view package. */
public final class KernelData {

    /** The captured machine: x86_64, about 24 GiB, 2 CPUs, one node. */
    static final MachineConfig CAPTURED = new MachineConfig(Arch.X86_64, 24L << 30, 2, 1, 0);

    private KernelData() {
    }

    /** A file under kernel-data/, as text. */
    public static String read(String path) {
        String resource = "kernel-data/" + path;
        try (InputStream in = KernelData.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("captured file " + resource + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package mm.api.machine;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The architectures the machine can simulate; both use 4 KiB pages and 48-bit virtual addresses. */
public enum Arch {
    /** x86_64: RAM from physical 0, legacy hole below 1 MiB, PCI hole between 3 and 4 GiB. */
    X86_64("x86_64"),
    /** arm64: RAM from physical 1 GiB, as on QEMU's {@code virt} board. */
    ARM64("arm64");

    private final String kernelName;

    Arch(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name {@code uname -m} prints. */
    public String kernelName() {
        return kernelName;
    }

    /**
     * Parses an architecture name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Arch parse(String name) {
        for (Arch a : values()) {
            if (a.kernelName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown architecture '" + name + "': accepted are "
                + Arrays.stream(values()).map(Arch::kernelName).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return kernelName;
    }
}

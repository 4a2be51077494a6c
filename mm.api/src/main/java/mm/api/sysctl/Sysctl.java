package mm.api.sysctl;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One tunable, like an entry of the kernel's {@code ctl_table} (kernel/sysctl.c). Register it as
 * a service; {@link #PROP_NAME} carries its name.
 */
@ConsumerType
public interface Sysctl {

    /** Service property with the sysctl's dotted name. */
    String PROP_NAME = "mm.sysctl.name";

    /** The dotted name: {@code vm.min_free_kbytes}. */
    String name();

    /** What it does and which values it accepts, one line. */
    String description();

    /** The value as /proc/sys prints it (multi-value entries separated by tabs, as the kernel does). */
    String read();

    /**
     * Writes a value, with the effect the kernel's handler has (writing {@code min_free_kbytes}
     * recomputes every zone's watermarks).
     *
     * @throws IllegalArgumentException saying what was wrong and what is accepted; nothing changes
     */
    void write(String value);
}

package mm.api.machine;

import java.util.List;

/**
 * A node of the physical resource tree that /proc/iomem prints ({@code struct resource},
 * kernel/resource.c): an inclusive address range, a name and the resources nested in it.
 *
 * @param start the first address
 * @param end the last address, inclusive
 * @param name the name ({@code System RAM}, {@code Kernel code}, {@code Reserved}...)
 * @param children the nested resources, sorted by start
 */
public record IomemResource(long start, long end, String name, List<IomemResource> children) {
    /** Validates the range and copies the children. */
    public IomemResource {
        if (end < start) {
            throw new IllegalArgumentException("resource " + name + " ends before it starts");
        }
        children = List.copyOf(children);
    }

    /** A resource with no children. */
    public IomemResource(long start, long end, String name) {
        this(start, end, name, List.of());
    }
}

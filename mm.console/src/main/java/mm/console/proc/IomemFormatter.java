package mm.console.proc;

import java.util.List;
import mm.api.machine.IomemResource;

/**
 * /proc/iomem: the physical resource tree, depth first, as {@code r_show} (kernel/resource.c)
 * prints it.
 */
public final class IomemFormatter {

    /** MAX_IORES_LEVEL: deeper resources are printed, but indented no further. */
    static final int MAX_IORES_LEVEL = 5;
    /** The hex width: 8 because {@code iomem_resource.end} is not below 0x10000 (ioports use 4). */
    private static final int WIDTH = 8;

    private IomemFormatter() {
    }

    /**
     * {@code r_show} for each resource: {@code "%*s%0*llx-%0*llx : %s\n"}, indented two spaces per
     * level, addresses in lower-case hex of at least 8 digits.
     */
    public static String format(List<IomemResource> resources) {
        Seq m = new Seq();
        print(m, resources, 0);
        return m.toString();
    }

    private static void print(Seq m, List<IomemResource> resources, int depth) {
        for (IomemResource r : resources) {
            m.pad(Math.min(depth, MAX_IORES_LEVEL) * 2);
            m.printf("%0" + WIDTH + "x-%0" + WIDTH + "x : %s\n", r.start(), r.end(), r.name());
            print(m, r.children(), depth + 1);
        }
    }
}

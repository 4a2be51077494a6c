package mm.console.proc;

import java.util.List;
import java.util.Locale;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.MachineCapture;
import mm.api.machine.MachineConfig;
import mm.api.machine.Node;
import mm.api.machine.Zone;

/**
 * {@code mm:machine}: the simulated machine's shape in a few lines: configuration, page geometry,
 * memory totals, and each node with its CPUs and zones. Not a kernel file; the numbers are those
 * /proc/zoneinfo prints.
 */
public final class MachineFormatter {

    private MachineFormatter() {
    }

    /** The summary, with the active frame allocator's name. */
    public static String format(Machine m, String frameAllocator) {
        StringBuilder sb = new StringBuilder();
        MachineConfig c = m.config();
        long present = 0;
        for (Node n : m.nodes()) {
            present += n.presentPages();
        }
        long managed = m.totalramPages();
        sb.append(String.format(Locale.ROOT, "%-11s %s%n", "machine", c.summary()));
        MachineCapture like = m.like();
        if (like != null) {
            sb.append(String.format(Locale.ROOT, "%-11s %s%n", "like", like.describe()));
            boolean allGiven = like.minFreeKbytes() >= 0 && like.watermarkScaleFactor() >= 0 && like.watermarkBoostFactor() >= 0
                    && like.lowmemReserveRatio() != null;
            sb.append(String.format(Locale.ROOT, "%-11s %s%n", "", allGiven ? "vm sysctls as the capture gives them"
                    : "vm sysctls the capture does not give were inferred from its watermarks and protection (mm:sysctl shows them)"));
            List<String> diff = like.differences(m);
            sb.append(String.format(Locale.ROOT, "%-11s %s%n", "", diff.isEmpty()
                    ? "every zone's managed pages, watermarks (min/low/high/promo) and protection equal the capture's; totalreserve "
                            + m.totalreservePages() + " pages"
                    : diff.size() + " differences from the capture, the first: " + diff.get(0)));
            if (like.memTotalKb() >= 0 && like.memTotalKb() != m.totalramPages() << (Machine.PAGE_SHIFT - 10)) {
                sb.append(String.format(Locale.ROOT, "%-11s MemTotal there %d kB, here %d kB: the zones' managed pages (the real kernel was "
                        + "still initialising memory, or counts it elsewhere)%n", "", like.memTotalKb(),
                        m.totalramPages() << (Machine.PAGE_SHIFT - 10)));
            }
        }
        sb.append(String.format(Locale.ROOT, "%-11s %d KiB pages, pageblock order %d (%d pages), orders 0 to %d%n", "pages",
                Machine.PAGE_SIZE >> 10, Machine.PAGEBLOCK_ORDER, Machine.PAGEBLOCK_NR_PAGES, FrameAllocator.MAX_PAGE_ORDER));
        sb.append(String.format(Locale.ROOT, "%-11s %d pages present, %d managed (MemTotal %d kB), %d reserved at boot%n", "memory",
                present, managed, managed << (Machine.PAGE_SHIFT - 10), present - managed));
        for (Node n : m.nodes()) {
            sb.append(String.format(Locale.ROOT, "%-11s CPUs %s, pfns %s, %d pages present%n", "node " + n.id(), cpuList(n.cpus()),
                    range(n.startPfn(), n.startPfn() + n.spannedPages()), n.presentPages()));
            for (Zone z : n.zones()) {
                if (z.spannedPages() == 0) {
                    sb.append(String.format(Locale.ROOT, "  %-9s empty%n", z.name()));
                } else {
                    sb.append(String.format(Locale.ROOT, "  %-9s pfns %-19s spanned %-9d present %-9d managed %d%n", z.name(),
                            range(z.startPfn(), z.endPfn()), z.spannedPages(), z.presentPages(), z.managedPages()));
                }
            }
        }
        sb.append(String.format(Locale.ROOT, "%-11s FrameAllocator %s%n", "active", frameAllocator));
        return sb.toString();
    }

    private static String range(long start, long end) {
        return String.format(Locale.ROOT, "0x%x-0x%x", start, end - 1);
    }

    /** CPU ids as the kernel prints cpu lists: {@code 0-3}, {@code 0,2}, {@code none}. */
    static String cpuList(int[] cpus) {
        if (cpus.length == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < cpus.length) {
            int j = i;
            while (j + 1 < cpus.length && cpus[j + 1] == cpus[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(cpus[i]);
            if (j > i) {
                sb.append('-').append(cpus[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}

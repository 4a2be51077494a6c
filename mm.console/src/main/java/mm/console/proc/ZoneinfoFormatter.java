package mm.console.proc;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Node;
import mm.api.machine.NodeStat;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;

/**
 * /proc/zoneinfo: every zone of every node, empty ones included, as {@code zoneinfo_show_print}
 * (mm/vmstat.c, Linux 6.18) prints it: the node's counters before its first populated zone, the
 * zone's free pages, watermarks, size and {@code lowmem_reserve}, then for a populated zone its
 * counters, per-CPU pagesets, and start pfn.
 */
public final class ZoneinfoFormatter {

    /** HPAGE_PMD_NR: counters kept in pages that the kernel prints in PMD-sized pages. */
    private static final int HPAGE_PMD_NR = 1 << Machine.PAGEBLOCK_ORDER;

    private ZoneinfoFormatter() {
    }

    /** {@code zoneinfo_show}: {@code zoneinfo_show_print} for each zone of each node. */
    public static String format(Machine machine, FrameAllocator allocator) {
        Seq m = new Seq();
        for (Node node : machine.nodes()) {
            Zone first = ProcZones.firstPopulated(node);
            for (Zone zone : node.zones()) {
                printZone(m, machine, allocator, node, zone, zone == first);
            }
        }
        return m.toString();
    }

    private static void printZone(Seq m, Machine machine, FrameAllocator allocator, Node node, Zone zone,
            boolean firstPopulated) {
        m.printf("Node %d, zone %8s", node.id(), zone.name());
        if (firstPopulated) {
            m.puts("\n  per-node stats");
            for (NodeStat item : NodeStat.values()) {
                long pages = node.state(item);
                stat(m, item.kernelName(), item.printInThp() ? pages / HPAGE_PMD_NR : pages);
            }
        }
        m.printf("\n  pages free     %d"
                + "\n        boost    %d"
                + "\n        min      %d"
                + "\n        low      %d"
                + "\n        high     %d"
                + "\n        promo    %d"
                + "\n        spanned  %d"
                + "\n        present  %d"
                + "\n        managed  %d"
                + "\n        cma      %d",
                zone.state(ZoneStat.NR_FREE_PAGES), zone.watermarkBoost(), zone.watermark(Watermark.MIN),
                zone.watermark(Watermark.LOW), zone.watermark(Watermark.HIGH), zone.watermark(Watermark.PROMO),
                zone.spannedPages(), zone.presentPages(), zone.managedPages(), 0L);
        m.printf("\n        protection: (%d", zone.lowmemReserve(0));
        for (int i = 1; i < ZoneType.MAX_NR_ZONES; i++) {
            m.printf(", %d", zone.lowmemReserve(i));
        }
        m.putc(')');
        if (!zone.populated()) {
            m.putc('\n');
            return;
        }
        for (ZoneStat item : ZoneStat.values()) {
            stat(m, item.kernelName(), zone.state(item));
        }
        m.puts("\n  pagesets");
        for (int cpu = 0; cpu < machine.cpuCount(); cpu++) {
            m.printf("\n    cpu: %d"
                    + "\n              count:    %d"
                    + "\n              high:     %d"
                    + "\n              batch:    %d"
                    + "\n              high_min: %d"
                    + "\n              high_max: %d",
                    cpu, allocator.pcpCount(zone, cpu), allocator.pcpHigh(zone, cpu), zone.pagesetBatch(),
                    zone.pagesetHighMin(), zone.pagesetHighMax());
            m.printf("\n  vm stats threshold: %d", zone.statThreshold());
        }
        m.printf("\n  node_unreclaimable:  %d"
                + "\n  start_pfn:           %d", 0, zone.startPfn());
        m.putc('\n');
    }

    /** One counter line: {@code "\n      %-12s %lu"}. */
    private static void stat(Seq m, String name, long value) {
        m.printf("\n      %-12s %d", name, value);
    }
}

package mm.console.proc;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Node;
import mm.api.machine.Zone;

/**
 * /proc/buddyinfo: the number of free blocks of each order in each populated zone, as
 * {@code frag_show_print} (mm/vmstat.c) prints it.
 */
public final class BuddyinfoFormatter {

    private BuddyinfoFormatter() {
    }

    /**
     * {@code frag_show} for every node: one line per populated zone,
     * {@code "Node %d, zone %8s "} then {@code "%6lu "} per order (the zone's
     * {@code free_area[order].nr_free}).
     */
    public static String format(Machine machine, FrameAllocator allocator) {
        Seq m = new Seq();
        for (Node node : machine.nodes()) {
            for (Zone zone : ProcZones.populated(node)) {
                m.printf("Node %d, zone %8s ", node.id(), zone.name());
                for (int order = 0; order < FrameAllocator.NR_PAGE_ORDERS; order++) {
                    m.printf("%6d ", allocator.nrFree(zone, order));
                }
                m.putc('\n');
            }
        }
        return m.toString();
    }
}

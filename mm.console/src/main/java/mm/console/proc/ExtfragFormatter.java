package mm.console.proc;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Node;
import mm.api.machine.Zone;
import mm.core.page.FragmentationIndex;
import mm.core.page.FragmentationIndex.ContigPageInfo;

/**
 * The debugfs files {@code /sys/kernel/debug/extfrag/extfrag_index} and
 * {@code /sys/kernel/debug/extfrag/unusable_index}, as {@code extfrag_show_print} and
 * {@code unusable_show_print} (mm/vmstat.c) print them: one line per populated zone,
 * {@code "Node %d, zone %8s "} then {@code "%d.%03d "} per order. The arithmetic is
 * {@link FragmentationIndex}'s.
 */
public final class ExtfragFormatter {

    private ExtfragFormatter() {
    }

    /** {@code extfrag_show}: the fragmentation index per order ({@code __fragmentation_index}). */
    public static String extfragIndex(Machine machine, FrameAllocator allocator) {
        return format(machine, allocator, false);
    }

    /**
     * {@code unusable_show}: the unusable free space index per order ({@code unusable_free_index});
     * nodes without memory are skipped.
     */
    public static String unusableIndex(Machine machine, FrameAllocator allocator) {
        return format(machine, allocator, true);
    }

    private static String format(Machine machine, FrameAllocator allocator, boolean unusable) {
        Seq m = new Seq();
        for (Node node : machine.nodes()) {
            if (unusable && !ProcZones.hasMemory(node)) {
                continue;
            }
            for (Zone zone : ProcZones.populated(node)) {
                long[] nrFree = FragmentationIndex.nrFree(allocator, zone);
                m.printf("Node %d, zone %8s ", node.id(), zone.name());
                for (int order = 0; order < FrameAllocator.NR_PAGE_ORDERS; order++) {
                    ContigPageInfo info = FragmentationIndex.fillContigPageInfo(nrFree, order);
                    int index = unusable ? FragmentationIndex.unusableFreeIndex(order, info)
                            : FragmentationIndex.fragmentationIndex(order, info);
                    m.printf("%d.%03d ", index / 1000, index % 1000);
                }
                m.putc('\n');
            }
        }
        return m.toString();
    }
}

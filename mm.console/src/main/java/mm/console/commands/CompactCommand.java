package mm.console.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.console.compact.CompactFormatter;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code mm:compact}: compacts memory as writing 1 to {@code /proc/sys/vm/compact_memory} does
 * (every populated zone of every node), or to {@code /sys/devices/system/node/nodeN/compact} (one
 * node), or one zone; with an order, only until a block of that order is free (as kcompactd does).
 */
@Component(service = CompactCommand.class, property = {"osgi.command.scope=mm", "osgi.command.function=compact"})
public class CompactCommand extends AllocatorCommands {

    public CompactCommand() {
        super("compact");
    }

    @Descriptor("compact memory (compact_memory): move movable pages from the bottom of each zone into free pages at its top, "
            + "so that free pages merge into large blocks; pages on per-CPU lists stay there (mm:drain first)")
    public String compact(
            @Descriptor("only this node (/sys/devices/system/node/nodeN/compact); default: every node")
            @Parameter(names = {"-n", "--node"}, absentValue = "-1") int node,
            @Descriptor("only this zone: DMA, DMA32, Normal or Movable; default: every populated zone")
            @Parameter(names = {"-z", "--zone"}, absentValue = "") String zone,
            @Descriptor("stop once a free block of this order (0 to 10) exists, as kcompactd does; default: the whole zone")
            @Parameter(names = {"-o", "--order"}, absentValue = "") String order) {
        Machine m = machine;
        if (node < -1 || node >= m.nodes().size()) {
            throw new CommandError("node " + node + " does not exist: accepted are 0 to " + (m.nodes().size() - 1));
        }
        int ord = order.isEmpty() ? -1 : Args.order(order);
        List<Zone> zones = zones(m, node, zone);
        int countOrder = ord < 0 ? Machine.PAGEBLOCK_ORDER : ord;
        List<CompactFormatter.Row> rows = new ArrayList<>();
        for (Zone z : zones) {
            // the counts before and after from the same implementation as the run, within its time limit
            rows.add(callActive("compactZone", ActiveCall.SCAN_MS, fa -> {
                long before = freeBlocksFrom(fa, z, countOrder);
                CompactResult r = fa.compactZone(z, ord);
                return new CompactFormatter.Row(r, before, freeBlocksFrom(fa, z, countOrder));
            }));
        }
        return Args.view(CompactFormatter.format(rows, countOrder));
    }

    /**
     * The populated zones asked for. A zone named (-z) that is empty on every node asked for is an
     * error; on a machine of several nodes, the nodes where it is empty are left out.
     */
    private static List<Zone> zones(Machine m, int node, String zoneName) {
        ZoneType type = zoneName.isEmpty() ? null : parseZone(zoneName);
        List<Zone> out = new ArrayList<>();
        for (Zone z : m.zones()) {
            if ((node < 0 || z.nid() == node) && (type == null || z.type() == type) && z.presentPages() > 0) {
                out.add(z);
            }
        }
        if (out.isEmpty() && type != null) {
            int nid = node < 0 ? 0 : node;
            throw new CommandError(String.format("%s, zone %s is empty (no present pages): nothing to compact; populated zones: %s",
                    node < 0 && m.nodes().size() > 1 ? "every node" : "Node " + nid, type.kernelName(), populated(m, node)));
        }
        return out;
    }

    private static ZoneType parseZone(String name) {
        for (ZoneType t : ZoneType.values()) {
            if (t.kernelName().equalsIgnoreCase(name)) {
                return t;
            }
        }
        throw new CommandError("zone '" + name + "' is unknown: accepted are "
                + Arrays.stream(ZoneType.values()).map(ZoneType::kernelName).collect(Collectors.joining(", ")));
    }

    private static String populated(Machine m, int node) {
        String s = m.zones().stream().filter(z -> (node < 0 || z.nid() == node) && z.presentPages() > 0)
                .map(z -> m.nodes().size() > 1 ? z.nid() + ":" + z.name() : z.name()).distinct()
                .collect(Collectors.joining(" "));
        return s.isEmpty() ? "none" : s;
    }

    /** Free blocks of at least {@code order}, counted in blocks of that order. */
    private static long freeBlocksFrom(FrameAllocator fa, Zone z, int order) {
        long n = 0;
        for (int o = order; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            n += fa.nrFree(z, o) << (o - order);
        }
        return n;
    }
}

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
            long before = freeBlocksFrom(z, countOrder);
            CompactResult r = callActive("compactZone", ActiveCall.SCAN_MS, fa -> fa.compactZone(z, ord));
            rows.add(new CompactFormatter.Row(r, before, freeBlocksFrom(z, countOrder)));
        }
        return CompactFormatter.format(rows, countOrder);
    }

    /** The zones asked for: populated ones only, and a named empty zone is an error. */
    private static List<Zone> zones(Machine m, int node, String zoneName) {
        ZoneType type = null;
        if (!zoneName.isEmpty()) {
            type = parseZone(zoneName);
        }
        List<Zone> out = new ArrayList<>();
        for (Zone z : m.zones()) {
            if ((node >= 0 && z.nid() != node) || (type != null && z.type() != type)) {
                continue;
            }
            if (z.presentPages() == 0) {
                if (type != null) {
                    throw new CommandError(String.format("Node %d, zone %s is empty (no present pages): nothing to compact; "
                            + "populated zones: %s", z.nid(), z.name(), populated(m, z.nid())));
                }
                continue;
            }
            out.add(z);
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

    private static String populated(Machine m, int nid) {
        String s = m.zones().stream().filter(z -> z.nid() == nid && z.presentPages() > 0).map(Zone::name)
                .collect(Collectors.joining(" "));
        return s.isEmpty() ? "none" : s;
    }

    /** Free blocks of at least {@code order}, counted in blocks of that order. */
    private long freeBlocksFrom(Zone z, int order) {
        FrameAllocator fa = frames;
        long n = 0;
        for (int o = order; o <= FrameAllocator.MAX_PAGE_ORDER; o++) {
            n += fa.nrFree(z, o) << (o - order);
        }
        return n;
    }
}

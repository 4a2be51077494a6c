package mm.console.proc;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.Node;
import mm.api.machine.Zone;

/** The zone walks the /proc views share (mm/vmstat.c). */
final class ProcZones {

    private ProcZones() {
    }

    /**
     * {@code walk_zones_in_node} with {@code assert_populated}: the node's zones that have present
     * pages ({@code populated_zone}), by zone index.
     */
    static List<Zone> populated(Node node) {
        List<Zone> out = new ArrayList<>();
        for (Zone z : node.zones()) {
            if (z.populated()) {
                out.add(z);
            }
        }
        return out;
    }

    /** {@code node_state(nid, N_MEMORY)}: true if some zone of the node has present pages. */
    static boolean hasMemory(Node node) {
        return !populated(node).isEmpty();
    }

    /**
     * {@code is_zone_first_populated}: the node's lowest populated zone, or null for a node without
     * memory.
     */
    static Zone firstPopulated(Node node) {
        List<Zone> zones = populated(node);
        return zones.isEmpty() ? null : zones.get(0);
    }
}

package mm.api.machine;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** A NUMA node: the kernel's {@code struct pglist_data} (include/linux/mmzone.h). */
@ProviderType
public interface Node {

    /** The node id ({@code node_id}). */
    int id();

    /** The first pfn of the node ({@code node_start_pfn}). */
    long startPfn();

    /** Pages between the first and last pfn of the node ({@code node_spanned_pages}). */
    long spannedPages();

    /** Pages of RAM in the node ({@code node_present_pages}). */
    long presentPages();

    /** All {@link ZoneType#MAX_NR_ZONES} zones of the node, empty ones included, by zone index. */
    List<Zone> zones();

    /** The zone of this type. */
    default Zone zone(ZoneType type) {
        return zones().get(type.ordinal());
    }

    /** The CPUs of the node ({@code cpumask_of_node}). */
    int[] cpus();

    /** A node counter ({@code node_page_state}). */
    long state(NodeStat item);

    /** Adds to a node counter ({@code __mod_node_page_state}). */
    void modState(NodeStat item, long delta);
}

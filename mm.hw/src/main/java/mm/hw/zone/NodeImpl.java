package mm.hw.zone;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import mm.api.machine.Node;
import mm.api.machine.NodeStat;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;

/** A node ({@code struct pglist_data}): its span, its zones and its counters. */
public final class NodeImpl implements Node {

    private final int id;
    private final List<ZoneImpl> zones;
    private final int[] cpus;
    private final AtomicLongArray stats = new AtomicLongArray(NodeStat.COUNT);
    private long startPfn;
    private long spannedPages;
    private long presentPages;

    /** A node with all its zones empty. */
    public NodeImpl(int id, int[] cpus) {
        this.id = id;
        this.cpus = cpus.clone();
        List<ZoneImpl> z = new ArrayList<>();
        for (ZoneType t : ZoneType.values()) {
            z.add(new ZoneImpl(id, t));
        }
        this.zones = List.copyOf(z);
    }

    /** Sets the node's span ({@code calculate_node_totalpages}). */
    public void setSpan(long start, long spanned, long present) {
        this.startPfn = start;
        this.spannedPages = spanned;
        this.presentPages = present;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public long startPfn() {
        return startPfn;
    }

    @Override
    public long spannedPages() {
        return spannedPages;
    }

    @Override
    public long presentPages() {
        return presentPages;
    }

    @Override
    @SuppressWarnings("unchecked")
    public List<Zone> zones() {
        return (List<Zone>) (List<? extends Zone>) zones;
    }

    /** The zones with their implementation type. */
    public List<ZoneImpl> zoneImpls() {
        return zones;
    }

    /** The zone of a type, as its implementation. */
    public ZoneImpl zoneImpl(ZoneType type) {
        return zones.get(type.ordinal());
    }

    @Override
    public int[] cpus() {
        return cpus.clone();
    }

    /** The number of CPUs of the node. */
    public int cpuCount() {
        return cpus.length;
    }

    @Override
    public long state(NodeStat item) {
        return stats.get(item.ordinal());
    }

    @Override
    public void modState(NodeStat item, long delta) {
        stats.getAndAdd(item.ordinal(), delta);
    }
}

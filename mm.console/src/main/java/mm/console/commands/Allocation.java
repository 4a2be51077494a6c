package mm.console.commands;

import java.lang.ref.WeakReference;
import java.util.Locale;
import mm.api.machine.Machine;

/**
 * What {@code mm:alloc} got: kept in a shell variable it can be freed with {@code mm:free $p}.
 *
 * @param pfn the first frame
 * @param order the order
 * @param nid the node
 * @param zone the zone's name
 * @param migratetype the pageblock's migratetype name
 * @param bootedOn the machine it was allocated on (weakly: a variable must not keep a rebooted machine's memory)
 */
public record Allocation(long pfn, int order, int nid, String zone, String migratetype, WeakReference<Machine> bootedOn) {

    /** True if it was allocated on {@code machine}, false if on a machine {@code mm:boot} has replaced since. */
    public boolean on(Machine machine) {
        return bootedOn.get() == machine;
    }

    /** As the kernel's tracepoints print an allocation: {@code pfn=0x100000 order=0 node=0 zone=Normal migratetype=Unmovable}. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "pfn=0x%x order=%d node=%d zone=%s migratetype=%s", pfn, order, nid, zone, migratetype);
    }
}

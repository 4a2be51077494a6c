package mm.console.commands;

/**
 * What {@code mm:alloc} got: kept in a shell variable it can be freed with {@code mm:free $p}.
 *
 * @param pfn the first frame
 * @param order the order
 * @param nid the node
 * @param zone the zone's name
 * @param migratetype the pageblock's migratetype name
 */
public record Allocation(long pfn, int order, int nid, String zone, String migratetype) {

    /** As the kernel's tracepoints print an allocation: {@code pfn=0x100000 order=0 node=0 zone=Normal migratetype=Unmovable}. */
    @Override
    public String toString() {
        return String.format("pfn=0x%x order=%d node=%d zone=%s migratetype=%s", pfn, order, nid, zone, migratetype);
    }
}

package mm.console.proc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.MigrateType;
import mm.api.machine.Zone;
import mm.api.subsystem.Handover;

/**
 * A {@link FrameAllocator} that only reports numbers: free blocks per order (as /proc/buddyinfo
 * prints them), free blocks per order and migratetype (as /proc/pagetypeinfo prints them), and the
 * per-CPU list figures of {@link CapturedMachine.CapturedZone}. It allocates nothing.
 */
final class CapturedAllocator implements FrameAllocator {

    private final Map<Zone, long[]> nrFree = new HashMap<>();
    private final Map<Zone, long[][]> nrFreeByType = new HashMap<>();

    /** Sets {@code free_area[order].nr_free} of a zone. */
    void setNrFree(Zone zone, long[] perOrder) {
        nrFree.put(zone, perOrder.clone());
    }

    /** Sets the length of {@code free_area[order].free_list[migratetype]}. */
    void setNrFree(Zone zone, int order, int migratetype, long count) {
        nrFreeByType.computeIfAbsent(zone, z -> new long[NR_PAGE_ORDERS][MigrateType.MIGRATE_TYPES])[order][migratetype] = count;
    }

    /** Takes the free block counts of a /proc/buddyinfo text. */
    void readBuddyinfo(CapturedMachine machine, String text) {
        for (ProcParsers.Row row : ProcParsers.buddyinfo(text)) {
            setNrFree(zone(machine, row), row.values());
        }
    }

    /**
     * Takes a /proc/pagetypeinfo text: the free block counts per migratetype go to this allocator,
     * the pageblock counts per migratetype to the machine's frame table, in zone order
     * ({@link CapturedMachine.CapturedFrames#assignBlocks}).
     */
    void readPagetypeinfo(CapturedMachine machine, String text) {
        for (ProcParsers.Row row : ProcParsers.pagetypeFree(text)) {
            int type = migrateType(row.type());
            for (int order = 0; order < row.values().length; order++) {
                setNrFree(zone(machine, row), order, type, row.values()[order]);
            }
        }
        for (ProcParsers.Row row : ProcParsers.pagetypeBlocks(text)) {
            machine.frames.assignBlocks(zone(machine, row), row.values());
        }
    }

    private static Zone zone(CapturedMachine machine, ProcParsers.Row row) {
        return machine.zone(row.nid(), CapturedMachine.zoneType(row.zone()));
    }

    private static int migrateType(String name) {
        for (MigrateType t : MigrateType.values()) {
            if (t.kernelName().equals(name)) {
                return t.ordinal();
            }
        }
        throw new IllegalArgumentException("unknown migratetype " + name);
    }

    @Override
    public long nrFree(Zone zone, int order) {
        long[] counts = nrFree.get(zone);
        return counts == null ? 0 : counts[order];
    }

    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        long[][] counts = nrFreeByType.get(zone);
        return counts == null ? 0 : counts[order][migratetype];
    }

    @Override
    public int pcpCount(Zone zone, int cpu) {
        return ((CapturedMachine.CapturedZone) zone).pcpCount[cpu];
    }

    @Override
    public int pcpHigh(Zone zone, int cpu) {
        return ((CapturedMachine.CapturedZone) zone).pcpHigh[cpu];
    }

    // ---- nothing below is needed by the formatters -----------------------------------------

    @Override
    public long allocPages(int gfp, int order) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long allocPagesNode(int nid, int gfp, int order) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void freePages(long pfn, int order) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void drainAllPages() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String implName() {
        return "captured";
    }

    @Override
    public void adopt(Handover from) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Handover quiesce() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<String> check() {
        return List.of();
    }
}

package mm.tck;

import java.util.BitSet;
import java.util.List;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.core.page.PageAllocatorCore;

/**
 * A frame allocator of another kind than the buddy: one bitmap of free frames per zone, no
 * per-CPU lists, no migratetypes; it takes the lowest (or, as a second algorithm, the highest)
 * free aligned run. The kit's own tests use it to prove the suite grades through the contract
 * only: an allocator this different passes every check.
 */
final class BitmapAllocator extends PageAllocatorCore {

    private final String name;
    private final boolean highest;
    private final BitSet[] free;
    private final long[][] blocks;
    private final boolean[] stale;

    BitmapAllocator(Machine m, String name, boolean highest) {
        bind(m);
        this.name = name;
        this.highest = highest;
        int zones = m.nodes().size() * ZoneType.MAX_NR_ZONES;
        free = new BitSet[zones];
        blocks = new long[zones][NR_PAGE_ORDERS];
        stale = new boolean[zones];
        for (int i = 0; i < zones; i++) {
            free[i] = new BitSet();
            stale[i] = true;
        }
    }

    /** New dormant instances: {@code lowest-fit} or {@code highest-fit}. */
    static FrameAllocatorFactory factory(String name, boolean highest) {
        return new FrameAllocatorFactory() {
            @Override
            public String implName() {
                return name;
            }

            @Override
            public mm.api.frame.FrameAllocator create(Machine machine) {
                return new BitmapAllocator(machine, name, highest);
            }
        };
    }

    @Override
    public String implName() {
        return name;
    }

    @Override
    protected synchronized long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        BitSet bs = free[zone.id()];
        int n = 1 << order;
        long base = zone.startPfn();
        long found = -1;
        if (!highest) {
            for (int i = bs.nextSetBit(0); i >= 0 && found < 0; ) {
                int end = bs.nextClearBit(i);
                long start = (base + i + n - 1) & -n;
                if (start + n <= base + end) {
                    found = start;
                }
                i = bs.nextSetBit(end);
            }
        } else {
            for (int j = bs.length() - 1; j >= 0 && found < 0; ) {
                int start = bs.previousClearBit(j) + 1;
                long at = (base + j + 1 - n) & -n;
                if (at >= base + start) {
                    found = at;
                }
                j = start == 0 ? -1 : bs.previousSetBit(start - 1);
            }
        }
        if (found < 0) {
            return NO_PAGE;
        }
        bs.clear((int) (found - base), (int) (found - base) + n);
        zone.modState(ZoneStat.NR_FREE_PAGES, -n);
        stale[zone.id()] = true;
        return found;
    }

    @Override
    protected boolean canIsolateFreePages() {
        return true;
    }

    /** Compaction takes the largest aligned free run at pfn (half a pageblock at most), never below the zone's min watermark. */
    @Override
    protected synchronized int isolateFreePage(Zone zone, long pfn) {
        BitSet bs = free[zone.id()];
        int i = (int) (pfn - zone.startPfn());
        if (!bs.get(i)) {
            return ISOLATE_NOT_FREE;
        }
        int order = Math.min(8, Long.numberOfTrailingZeros(pfn));
        while (order > 0 && bs.nextClearBit(i) < i + (1 << order)) {
            order--;
        }
        if (!isolateWatermarkOk(zone, order)) {
            return ISOLATE_BELOW_MIN;
        }
        bs.clear(i, i + (1 << order));
        zone.modState(ZoneStat.NR_FREE_PAGES, -(1L << order));
        stale[zone.id()] = true;
        return order;
    }

    @Override
    protected synchronized void freeFrozenPages(Zone zone, long pfn, int order, int cpu) {
        int i = (int) (pfn - zone.startPfn());
        free[zone.id()].set(i, i + (1 << order));
        zone.modState(ZoneStat.NR_FREE_PAGES, 1L << order);
        stale[zone.id()] = true;
    }

    @Override
    protected synchronized void resetFreeLists() {
        for (int i = 0; i < free.length; i++) {
            free[i].clear();
            stale[i] = true;
        }
    }

    @Override
    protected synchronized void adoptFreeBlock(Zone zone, long pfn, int order) {
        freeFrozenPages(zone, pfn, order, 0);
    }

    @Override
    protected synchronized void checkFreeLists(List<String> problems) {
        FrameTable ft = machine.frames();
        for (Zone z : machine.zones()) {
            BitSet bs = free[z.id()];
            for (int i = bs.nextSetBit(0); i >= 0; i = bs.nextSetBit(i + 1)) {
                long pfn = z.startPfn() + i;
                if (ft.refcount(pfn) != 0 || ft.test(pfn, PageFlags.PG_reserved)) {
                    problems.add(z.name() + ": pfn 0x" + Long.toHexString(pfn) + " is in the bitmap but not free");
                }
            }
            if (bs.cardinality() != z.state(ZoneStat.NR_FREE_PAGES)) {
                problems.add(z.name() + ": the bitmap holds " + bs.cardinality() + " frames but NR_FREE_PAGES is "
                        + z.state(ZoneStat.NR_FREE_PAGES));
            }
        }
    }

    /** Free runs cut into the largest aligned blocks, as a buddy allocator would hold them. */
    @Override
    public synchronized long nrFree(Zone zone, int order) {
        int id = zone.id();
        if (stale[id]) {
            long[] count = blocks[id];
            java.util.Arrays.fill(count, 0);
            BitSet bs = free[id];
            long base = zone.startPfn();
            for (int i = bs.nextSetBit(0); i >= 0; ) {
                int end = bs.nextClearBit(i);
                long p = base + i;
                long e = base + end;
                while (p < e) {
                    int o = p == 0 ? MAX_PAGE_ORDER : Math.min(MAX_PAGE_ORDER, Long.numberOfTrailingZeros(p));
                    while (p + (1L << o) > e) {
                        o--;
                    }
                    count[o]++;
                    p += 1L << o;
                }
                i = bs.nextSetBit(end);
            }
            stale[id] = false;
        }
        return blocks[id][order];
    }

    /** No migratetypes: every free block counts as movable. */
    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        return migratetype == MigrateType.MOVABLE.ordinal() ? nrFree(zone, order) : 0;
    }
}

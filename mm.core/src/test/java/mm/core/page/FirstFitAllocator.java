package mm.core.page;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.subsystem.Handover;

/**
 * The simplest allocator on {@link PageAllocatorCore}: a bitmap of free frames per zone, first
 * fit. It records what the core hands it, so that tests can see the core's mechanics alone.
 */
final class FirstFitAllocator extends PageAllocatorCore {

    private final Map<Integer, BitSet> free = new HashMap<>();
    /** "zone pfn order" of every adoptFreeBlock call, in order. */
    final List<String> adopted = new ArrayList<>();
    /** "zone allocFlags" of every rmqueue call, in order. */
    final List<String> rmqueueCalls = new ArrayList<>();
    /** Refuse requests that carry ALLOC_NOFRAGMENT (as a buddy allocator with no whole pageblock would). */
    boolean refuseNofragment;

    FirstFitAllocator(Machine m) {
        this(m, true);
    }

    private FirstFitAllocator(Machine m, boolean adoptNow) {
        bind(m);
        if (adoptNow) {
            adopt(Handover.BOOT);
        }
    }

    /** One bound to the machine that never adopted it. */
    static FirstFitAllocator dormant(Machine m) {
        return new FirstFitAllocator(m, false);
    }

    private BitSet bits(Zone z) {
        return free.computeIfAbsent(zoneId(z), k -> new BitSet());
    }

    @Override
    protected synchronized long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        rmqueueCalls.add(zone.name() + " " + Integer.toHexString(allocFlags));
        if (refuseNofragment && (allocFlags & AllocFlags.ALLOC_NOFRAGMENT) != 0) {
            return NO_PAGE;
        }
        BitSet bs = bits(zone);
        int n = 1 << order;
        for (int i = bs.nextSetBit(0); i >= 0; i = bs.nextSetBit(i + 1)) {
            long pfn = zone.startPfn() + i;
            if ((pfn & (n - 1)) == 0 && bs.nextClearBit(i) - i >= n) {
                bs.clear(i, i + n);
                zone.modState(ZoneStat.NR_FREE_PAGES, -n);
                return pfn;
            }
        }
        return NO_PAGE;
    }

    @Override
    protected synchronized void freeFrozenPages(Zone zone, long pfn, int order, int cpu) {
        int i = (int) (pfn - zone.startPfn());
        bits(zone).set(i, i + (1 << order));
        zone.modState(ZoneStat.NR_FREE_PAGES, 1L << order);
    }

    @Override
    protected synchronized void resetFreeLists() {
        free.clear();
        adopted.clear();
    }

    @Override
    protected synchronized void adoptFreeBlock(Zone zone, long pfn, int order) {
        adopted.add(zone.name() + " 0x" + Long.toHexString(pfn) + " " + order);
        freeFrozenPages(zone, pfn, order, 0);
    }

    @Override
    protected void checkFreeLists(List<String> problems) {
        // nothing of its own
    }

    @Override
    public String implName() {
        return "firstfit";
    }

    @Override
    public long nrFree(Zone zone, int order) {
        return 0;
    }

    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        // enough for the high-order part of the watermark check: claim a block of every order
        return 1;
    }
}

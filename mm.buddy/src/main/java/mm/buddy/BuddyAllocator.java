package mm.buddy;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.core.page.PageAllocatorCore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The buddy allocator (mm/page_alloc.c): each zone keeps free blocks of 2<sup>order</sup> pages,
 * order 0 to 10, on lists per order and migratetype. An allocation takes the smallest block large
 * enough and splits it ({@link Rmqueue}); a free merges the block with its buddy as far as it can
 * ({@link FreeOnePage}). The zonelist walk, watermark checks and frame-table bookkeeping are
 * {@link PageAllocatorCore}'s; {@link BuddyCheck} proves the lists and the frame table agree.
 *
 * <p>Per-CPU lists, compaction and the high-order atomic reserve are not modelled yet.
 */
@Component(service = FrameAllocator.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=" + BuddyAllocator.NAME})
public class BuddyAllocator extends PageAllocatorCore {

    /** The implementation's name. */
    public static final String NAME = "buddy";

    private final FreeArea[] areas;
    private final Rmqueue rmqueue;
    private final FreeOnePage freeOnePage;

    /** Binds to the machine and adopts its frame table: the free lists of boot. */
    @Activate
    public BuddyAllocator(@Reference Machine machine) {
        bind(machine);
        areas = new FreeArea[machine.nodes().size() * ZoneType.MAX_NR_ZONES];
        for (Zone z : machine.zones()) {
            areas[zoneId(z)] = new FreeArea(z, machine.frames());
        }
        // build_all_zonelists: grouping by mobility is off when there are fewer pages than a pageblock per type
        boolean mobilityDisabled = machine.totalramPages() < (long) Machine.PAGEBLOCK_NR_PAGES * MigrateType.MIGRATE_TYPES;
        rmqueue = new Rmqueue(machine.frames(), mobilityDisabled);
        freeOnePage = new FreeOnePage(machine.frames());
        adopt(Handover.BOOT);
    }

    @Override
    public String implName() {
        return NAME;
    }

    FreeArea area(Zone zone) {
        return areas[zoneId(zone)];
    }

    @Override
    protected long rmqueue(Zone zone, int order, int migratetype, int allocFlags) {
        FreeArea area = areas[zoneId(zone)];
        int page;
        boolean wake;
        synchronized (area) {
            page = rmqueue.rmqueueBuddy(area, order, migratetype, allocFlags);
            wake = area.boostedWatermark && (allocFlags & mm.core.page.AllocFlags.ALLOC_KSWAPD) != 0;
            if (wake) {
                area.boostedWatermark = false;
            }
        }
        if (wake) {
            wakeupKswapd(zone, 0, 0, zone.type().ordinal());
        }
        return page == FreeArea.NO ? NO_PAGE : page;
    }

    @Override
    protected void freeOnePage(Zone zone, long pfn, int order) {
        FreeArea area = areas[zoneId(zone)];
        synchronized (area) {
            freeOnePage.splitLargeBuddy(area, pfn, order, false);
        }
    }

    @Override
    protected void resetFreeLists() {
        for (FreeArea a : areas) {
            synchronized (a) {
                a.reset();
            }
        }
    }

    @Override
    protected void adoptFreeBlock(Zone zone, long pfn, int order) {
        FreeArea area = areas[zoneId(zone)];
        synchronized (area) {
            freeOnePage.splitLargeBuddy(area, pfn, order, true);
        }
    }

    @Override
    protected void checkFreeLists(List<String> problems) {
        for (FreeArea a : areas) {
            synchronized (a) {
                new BuddyCheck(machine.frames(), a, freeOnePage).check(problems);
            }
        }
    }

    @Override
    public long nrFree(Zone zone, int order) {
        return areas[zoneId(zone)].nrFree(order);
    }

    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        return areas[zoneId(zone)].count(order, migratetype);
    }

    @Override
    public long nrFreeHighatomic(Zone zone) {
        return areas[zoneId(zone)].nrFreeHighatomic;
    }
}

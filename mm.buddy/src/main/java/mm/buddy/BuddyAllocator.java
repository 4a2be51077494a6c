package mm.buddy;

import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.FrameTable;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.core.page.PageAllocatorCore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The buddy allocator (mm/page_alloc.c): each zone keeps free blocks of 2<sup>order</sup> pages,
 * order 0 to 10, on lists per order and migratetype. An allocation takes the smallest block large
 * enough and splits it ({@link Rmqueue}); a free merges the block with its buddy as far as it can
 * ({@link FreeOnePage}). Small blocks go through each CPU's page lists first
 * ({@link PerCpuLists}). The zonelist walk, watermark checks and frame-table bookkeeping are
 * {@link PageAllocatorCore}'s; {@link BuddyCheck} proves the lists and the frame table agree.
 *
 * <p>High-order atomic allocations that had to dip below the low watermark reserve their pageblock
 * as MIGRATE_HIGHATOMIC (about 1 % of a zone at most), which only such allocations use until an
 * allocation about to fail gives it back. Compaction ({@link PageAllocatorCore#compactZone}) takes free blocks off the lists
 * through {@link #isolateFreePage}.
 */
@Component(service = FrameAllocator.class, configurationPid = "mm.buddy",
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=" + BuddyAllocator.NAME})
@Designate(ocd = BuddyAllocator.Config.class)
public class BuddyAllocator extends PageAllocatorCore {

    /** The implementation's name. */
    public static final String NAME = "buddy";

    /** Tuning that is not the kernel's: for experiments and benchmarks. */
    @ObjectClassDefinition(name = "mm-platform buddy allocator")
    public @interface Config {
        @AttributeDefinition(description = "Serve orders 0-3 and THP from per-CPU page lists, as the kernel does; "
                + "false shows the buddy lists alone")
        boolean perCpuLists() default true;
    }

    private final FreeArea[] areas;
    private final Rmqueue rmqueue;
    private final FreeOnePage freeOnePage;
    private final PerCpuLists pcpLists;
    private final boolean perCpuLists;

    /**
     * The DS component: binds to the machine and stays dormant until the platform's switchboard
     * makes it the active frame allocator ({@link #adopt}).
     */
    @Activate
    public BuddyAllocator(@Reference Machine machine, Config config) {
        this(machine, config.perCpuLists(), false);
    }

    /**
     * A change of the configuration {@code mm.buddy} while the component runs: without this method
     * DS would replace the component, and with it the free lists of an active allocator. The
     * per-CPU lists are chosen at creation; a new value applies from the next start.
     */
    @Modified
    void modified(Config config) {
        // nothing to do: see above
    }

    /** An allocator with per-CPU lists, as the kernel has, that has adopted the machine. */
    public BuddyAllocator(Machine machine) {
        this(machine, true);
    }

    /** An allocator that has adopted the machine; without per-CPU lists every block goes to and from the buddy lists. */
    public BuddyAllocator(Machine machine, boolean perCpuLists) {
        this(machine, perCpuLists, true);
    }

    /** An allocator bound to the machine, adopting it now or staying dormant. */
    BuddyAllocator(Machine machine, boolean perCpuLists, boolean adoptNow) {
        bind(machine);
        areas = new FreeArea[machine.nodes().size() * ZoneType.MAX_NR_ZONES];
        for (Zone z : machine.zones()) {
            areas[zoneId(z)] = new FreeArea(z, machine.frames());
        }
        // build_all_zonelists: grouping by mobility is off when there are fewer pages than a pageblock per type
        boolean mobilityDisabled = machine.totalramPages() < (long) Machine.PAGEBLOCK_NR_PAGES * MigrateType.MIGRATE_TYPES;
        rmqueue = new Rmqueue(machine.frames(), mobilityDisabled, zoneFlags(), trace);
        freeOnePage = new FreeOnePage(machine.frames());
        pcpLists = new PerCpuLists(machine.frames(), rmqueue, freeOnePage, zoneFlags(), this, areas.length, machine.cpuCount(), trace);
        this.perCpuLists = perCpuLists;
        if (adoptNow) {
            adopt(Handover.BOOT);
        }
    }

    @Override
    public String implName() {
        return NAME;
    }

    FreeArea area(Zone zone) {
        return areas[zoneId(zone)];
    }

    /** The zones' allocator flags, for this package's tests. */
    mm.core.page.ZoneFlags flags() {
        return zoneFlags();
    }

    /** True if small blocks go through per-CPU lists. */
    public boolean perCpuLists() {
        return perCpuLists;
    }

    /** {@code rmqueue}: the CPU's list for small orders, else the zone's free lists ({@code rmqueue_buddy}). */
    @Override
    protected long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        int id = zoneId(zone);
        FreeArea area = areas[id];
        if (perCpuLists && FrameAllocator.pcpAllowedOrder(order)) {
            int page = pcpLists.rmqueuePcplist(area, id, cpu, order, migratetype, allocFlags);
            if (page != FreeArea.NO) {
                return page;
            }
        }
        int page;
        synchronized (area) {
            page = rmqueue.rmqueueBuddy(area, order, migratetype, allocFlags);
        }
        return page == FreeArea.NO ? NO_PAGE : page;
    }

    /** {@code __free_frozen_pages}: onto the CPU's list for small orders, else {@code free_one_page}. */
    @Override
    protected void freeFrozenPages(Zone zone, long pfn, int order, int cpu) {
        int id = zoneId(zone);
        FreeArea area = areas[id];
        if (perCpuLists && FrameAllocator.pcpAllowedOrder(order) && pcpLists.freeFrozenPage(area, id, cpu, pfn, order)) {
            return;
        }
        synchronized (area) {
            freeOnePage.splitLargeBuddy(area, pfn, order, false);
        }
    }

    @Override
    protected void drainPages() {
        for (Zone z : machine.zones()) {
            int id = zoneId(z);
            for (int cpu = 0; cpu < machine.cpuCount(); cpu++) {
                pcpLists.drainPagesZone(areas[id], id, cpu);
            }
        }
    }

    @Override
    public int pcpCount(Zone zone, int cpu) {
        return pcpLists.pcp(zoneId(zone), cpu).count;
    }

    @Override
    public int pcpHigh(Zone zone, int cpu) {
        return pcpLists.pcp(zoneId(zone), cpu).high;
    }

    @Override
    protected void resetFreeLists() {
        pcpLists.reset();
        for (FreeArea a : areas) {
            synchronized (a) {
                a.reset();
                a.nrReservedHighatomic = highatomicPageblockPages(a.zone);
            }
        }
    }

    /**
     * The pages of the zone's MIGRATE_HIGHATOMIC pageblocks in the frame table: a successor adopts
     * the reserve its predecessor left ({@code zone->nr_reserved_highatomic}).
     */
    long highatomicPageblockPages(Zone zone) {
        if (zone.spannedPages() == 0) {
            return 0;
        }
        FrameTable ft = machine.frames();
        int highatomic = MigrateType.HIGHATOMIC.ordinal();
        long pages = 0;
        long start = zone.startPfn() & -(long) Machine.PAGEBLOCK_NR_PAGES;
        for (long pfn = start; pfn < zone.endPfn(); pfn += Machine.PAGEBLOCK_NR_PAGES) {
            long first = Math.max(pfn, zone.startPfn());
            if (ft.pfnValid(first) && ft.pageblockMigratetype(first) == highatomic) {
                pages += Machine.PAGEBLOCK_NR_PAGES;
            }
        }
        return pages;
    }

    @Override
    protected void reserveHighatomicPageblock(long pfn, int order, Zone zone) {
        FreeArea area = areas[zoneId(zone)];
        // the kernel's unlocked pre-check: most calls stop here once the reserve is full
        if (area.nrReservedHighatomic >= Rmqueue.highatomicLimit(zone.managedPages())) {
            return;
        }
        synchronized (area) {
            rmqueue.reserveHighatomicPageblock(area, pfn, order);
        }
    }

    @Override
    protected boolean unreserveHighatomicPageblock(Zone zone, int migratetype, boolean force) {
        FreeArea area = areas[zoneId(zone)];
        synchronized (area) {
            return rmqueue.unreserveHighatomicPageblock(area, migratetype, force);
        }
    }

    /** The reserve's counters against the frame table and the free lists. */
    private void checkHighatomic(List<String> problems, FreeArea a) {
        long reserved = highatomicPageblockPages(a.zone);
        if (reserved != a.nrReservedHighatomic) {
            problems.add(String.format("%s: %d pages are in HighAtomic pageblocks but nr_reserved_highatomic is %d", a.zone, reserved,
                    a.nrReservedHighatomic));
        }
        long free = 0;
        int highatomic = MigrateType.HIGHATOMIC.ordinal();
        for (int order = 0; order <= MAX_PAGE_ORDER; order++) {
            free += a.count(order, highatomic) << order;
        }
        if (free != a.nrFreeHighatomic) {
            problems.add(String.format("%s: %d pages are on HighAtomic free lists but nr_free_highatomic is %d", a.zone, free,
                    a.nrFreeHighatomic));
        }
    }

    /** {@code zone->nr_reserved_highatomic}, for tests and views. */
    public long nrReservedHighatomic(Zone zone) {
        return areas[zoneId(zone)].nrReservedHighatomic;
    }

    @Override
    protected boolean canIsolateFreePages() {
        return true;
    }

    /**
     * {@code __isolate_free_page}, under the zone lock: a PG_buddy head comes off its free list (the
     * list of its pageblock's type) and out of the zone's free pages, unless that would take the
     * zone below its min watermark; a block of half a pageblock or more makes it MOVABLE.
     */
    @Override
    protected int isolateFreePage(Zone zone, long pfn) {
        FreeArea area = areas[zoneId(zone)];
        FrameTable ft = machine.frames();
        synchronized (area) {
            if (!ft.test(pfn, PageFlags.PG_buddy)) {
                return ISOLATE_NOT_FREE;
            }
            int order = ft.order(pfn);
            int mt = ft.pageblockMigratetype(pfn);
            if (mt != MigrateType.ISOLATE.ordinal() && !isolateWatermarkOk(zone, order)) {
                return ISOLATE_BELOW_MIN;
            }
            area.delPageFromFreeList(pfn, order, mt);
            area.accountFreepages(-(1L << order), mt);
            isolatedFreePage(pfn, order);
            return order;
        }
    }

    /** {@code __free_pages_ok} with FPI_NONE: straight to the free lists, not a CPU's list. */
    @Override
    protected void releaseFreePage(Zone zone, long pfn, int order, int cpu) {
        FreeArea area = areas[zoneId(zone)];
        synchronized (area) {
            freeOnePage.splitLargeBuddy(area, pfn, order, false);
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
                BuddyCheck check = new BuddyCheck(machine.frames(), a, freeOnePage);
                check.check(problems);
                checkHighatomic(problems, a);
                for (int cpu = 0; cpu < machine.cpuCount(); cpu++) {
                    check.checkPcp(problems, pcpLists.pcp(zoneId(a.zone), cpu), cpu);
                }
            }
        }
    }

    @Override
    public long nrFree(Zone zone, int order) {
        checkNrFreeArgs(order, 0);
        return areas[zoneId(zone)].nrFree(order);
    }

    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        checkNrFreeArgs(order, migratetype);
        return areas[zoneId(zone)].count(order, migratetype);
    }


    @Override
    public long nrFreeHighatomic(Zone zone) {
        return areas[zoneId(zone)].nrFreeHighatomic;
    }

    @Override
    public Handover quiesce() {
        Handover h = super.quiesce();
        return new Handover(h.contract(), h.fromImpl(), Map.of("perCpuLists", Boolean.toString(perCpuLists)));
    }
}

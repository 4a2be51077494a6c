package mm.bitmap;

import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.core.page.PageAllocatorCore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;

/**
 * A bitmap first-fit page allocator: each zone keeps one bit per frame, set while the frame is
 * free ({@link ZoneBitmap}). An order-k request takes the lowest run of 2<sup>k</sup> free frames
 * that starts at a multiple of 2<sup>k</sup> ({@link FirstFit}); a free sets the bits again.
 * The zonelist walk, watermark checks and frame-table bookkeeping are {@link PageAllocatorCore}'s,
 * as for the buddy allocator, so the two obey the same contract and can replace each other while
 * pages are allocated: the frame table is the shared truth.
 *
 * <p>It resembles the kernel's early allocators: the bootmem allocator (mm/bootmem.c until 4.20:
 * a bitmap per node, {@code alloc_bootmem_bdata} scanning it from a hint) and memblock's search
 * for a free range ({@code memblock_find_in_range_node}, mm/memblock.c). The kernel uses them only
 * until the buddy allocator takes over at boot, and what this one lacks shows why:
 * <ul>
 * <li>Cost: a free is O(2<sup>k</sup> / 64) word writes, and there is nothing to merge, since a
 * bitmap has no blocks. But an allocation scans from the first free frame (the hint) until a run
 * fits: O(1) for order 0 in practice, O(zone / 64) words for a high order in a fragmented zone,
 * where the buddy allocator finds a block of any order in O(1) and pays O(log n) splits and
 * merges. Counting free blocks per order (/proc/buddyinfo, and the watermark check of every
 * high-order request) means decomposing the bitmap ({@link FreeBlockCounts}), where the buddy
 * keeps the counts as it goes.</li>
 * <li>No grouping by mobility: the migratetype of a request is ignored, so unmovable kernel pages
 * land among movable user pages wherever first fit puts them, and nothing keeps whole pageblocks
 * free for huge pages (the buddy allocator's per-type free lists, fallback and pageblock claiming
 * exist for that).</li>
 * <li>No per-CPU lists: every call takes the zone's lock.</li>
 * </ul>
 * First fit does place blocks well on its own terms: the lowest free pages are reused first, so
 * allocations stay packed at the bottom of each zone and the top stays free in large runs.
 */
@Component(service = FrameAllocator.class, configurationPid = "mm.bitmap",
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=" + BitmapAllocator.NAME})
public class BitmapAllocator extends PageAllocatorCore {

    /** The implementation's name. */
    public static final String NAME = "bitmap";

    /** Per zone, by {@link #zoneId}. */
    private final ZoneBitmap[] zones;

    /**
     * The DS component: binds to the machine and stays dormant until the platform's switchboard
     * makes it the active frame allocator ({@link #adopt}). The bitmap allocator has nothing to
     * configure; {@code properties} (its component properties, unused) tell this constructor from
     * the adopting one.
     */
    @Activate
    public BitmapAllocator(@Reference Machine machine, Map<String, Object> properties) {
        this(machine, false);
    }

    /** An allocator that has adopted the machine (for tests and benchmarks). */
    public BitmapAllocator(Machine machine) {
        this(machine, true);
    }

    /** An allocator bound to the machine, adopting it now or staying dormant. */
    BitmapAllocator(Machine machine, boolean adoptNow) {
        bind(machine);
        zones = new ZoneBitmap[machine.nodes().size() * ZoneType.MAX_NR_ZONES];
        for (Zone z : machine.zones()) {
            zones[zoneId(z)] = new ZoneBitmap(z, machine.frames());
        }
        if (adoptNow) {
            adopt(Handover.BOOT);
        }
    }

    /** A configuration change: nothing to apply, and the allocator (with the pages it tracks) must not be re-created. */
    @Modified
    void modified() {
        // nothing is configurable
    }

    @Override
    public String implName() {
        return NAME;
    }

    /** A zone's bitmap, for this package's tests. */
    ZoneBitmap bitmap(Zone zone) {
        return zones[zoneId(zone)];
    }

    /** {@code rmqueue}: first fit in the zone's bitmap; the migratetype is ignored (no grouping by mobility). */
    @Override
    protected long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        ZoneBitmap zb = zones[zoneId(zone)];
        synchronized (zb) {
            return zb.allocRun(order);
        }
    }

    /** {@code __free_frozen_pages}: the block's bits set again; nothing to merge. */
    @Override
    protected void freeFrozenPages(Zone zone, long pfn, int order, int cpu) {
        ZoneBitmap zb = zones[zoneId(zone)];
        synchronized (zb) {
            zb.freeRun(pfn, order);
        }
    }

    @Override
    protected boolean canIsolateFreePages() {
        return true;
    }

    /**
     * {@code __isolate_free_page}: the largest aligned run of free frames at {@code pfn}, up to half a
     * pageblock, taken under the zone's lock unless the zone would drop below its min watermark.
     */
    @Override
    protected int isolateFreePage(Zone zone, long pfn) {
        ZoneBitmap zb = zones[zoneId(zone)];
        synchronized (zb) {
            int order = zb.isolateRun(pfn, Machine.PAGEBLOCK_ORDER - 1, o -> isolateWatermarkOk(zone, o));
            if (order >= 0) {
                isolatedFreePage(pfn, order);
                return order;
            }
            return order == -2 ? ISOLATE_BELOW_MIN : ISOLATE_NOT_FREE;
        }
    }

    @Override
    protected void resetFreeLists() {
        for (ZoneBitmap zb : zones) {
            synchronized (zb) {
                zb.reset();
            }
        }
    }

    @Override
    protected void adoptFreeBlock(Zone zone, long pfn, int order) {
        ZoneBitmap zb = zones[zoneId(zone)];
        synchronized (zb) {
            zb.freeRun(pfn, order);
        }
    }

    @Override
    protected void checkFreeLists(List<String> problems) {
        for (ZoneBitmap zb : zones) {
            synchronized (zb) {
                new BitmapCheck(machine.frames(), zb, problems).check();
            }
        }
    }

    /** {@code free_area[order].nr_free} as a buddy allocator would show it: see {@link FreeBlockCounts}. */
    @Override
    public long nrFree(Zone zone, int order) {
        checkNrFreeArgs(order, 0);
        ZoneBitmap zb = zones[zoneId(zone)];
        synchronized (zb) {
            return zb.blocks.nrFree(order);
        }
    }

    /** The free blocks of an order whose pageblock has this migratetype: see {@link FreeBlockCounts}. */
    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        checkNrFreeArgs(order, migratetype);
        ZoneBitmap zb = zones[zoneId(zone)];
        synchronized (zb) {
            return zb.blocks.count(order, migratetype);
        }
    }
}

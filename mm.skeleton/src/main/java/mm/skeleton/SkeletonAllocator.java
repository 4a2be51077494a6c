package mm.skeleton;

import java.util.BitSet;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.PageFlags;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Subsystem;
import mm.core.page.FrameState;
import mm.core.page.PageAllocatorCore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * A frame allocator in its simplest correct form: each zone keeps a {@link BitSet} with one bit
 * per frame (set: free); an allocation of 2<sup>order</sup> pages takes the lowest run of free
 * frames that starts at a multiple of 2<sup>order</sup> (first fit); a free sets the bits again.
 *
 * <p>Everything else an allocator needs comes from {@link PageAllocatorCore}, as the kernel's
 * mm/page_alloc.c does it: the zonelist walk and its fallback from Normal to DMA32 to DMA, the
 * watermark checks and the GFP flags, the frame-table bookkeeping of each allocation and free,
 * the checks on bad frees, and the hand-over ({@code adopt}, {@code quiesce}). What is yours is
 * the index of free frames: {@link #rmqueue}, {@link #freeFrozenPages}, {@link #adoptFreeBlock},
 * {@link #resetFreeLists}, {@link #checkFreeLists} and {@link #nrFree}.
 *
 * <p>Ideas to go further: search a word (64 frames) at a time; keep a hint of the lowest free
 * frame; next fit or best fit instead of first fit; per-order free lists with merging (that is
 * the buddy allocator). {@code mm:tck} grades each attempt; {@code mm:buddyinfo} shows the
 * fragmentation it leaves.
 */
@Component(service = FrameAllocator.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=" + SkeletonAllocator.NAME})
public class SkeletonAllocator extends PageAllocatorCore {

    /** The implementation's name: what {@code mm:impls} lists and {@code mm:use} takes. */
    public static final String NAME = "skeleton";

    /** Per zone (by {@code Zone.id()}): bit i set when frame {@code zone.startPfn() + i} is free. */
    private final BitSet[] free;

    /** The DS component: bound to the machine, dormant until the switchboard makes it adopt the machine. */
    @Activate
    public SkeletonAllocator(@Reference Machine machine) {
        bind(machine);
        free = new BitSet[machine.nodes().size() * ZoneType.MAX_NR_ZONES];
        for (Zone z : machine.zones()) {
            free[z.id()] = new BitSet((int) z.spannedPages());
        }
    }

    @Override
    public String implName() {
        return NAME;
    }

    /** Takes the lowest free run of 2^order frames aligned to 2^order, or returns NO_PAGE. */
    @Override
    protected long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        BitSet bits = free[zone.id()];
        long base = zone.startPfn();
        long size = 1L << order;
        synchronized (bits) {
            int i = bits.nextSetBit(0);
            while (i >= 0) {
                long start = (base + i + size - 1) & -size; // round up to the block's alignment
                int first = (int) (start - base);
                if (first + size > zone.spannedPages()) {
                    return NO_PAGE;
                }
                int firstUsed = bits.nextClearBit(first);
                if (firstUsed >= first + size) {
                    bits.clear(first, (int) (first + size));
                    zone.modState(ZoneStat.NR_FREE_PAGES, -size);
                    return start;
                }
                i = bits.nextSetBit(firstUsed);
            }
            return NO_PAGE;
        }
    }

    /** Takes a freed block back: its frames are free again. */
    @Override
    protected void freeFrozenPages(Zone zone, long pfn, int order, int cpu) {
        markFree(zone, pfn, order);
    }

    /** Compaction may take free blocks from this allocator ({@link #isolateFreePage}). */
    @Override
    protected boolean canIsolateFreePages() {
        return true;
    }

    /**
     * Compaction takes the largest aligned run of free frames that starts at pfn (up to half a
     * pageblock) to move pages into, unless the zone would drop below its min watermark.
     */
    @Override
    protected int isolateFreePage(Zone zone, long pfn) {
        BitSet bits = free[zone.id()];
        int first = (int) (pfn - zone.startPfn());
        synchronized (bits) {
            if (!bits.get(first)) {
                return ISOLATE_NOT_FREE;
            }
            int order = Math.min(Machine.PAGEBLOCK_ORDER - 1, Long.numberOfTrailingZeros(pfn));
            while (order > 0 && bits.nextClearBit(first) < first + (1 << order)) {
                order--;
            }
            if (!isolateWatermarkOk(zone, order)) {
                return ISOLATE_BELOW_MIN;
            }
            bits.clear(first, first + (1 << order));
            zone.modState(ZoneStat.NR_FREE_PAGES, -(1L << order));
            isolatedFreePage(pfn, order);
            return order;
        }
    }

    @Override
    protected void resetFreeLists() {
        for (BitSet bits : free) {
            if (bits != null) {
                synchronized (bits) {
                    bits.clear();
                }
            }
        }
    }

    /** At adoption, each free block of the frame table arrives here. */
    @Override
    protected void adoptFreeBlock(Zone zone, long pfn, int order) {
        markFree(zone, pfn, order);
    }

    private void markFree(Zone zone, long pfn, int order) {
        BitSet bits = free[zone.id()];
        int first = (int) (pfn - zone.startPfn());
        synchronized (bits) {
            bits.set(first, first + (1 << order));
        }
        zone.modState(ZoneStat.NR_FREE_PAGES, 1L << order);
    }

    /** The bitmap agrees with the frame table: a bit is set exactly for each free frame. */
    @Override
    protected void checkFreeLists(List<String> problems) {
        FrameTable ft = frames;
        for (Zone zone : machine.zones()) {
            BitSet bits = free[zone.id()];
            synchronized (bits) {
                long pfn = zone.startPfn();
                while (pfn < zone.endPfn()) {
                    int i = (int) (pfn - zone.startPfn());
                    if (ft.pfnValid(pfn) && FrameState.isAllocatedHead(ft, pfn)) {
                        int n = 1 << ft.order(pfn);
                        int set = bits.get(i, i + n).nextSetBit(0);
                        if (set >= 0) {
                            problems.add(String.format("%s: pfn 0x%x is marked free but belongs to the allocated block at 0x%x",
                                    zone, pfn + set, pfn));
                        }
                        pfn += n;
                        continue;
                    }
                    boolean shouldBeFree = ft.pfnValid(pfn) && !ft.test(pfn, PageFlags.PG_reserved) && ft.refcount(pfn) == 0;
                    if (bits.get(i) != shouldBeFree) {
                        problems.add(String.format("%s: pfn 0x%x is %s in the frame table but %s in the bitmap", zone, pfn,
                                shouldBeFree ? "free" : "not free", bits.get(i) ? "free" : "not free"));
                    }
                    pfn++;
                }
            }
        }
    }

    /** Free blocks of an order, as /proc/buddyinfo would count them: each free run cut into the largest aligned blocks. */
    @Override
    public long nrFree(Zone zone, int order) {
        checkNrFreeArgs(order, 0);
        return countBlocks(zone, order, -1);
    }

    /** The free blocks of an order whose pageblock has this migratetype. */
    @Override
    public long nrFree(Zone zone, int order, int migratetype) {
        checkNrFreeArgs(order, migratetype);
        return countBlocks(zone, order, migratetype);
    }

    /** Cuts each free run into the largest aligned blocks and counts those of the order (and type, unless -1). */
    private long countBlocks(Zone zone, int order, int migratetype) {
        BitSet bits = free[zone.id()];
        long base = zone.startPfn();
        long[] count = new long[1];
        synchronized (bits) {
            for (int i = bits.nextSetBit(0); i >= 0; ) {
                int end = bits.nextClearBit(i);
                largestAlignedBlocks(base + i, base + end, (pfn, o) -> {
                    if (o == order && (migratetype < 0 || frames.pageblockMigratetype(pfn) == migratetype)) {
                        count[0]++;
                    }
                });
                i = bits.nextSetBit(end);
            }
        }
        return count[0];
    }
}

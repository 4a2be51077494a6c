package mm.console.commands;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.Owners;
import mm.api.machine.Zone;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code mm:alloc}, {@code mm:free} and {@code mm:drain}: the page allocator by hand
 * ({@code alloc_pages}, {@code __free_pages}, {@code drain_all_pages}); the blocks handed out are
 * recorded in {@link ConsolePages}, which follows those compaction moves.
 */
@Component(service = FrameCommands.class, property = {
    "osgi.command.scope=mm", "osgi.command.function=alloc", "osgi.command.function=free", "osgi.command.function=drain"})
public class FrameCommands extends AllocatorCommands {

    @Reference
    ConsolePages pages;

    public FrameCommands() {
        super("frames");
    }

    @Descriptor("allocate 2^ORDER contiguous pages (alloc_pages) and print where they came from")
    public Object alloc(
            @Descriptor("preferred node (alloc_pages_node); default: the node of the current CPU")
            @Parameter(names = {"-n", "--node"}, absentValue = "-1") int node,
            @Descriptor("allocate COUNT blocks (1 to 1000000) and keep them together, e.g. b = (mm:alloc -c 4096 0 GFP_HIGHUSER_MOVABLE)")
            @Parameter(names = {"-c", "--count"}, absentValue = "") String count,
            @Descriptor("order: 0 to 10 (1 to 1024 pages)") String order,
            @Descriptor("GFP flags by their kernel names, e.g. GFP_KERNEL, GFP_DMA32, GFP_ATOMIC+__GFP_ZERO "
                    + "(join with + or quote the kernel's |: 'GFP_ATOMIC|__GFP_ZERO')") String gfp) {
        return allocate(node, count, Args.order(order), Args.gfp(gfp));
    }

    @Descriptor("allocate 2^ORDER contiguous pages with GFP_KERNEL (alloc_pages) and print where they came from")
    public Object alloc(
            @Descriptor("preferred node (alloc_pages_node); default: the node of the current CPU")
            @Parameter(names = {"-n", "--node"}, absentValue = "-1") int node,
            @Descriptor("allocate COUNT blocks (1 to 1000000) and keep them together")
            @Parameter(names = {"-c", "--count"}, absentValue = "") String count,
            @Descriptor("order: 0 to 10 (1 to 1024 pages)") String order) {
        return allocate(node, count, Args.order(order), Gfp.GFP_KERNEL);
    }

    private static final int MAX_COUNT = 1_000_000;

    /**
     * One block as an {@link Allocation}; with {@code -c COUNT}, {@link Allocations} (even of one).
     * A failure gives back what the command took.
     */
    private Object allocate(int node, String countOption, int order, int gfp) {
        if (countOption.isEmpty()) {
            return allocate(node, order, gfp);
        }
        int count = Args.count("count", countOption, 1, MAX_COUNT);
        List<Allocation> got = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                got.add(allocate(node, order, gfp));
            }
        } catch (CommandError e) {
            for (Allocation a : got) {
                release(a.block(), a.pfn(), a.order());
            }
            throw new CommandError(e.getMessage() + "; after " + got.size() + " of " + count
                    + " blocks, which were freed again");
        }
        return new Allocations(got);
    }

    private Allocation allocate(int node, int order, int gfp) {
        Machine m = machine;
        if (node < -1 || node >= m.nodes().size()) {
            throw new CommandError("node " + node + " does not exist: accepted are 0 to " + (m.nodes().size() - 1));
        }
        long pfn = callActive(node < 0 ? "allocPages" : "allocPagesNode", ActiveCall.CALL_MS,
                fa -> node < 0 ? fa.allocPages(gfp, order) : fa.allocPagesNode(node, gfp, order));
        if (pfn == FrameAllocator.NO_PAGE) {
            // warn_alloc's first line
            throw new CommandError(String.format("page allocation failure: order:%d, mode:%#x(%s), nodemask=(null): "
                    + "no zone had a free block of that order above its watermark (see mm:buddyinfo, mm:zoneinfo)",
                    order, gfp, Gfp.format(gfp)));
        }
        m.frames().setOwner(pfn, Owners.CONSOLE);
        ConsolePages.Block block = pages.allocated(pfn, order, Gfp.gfpMigratetype(gfp) == MigrateType.MOVABLE);
        Zone zone = m.zoneOfPfn(pfn);
        return new Allocation(pfn, order, zone.nid(), zone.name(),
                MigrateType.of(m.frames().pageblockMigratetype(pfn)).kernelName(), new WeakReference<>(m), block);
    }

    @Descriptor("free a block mm:alloc returned, kept in a variable (__free_pages); "
            + "a movable block that compaction moved is freed where it is now")
    public String free(@Descriptor("what mm:alloc returned, e.g. $p after p = (mm:alloc 3)") Allocation allocation) {
        Allocation a = current(allocation);
        return release(a.block(), a.pfn(), a.order());
    }

    @Descriptor("free the block of 2^ORDER pages starting at PFN (__free_pages); PFN may be what mm:alloc returned; "
            + "a movable block that compaction moved is freed where it is now")
    public String free(
            @Descriptor("first page frame number, hex (0x100000) or decimal, or $p after p = (mm:alloc 3)") Object pfn,
            @Descriptor("the order it was allocated with, 0 to 10") String order) {
        if (pfn instanceof Allocation a) {
            current(a);
            return release(a.block(), a.pfn(), Args.order(order));
        }
        long named = Args.pfn(String.valueOf(pfn));
        return release(pages.blockAt(named), named, Args.order(order));
    }

    @Descriptor("free the blocks mm:alloc -c returned, all of them or every STRIDE-th (to fragment memory on purpose)")
    public String free(
            @Descriptor("free blocks 0, STRIDE, 2*STRIDE... of the list (1 to 1000000); default 1: all")
            @Parameter(names = {"-s", "--stride"}, absentValue = "1") String stride,
            @Descriptor("what mm:alloc -c returned, e.g. $b after b = (mm:alloc -c 4096 0 GFP_HIGHUSER_MOVABLE)") Allocations blocks) {
        int step = Args.count("stride", stride, 1, MAX_COUNT);
        current(blocks.blocks().get(0));
        List<Integer> picked = blocks.pick(step);
        int moved = blocks.blocks().get(0).order() != 0 ? releaseEach(blocks, picked) : releaseBatched(blocks, picked);
        return String.format("freed %d of %d blocks (%d still held)%s", picked.size(), blocks.blocks().size(), blocks.held(),
                moved == 0 ? "" : "; " + moved + " of them had been moved by compaction and were freed where they were");
    }

    /** Frees the picked blocks one by one ({@code __free_pages}); returns how many compaction had moved. */
    private int releaseEach(Allocations blocks, List<Integer> picked) {
        int moved = 0;
        for (int i : picked) {
            Allocation a = blocks.blocks().get(i);
            if (release(a.block(), a.pfn(), a.order()) != null) {
                moved++;
            }
            blocks.markFreed(i);
        }
        return moved;
    }

    /**
     * Frees the picked order-0 pages as {@code release_pages} does ({@code freePagesBatched}: traced
     * {@code mm_page_free} then {@code mm_page_free_batched}, 31 at a time); all or none.
     */
    private int releaseBatched(Allocations blocks, List<Integer> picked) {
        long[] user = new long[picked.size()];
        long[] where = new long[picked.size()];
        int moved = 0;
        for (int k = 0; k < user.length; k++) {
            Allocation a = blocks.blocks().get(picked.get(k));
            user[k] = a.pfn();
            where[k] = pages.settle(a.block(), a.pfn());
            moved += where[k] != user[k] ? 1 : 0;
        }
        callActive("freePagesBatched", ActiveCall.SCAN_MS, fa -> {
            fa.freePagesBatched(where);
            return null;
        });
        for (int k = 0; k < user.length; k++) {
            pages.freed(blocks.blocks().get(picked.get(k)).block());
            blocks.markFreed(picked.get(k));
        }
        return moved;
    }

    /** An allocation of this machine; one of a machine since rebooted is refused (its pfn may be in use here). */
    private Allocation current(Allocation a) {
        if (!a.on(machine)) {
            throw new CommandError(a + " was allocated before the last mm:boot: the reboot discarded it, nothing to free "
                    + "(accepted: what mm:alloc returned since)");
        }
        return a;
    }

    @Descriptor("return the pages held on every CPU's per-CPU lists to the zones' free lists (drain_all_pages)")
    public void drain() {
        callActive("drainAllPages", ActiveCall.CALL_MS, fa -> {
            fa.drainAllPages();
            return null;
        });
    }

    /**
     * Frees a block where it is now; says so when compaction had moved it, else prints nothing. A
     * pfn the console did not hand out ({@code block} null) goes to the allocator as it is, which
     * judges it.
     */
    private String release(ConsolePages.Block block, long named, int order) {
        long pfn = block == null ? named : pages.settle(block, named);
        callActive("freePages", ActiveCall.CALL_MS, fa -> {
            fa.freePages(pfn, order);
            return null;
        });
        if (block != null) {
            pages.freed(block);
        }
        return pfn == named ? null : String.format("pfn 0x%x had been moved to 0x%x by compaction: freed there", named, pfn);
    }
}

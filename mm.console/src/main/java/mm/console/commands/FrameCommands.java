package mm.console.commands;

import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.Owners;
import mm.api.machine.Zone;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code mm:alloc}, {@code mm:free} and {@code mm:drain}: the page allocator by hand
 * ({@code alloc_pages}, {@code __free_pages}, {@code drain_all_pages}).
 */
@Component(service = FrameCommands.class, property = {
    "osgi.command.scope=mm", "osgi.command.function=alloc", "osgi.command.function=free", "osgi.command.function=drain"})
public class FrameCommands extends AllocatorCommands {

    public FrameCommands() {
        super("frames");
    }

    @Descriptor("allocate 2^ORDER contiguous pages (alloc_pages) and print where they came from")
    public Allocation alloc(
            @Descriptor("preferred node (alloc_pages_node); default: the node of the current CPU")
            @Parameter(names = {"-n", "--node"}, absentValue = "-1") int node,
            @Descriptor("order: 0 to 10 (1 to 1024 pages)") String order,
            @Descriptor("GFP flags by their kernel names, e.g. GFP_KERNEL, GFP_DMA32, GFP_ATOMIC+__GFP_ZERO "
                    + "(join with + or quote the kernel's |: 'GFP_ATOMIC|__GFP_ZERO')") String gfp) {
        return allocate(node, Args.order(order), Args.gfp(gfp));
    }

    @Descriptor("allocate 2^ORDER contiguous pages with GFP_KERNEL (alloc_pages) and print where they came from")
    public Allocation alloc(
            @Descriptor("preferred node (alloc_pages_node); default: the node of the current CPU")
            @Parameter(names = {"-n", "--node"}, absentValue = "-1") int node,
            @Descriptor("order: 0 to 10 (1 to 1024 pages)") String order) {
        return allocate(node, Args.order(order), Gfp.GFP_KERNEL);
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
        Zone zone = m.zoneOfPfn(pfn);
        return new Allocation(pfn, order, zone.nid(), zone.name(),
                MigrateType.of(m.frames().pageblockMigratetype(pfn)).kernelName(), new java.lang.ref.WeakReference<>(m));
    }

    @Descriptor("free a block mm:alloc returned, kept in a variable (__free_pages)")
    public void free(@Descriptor("what mm:alloc returned, e.g. $p after p = (mm:alloc 3)") Allocation allocation) {
        release(current(allocation).pfn(), allocation.order());
    }

    @Descriptor("free the block of 2^ORDER pages starting at PFN (__free_pages); PFN may be what mm:alloc returned")
    public void free(
            @Descriptor("first page frame number, hex (0x100000) or decimal, or $p after p = (mm:alloc 3)") Object pfn,
            @Descriptor("the order it was allocated with, 0 to 10") String order) {
        release(pfn instanceof Allocation a ? current(a).pfn() : Args.pfn(String.valueOf(pfn)), Args.order(order));
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

    private void release(long pfn, int order) {
        callActive("freePages", ActiveCall.CALL_MS, fa -> {
            fa.freePages(pfn, order);
            return null;
        });
    }
}

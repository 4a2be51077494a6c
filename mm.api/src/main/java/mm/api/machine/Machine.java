package mm.api.machine;

import java.util.List;
import java.util.function.Supplier;
import mm.api.trace.Tracer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The simulated machine, booted: nodes and zones sized by the kernel's rules, the frame table,
 * what memblock reserved, the physical resource tree, the CPUs and the clock. Published as an
 * OSGi service by {@code mm.hw} once boot has handed the free memory to the frame table
 * ({@code memblock_free_all}); the active frame allocator builds its free lists from there.
 */
@ProviderType
public interface Machine {

    /** pageblock_order: min(HPAGE_PMD_ORDER, MAX_PAGE_ORDER) = 9 with 4 KiB pages. */
    int PAGEBLOCK_ORDER = 9;
    /** pageblock_nr_pages. */
    int PAGEBLOCK_NR_PAGES = 1 << PAGEBLOCK_ORDER;
    /** PAGE_SHIFT. */
    int PAGE_SHIFT = MachineConfig.PAGE_SHIFT;
    /**
     * PAGES_PER_SECTION: frames of a memory section (SECTION_SIZE_BITS 27, 128 MiB); pfn_valid
     * changes only at section boundaries.
     *
     * @since 1.3
     */
    int PAGES_PER_SECTION = 1 << 15;
    /** PAGE_SIZE. */
    long PAGE_SIZE = MachineConfig.PAGE_SIZE;
    /** NUMA_NO_NODE. */
    int NUMA_NO_NODE = -1;

    /** The configuration the machine booted with. */
    MachineConfig config();

    /**
     * The real machine this one was shaped like ({@code ./mm --like DIR}): its nodes, zones, managed
     * pages and vm sysctls; null for a machine of the usual shape.
     *
     * @since 1.2
     */
    default MachineCapture like() {
        return null;
    }

    /** The nodes, by id. */
    List<Node> nodes();

    /** The node with this id. */
    default Node node(int nid) {
        return nodes().get(nid);
    }

    /** Every zone of every node, node by node and by zone index, empty zones included. */
    List<Zone> zones();

    /** A zone of a node. */
    default Zone zone(int nid, ZoneType type) {
        return node(nid).zone(type);
    }

    /** The zone a frame belongs to ({@code page_zone}). */
    Zone zoneOfPfn(long pfn);

    /**
     * The fallback zonelist of a node ({@code ZONELIST_FALLBACK}, built by {@code build_zonelists}):
     * its managed zones from the highest index down, then those of the other nodes by distance.
     */
    List<Zone> zonelist(int nid);

    /** The frame table. */
    FrameTable frames();

    /** What memblock knew at the end of boot. */
    Memblock memblock();

    /** The top level of the physical resource tree (/proc/iomem). */
    List<IomemResource> iomem();

    /** Figures the architecture's boot code leaves behind (direct map page sizes, vmalloc size, per-CPU area). */
    ArchInfo archInfo();

    /** The simulated clock. */
    SimClock clock();

    /**
     * The machine's tracing facility (/sys/kernel/tracing): subsystems look their tracepoints up
     * here once, when they bind. {@link Tracer#none()} for a machine without one.
     *
     * @since 1.2
     */
    default Tracer tracer() {
        return Tracer.none();
    }

    /** The number of CPUs ({@code num_online_cpus}). */
    default int cpuCount() {
        return config().cpus();
    }

    /** The node of a CPU ({@code cpu_to_node}). */
    int cpuToNode(int cpu);

    /** The simulated CPU the calling thread runs on ({@code smp_processor_id}); 0 unless set by {@link #runOn}. */
    int currentCpu();

    /** Runs work on a simulated CPU: {@link #currentCpu()} answers {@code cpu} inside it. */
    <T> T runOn(int cpu, Supplier<T> work);

    /** Pages managed by the page allocator, all zones ({@code totalram_pages}): MemTotal. */
    long totalramPages();

    /**
     * Pages the allocator keeps back from user space ({@code totalreserve_pages}, set by
     * {@code calculate_totalreserve_pages}): per zone the largest lowmem_reserve plus the high
     * watermark, capped at its managed pages.
     */
    long totalreservePages();

    /** A global counter, summed over nodes ({@code global_node_page_state}). */
    default long nodeState(NodeStat item) {
        long sum = 0;
        for (Node n : nodes()) {
            sum += n.state(item);
        }
        return sum;
    }

    /** A global counter, summed over zones ({@code global_zone_page_state}). */
    default long zoneState(ZoneStat item) {
        long sum = 0;
        for (Zone z : zones()) {
            sum += z.state(item);
        }
        return sum;
    }

    /**
     * Registers the owner of movable pages for an owner id of the frame table, so that compaction
     * can move that owner's pages ({@code page->mapping}'s movable operations, or the rmap of LRU
     * pages). One owner per id.
     *
     * @return closing it unregisters
     * @throws IllegalStateException if the id has an owner already
     * @since 1.3
     */
    default AutoCloseable registerMovableOps(int owner, MovableOps ops) {
        throw new UnsupportedOperationException("this machine does not move pages");
    }

    /**
     * The movable operations registered for an owner id, or null: that owner's pages do not move.
     *
     * @since 1.3
     */
    default MovableOps movableOps(int owner) {
        return null;
    }

    /**
     * {@code vm.extfrag_threshold} (mm/compaction.c, default 500): compaction for a costly order is
     * skipped when the zone's fragmentation index for it is at most this, since then the
     * allocation fails for lack of memory, not fragmentation.
     *
     * @since 1.3
     */
    default int extfragThreshold() {
        return 500;
    }

    /**
     * Writes {@code vm.extfrag_threshold}.
     *
     * @throws IllegalArgumentException outside 0..1000
     * @since 1.3
     */
    default void setExtfragThreshold(int threshold) {
        throw new UnsupportedOperationException("this machine has a fixed extfrag_threshold");
    }
}

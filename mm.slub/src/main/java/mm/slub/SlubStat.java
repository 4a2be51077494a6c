package mm.slub;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The counters of {@code CONFIG_SLUB_STATS} ({@code enum stat_item}, mm/slub.c), kept per CPU and
 * shown in {@code /sys/kernel/slab/NAME/} under their lower-case names.
 */
enum SlubStat {
    /** Allocation from the CPU's freelist. */
    ALLOC_FASTPATH,
    /** Allocation through ___slab_alloc. */
    ALLOC_SLOWPATH,
    /** Free to the CPU's own slab. */
    FREE_FASTPATH,
    /** Free through __slab_free. */
    FREE_SLOWPATH,
    /** Free to a slab another CPU holds. */
    FREE_FROZEN,
    /** A slab put on a node's partial list. */
    FREE_ADD_PARTIAL,
    /** A slab taken off a node's partial list to be freed. */
    FREE_REMOVE_PARTIAL,
    /** A CPU slab taken from a node's partial list. */
    ALLOC_FROM_PARTIAL,
    /** A new slab from the page allocator. */
    ALLOC_SLAB,
    /** The CPU's freelist refilled with remote frees. */
    ALLOC_REFILL,
    /** The CPU slab was on the wrong node. */
    ALLOC_NODE_MISMATCH,
    /** A slab given back to the page allocator. */
    FREE_SLAB,
    /** The CPU slab flushed. */
    CPUSLAB_FLUSH,
    /** A full CPU slab deactivated. */
    DEACTIVATE_FULL,
    /** An empty CPU slab deactivated (and freed). */
    DEACTIVATE_EMPTY,
    /** A deactivated slab put at the head of the partial list. */
    DEACTIVATE_TO_HEAD,
    /** A deactivated slab put at the tail of the partial list. */
    DEACTIVATE_TO_TAIL,
    /** Remote frees found when deactivating. */
    DEACTIVATE_REMOTE_FREES,
    /** A full CPU slab dropped without touching lists. */
    DEACTIVATE_BYPASS,
    /** A slab of the fallback order. */
    ORDER_FALLBACK,
    /** A CPU's cmpxchg retried. */
    CMPXCHG_DOUBLE_CPU_FAIL,
    /** A slab's cmpxchg retried. */
    CMPXCHG_DOUBLE_FAIL,
    /** A CPU slab taken from the CPU's partial list. */
    CPU_PARTIAL_ALLOC,
    /** A slab put on a CPU's partial list by a free. */
    CPU_PARTIAL_FREE,
    /** A slab moved from a node's partial list to a CPU's. */
    CPU_PARTIAL_NODE,
    /** A CPU's partial list drained to the node. */
    CPU_PARTIAL_DRAIN;

    static final SlubStat[] ALL = values();
    static final int NR = ALL.length;
    /** The sysfs file of each, in order. */
    static final List<String> FILES = Arrays.stream(ALL).map(SlubStat::file).toList();

    /** The sysfs file name ({@code alloc_fastpath}). */
    String file() {
        return name().toLowerCase(Locale.ROOT);
    }
}

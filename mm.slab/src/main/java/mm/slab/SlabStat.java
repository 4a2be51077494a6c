package mm.slab;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The counters {@code CONFIG_DEBUG_SLAB} kept ({@code STATS}, mm/slab.c; the {@code cpustat} and
 * {@code globalstat} columns of /proc/slabinfo with statistics), here per CPU: the CPU that did
 * the work counts it. The maxima ({@code maxobjs}, {@code maxfreeable}) and {@code alienoverflow}
 * (no alien caches here) are not kept.
 */
enum SlabStat {
    /** An allocation served by the CPU's array cache ({@code allochit}). */
    ALLOCHIT,
    /** An allocation that found the CPU's array empty and refilled it, or a debug cache's allocation ({@code allocmiss}). */
    ALLOCMISS,
    /** A free into the CPU's array cache ({@code freehit}). */
    FREEHIT,
    /** A free that found the CPU's array full and flushed a batch, or a debug cache's free ({@code freemiss}). */
    FREEMISS,
    /** Objects taken off slabs into array caches or handed out from a slab directly ({@code listallocs}, {@code num_allocations}). */
    LISTALLOCS,
    /** Slabs grown ({@code grown}). */
    GROWN,
    /** Free slabs the reaper gave back ({@code reaped}). */
    REAPED,
    /** Objects allocated straight from a node's lists, bypassing the array cache ({@code nodeallocs}). */
    NODEALLOCS,
    /** Objects freed to another node's slabs ({@code remotefrees}, {@code node_frees}). */
    REMOTEFREES;

    static final SlabStat[] ALL = values();
    static final int NR = ALL.length;
    /** The sysfs file of each, in order. */
    static final List<String> FILES = Arrays.stream(ALL).map(SlabStat::file).toList();

    /** The name shown in stats and sysfs ({@code allochit}). */
    String file() {
        return name().toLowerCase(Locale.ROOT);
    }
}

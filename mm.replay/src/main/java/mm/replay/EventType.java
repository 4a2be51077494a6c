package mm.replay;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The trace events the replay understands, each with the fields it must have (the kernel's print
 * formats, event_formats.txt of kernel-data/trace), and {@link #OTHER} for events the kernel
 * defines that the replay does not re-enact (vmscan, oom, the other kmem events, the trace marker).
 */
public enum EventType {
    MM_PAGE_ALLOC("mm_page_alloc", Slot.PFN, Slot.ORDER, Slot.MIGRATETYPE, Slot.GFP_FLAGS),
    MM_PAGE_FREE("mm_page_free", Slot.PFN, Slot.ORDER),
    MM_PAGE_FREE_BATCHED("mm_page_free_batched", Slot.PFN),
    MM_PAGE_ALLOC_ZONE_LOCKED("mm_page_alloc_zone_locked", Slot.PFN, Slot.ORDER, Slot.MIGRATETYPE, Slot.PERCPU_REFILL),
    MM_PAGE_PCPU_DRAIN("mm_page_pcpu_drain", Slot.PFN, Slot.ORDER, Slot.MIGRATETYPE),
    MM_PAGE_ALLOC_EXTFRAG("mm_page_alloc_extfrag", Slot.PFN, Slot.ALLOC_ORDER, Slot.FALLBACK_ORDER, Slot.ALLOC_MIGRATETYPE,
            Slot.FALLBACK_MIGRATETYPE, Slot.CHANGE_OWNERSHIP),
    KMALLOC("kmalloc", Slot.PTR, Slot.BYTES_REQ, Slot.BYTES_ALLOC, Slot.GFP_FLAGS, Slot.NODE),
    KFREE("kfree", Slot.PTR),
    KMEM_CACHE_ALLOC("kmem_cache_alloc", Slot.PTR, Slot.NAME, Slot.BYTES_REQ, Slot.BYTES_ALLOC, Slot.GFP_FLAGS, Slot.NODE),
    KMEM_CACHE_FREE("kmem_cache_free", Slot.PTR, Slot.NAME),
    /** A known event the replay does not re-enact: counted, its fields kept as text. */
    OTHER("other");

    /**
     * Events the kernel defines (kmem, vmscan, oom and the ftrace marker) that the replay reads as
     * {@link #OTHER}: any other name is an unknown event, and its line is counted as unparsed.
     */
    static final Set<String> OTHER_NAMES = Set.of(
            // ftrace itself: trace_marker writes, trace_printk
            "tracing_mark_write", "print", "bprint", "bputs",
            // kmem (event_formats.txt)
            "mm_calculate_totalreserve_pages", "mm_setup_per_zone_lowmem_reserve", "mm_setup_per_zone_wmarks",
            "rss_stat",
            // vmscan
            "mm_vmscan_kswapd_sleep", "mm_vmscan_kswapd_wake", "mm_vmscan_wakeup_kswapd", "mm_vmscan_direct_reclaim_begin",
            "mm_vmscan_direct_reclaim_end", "mm_vmscan_memcg_reclaim_begin", "mm_vmscan_memcg_reclaim_end",
            "mm_vmscan_memcg_softlimit_reclaim_begin", "mm_vmscan_memcg_softlimit_reclaim_end", "mm_shrink_slab_start",
            "mm_shrink_slab_end", "mm_vmscan_lru_isolate", "mm_vmscan_write_folio", "mm_vmscan_lru_shrink_inactive",
            "mm_vmscan_lru_shrink_active", "mm_vmscan_node_reclaim_begin", "mm_vmscan_node_reclaim_end",
            "mm_vmscan_throttled", "mm_vmscan_reclaim_pages",
            // oom
            "oom_score_adj_update", "reclaim_retry_zone", "mark_victim", "wake_reaper", "start_task_reaping",
            "finish_task_reaping", "skip_task_reaping", "compact_retry");

    private static final Map<String, EventType> BY_NAME = new HashMap<>();

    static {
        for (EventType t : values()) {
            if (t != OTHER) {
                BY_NAME.put(t.eventName, t);
            }
        }
    }

    final String eventName;
    final Slot[] slots;

    EventType(String eventName, Slot... slots) {
        this.eventName = eventName;
        this.slots = slots;
    }

    /** The event's name as the kernel prints it ({@code mm_page_alloc}); "other" for {@link #OTHER}. */
    public String eventName() {
        return eventName;
    }

    /** The type of a kernel event name, {@link #OTHER} for a known event not re-enacted, null for an unknown name. */
    public static EventType of(String name) {
        EventType t = BY_NAME.get(name);
        if (t != null) {
            return t;
        }
        return OTHER_NAMES.contains(name) ? OTHER : null;
    }
}

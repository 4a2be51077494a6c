package mm.core.trace;

import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.trace.Tracepoint;
import mm.api.trace.Tracer;

/**
 * The kmem events of include/trace/events/kmem.h, looked up once from the machine's tracer. Hot
 * paths test a tracepoint's {@link Tracepoint#enabled()} (a volatile read) and only then call the
 * method here that formats the arguments exactly as the kernel's {@code TP_printk}:
 *
 * <pre>
 * mm_page_alloc: page=ffffea0000400000 pfn=0x10000 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE
 * kmalloc: call_site=mm_kmalloc+0x0/0x0 ptr=ffff888004a1c080 bytes_req=100 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false
 * </pre>
 *
 * {@code %p} prints as with {@code no_hash_pointers} (16 hex digits, no {@code 0x}): a page is
 * its {@code struct page} in x86_64's vmemmap ({@link #VMEMMAP_BASE} + pfn * 64), an object its
 * direct-map address. {@code %pS} call sites are the simulator's entry points.
 */
public final class KmemTrace {

    /** vmemmap_base on x86_64 without KASLR. */
    public static final long VMEMMAP_BASE = 0xffffea0000000000L;
    /** sizeof(struct page). */
    public static final int STRUCT_PAGE_SIZE = 64;
    /** pageblock_order as mm_page_alloc_extfrag prints it. */
    private static final int PAGEBLOCK_ORDER = Machine.PAGEBLOCK_ORDER;

    /** The call sites ({@code %pS}) of the object cache's entry points. */
    public static final String SITE_KMALLOC = "mm_kmalloc+0x0/0x0";
    public static final String SITE_KFREE = "mm_kfree+0x0/0x0";
    public static final String SITE_CACHE_ALLOC = "mm_cache_alloc+0x0/0x0";
    public static final String SITE_CACHE_FREE = "mm_cache_free+0x0/0x0";

    public final Tracepoint mmPageAlloc;
    public final Tracepoint mmPageFree;
    public final Tracepoint mmPageFreeBatched;
    public final Tracepoint mmPageAllocZoneLocked;
    public final Tracepoint mmPagePcpuDrain;
    public final Tracepoint mmPageAllocExtfrag;
    public final Tracepoint kmalloc;
    public final Tracepoint kfree;
    public final Tracepoint kmemCacheAlloc;
    public final Tracepoint kmemCacheFree;
    /** {@code vmscan:mm_vmscan_wakeup_kswapd} (include/trace/events/vmscan.h): the page allocator wakes kswapd. */
    public final Tracepoint mmVmscanWakeupKswapd;

    /** The events of a tracer. */
    public KmemTrace(Tracer t) {
        mmPageAlloc = t.tracepoint("kmem", "mm_page_alloc");
        mmPageFree = t.tracepoint("kmem", "mm_page_free");
        mmPageFreeBatched = t.tracepoint("kmem", "mm_page_free_batched");
        mmPageAllocZoneLocked = t.tracepoint("kmem", "mm_page_alloc_zone_locked");
        mmPagePcpuDrain = t.tracepoint("kmem", "mm_page_pcpu_drain");
        mmPageAllocExtfrag = t.tracepoint("kmem", "mm_page_alloc_extfrag");
        kmalloc = t.tracepoint("kmem", "kmalloc");
        kfree = t.tracepoint("kmem", "kfree");
        kmemCacheAlloc = t.tracepoint("kmem", "kmem_cache_alloc");
        kmemCacheFree = t.tracepoint("kmem", "kmem_cache_free");
        mmVmscanWakeupKswapd = t.tracepoint("vmscan", "mm_vmscan_wakeup_kswapd");
    }

    /** The events of a machine's tracer ({@link Tracer#none()} if it has none). */
    public static KmemTrace of(Machine m) {
        Tracer t = m.tracer();
        return new KmemTrace(t == null ? Tracer.none() : t);
    }

    // ---- the print formats ----------------------------------------------------------------------

    /** {@code page=%p pfn=0x%lx order=%d migratetype=%d gfp_flags=%s}; a failed allocation (pfn -1) prints a null page and pfn 0. */
    public static String mmPageAllocArgs(long pfn, int order, int migratetype, int gfp) {
        StringBuilder sb = page(new StringBuilder(96), pfn);
        return sb.append(" order=").append(order).append(" migratetype=").append(migratetype).append(" gfp_flags=")
                .append(gfp(gfp)).toString();
    }

    /** {@code nid=%d order=%d gfp_flags=%s} of mm_vmscan_wakeup_kswapd ({@code none} for no flags). */
    public static String mmVmscanWakeupKswapdArgs(int nid, int order, int gfp) {
        return "nid=" + nid + " order=" + order + " gfp_flags=" + gfp(gfp);
    }

    /** {@code page=%p pfn=0x%lx order=%d}. */
    public static String mmPageFreeArgs(long pfn, int order) {
        return page(new StringBuilder(64), pfn).append(" order=").append(order).toString();
    }

    /** {@code page=%p pfn=0x%lx order=0}. */
    public static String mmPageFreeBatchedArgs(long pfn) {
        return page(new StringBuilder(64), pfn).append(" order=0").toString();
    }

    /** {@code page=%p pfn=0x%lx order=%u migratetype=%d percpu_refill=%d}. */
    public static String mmPageAllocZoneLockedArgs(long pfn, int order, int migratetype, boolean percpuRefill) {
        return page(new StringBuilder(96), pfn).append(" order=").append(order).append(" migratetype=").append(migratetype)
                .append(" percpu_refill=").append(percpuRefill ? 1 : 0).toString();
    }

    /** {@code page=%p pfn=0x%lx order=%d migratetype=%d}. */
    public static String mmPagePcpuDrainArgs(long pfn, int order, int migratetype) {
        return page(new StringBuilder(80), pfn).append(" order=").append(order).append(" migratetype=").append(migratetype)
                .toString();
    }

    /**
     * {@code page=%p pfn=0x%lx alloc_order=%d fallback_order=%d pageblock_order=%d alloc_migratetype=%d
     * fallback_migratetype=%d fragmenting=%d change_ownership=%d}: fragmenting when the fallback
     * block is smaller than a pageblock; change_ownership when the pageblock now has the
     * requested type.
     */
    public static String mmPageAllocExtfragArgs(long pfn, int allocOrder, int fallbackOrder, int allocMigratetype,
            int fallbackMigratetype, boolean changeOwnership) {
        return page(new StringBuilder(160), pfn).append(" alloc_order=").append(allocOrder).append(" fallback_order=")
                .append(fallbackOrder).append(" pageblock_order=").append(PAGEBLOCK_ORDER).append(" alloc_migratetype=")
                .append(allocMigratetype).append(" fallback_migratetype=").append(fallbackMigratetype).append(" fragmenting=")
                .append(fallbackOrder < PAGEBLOCK_ORDER ? 1 : 0).append(" change_ownership=").append(changeOwnership ? 1 : 0)
                .toString();
    }

    /** {@code call_site=%pS ptr=%p bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s}. */
    public static String kmallocArgs(String callSite, long ptr, long bytesReq, long bytesAlloc, int gfp, int node) {
        StringBuilder sb = new StringBuilder(160).append("call_site=").append(callSite).append(" ptr=");
        hex16(sb, ptr).append(" bytes_req=").append(bytesReq).append(" bytes_alloc=").append(bytesAlloc).append(" gfp_flags=")
                .append(gfp(gfp)).append(" node=").append(node).append(" accounted=")
                .append((gfp & Gfp.__GFP_ACCOUNT) != 0);
        return sb.toString();
    }

    /** {@code call_site=%pS ptr=%p}. */
    public static String kfreeArgs(String callSite, long ptr) {
        return hex16(new StringBuilder(64).append("call_site=").append(callSite).append(" ptr="), ptr).toString();
    }

    /** {@code call_site=%pS ptr=%p name=%s bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=%s}. */
    public static String kmemCacheAllocArgs(String callSite, long ptr, String name, long bytesReq, long bytesAlloc, int gfp,
            int node, boolean accounted) {
        StringBuilder sb = new StringBuilder(160).append("call_site=").append(callSite).append(" ptr=");
        hex16(sb, ptr).append(" name=").append(name).append(" bytes_req=").append(bytesReq).append(" bytes_alloc=")
                .append(bytesAlloc).append(" gfp_flags=").append(gfp(gfp)).append(" node=").append(node)
                .append(" accounted=").append(accounted);
        return sb.toString();
    }

    /** {@code call_site=%pS ptr=%p name=%s}. */
    public static String kmemCacheFreeArgs(String callSite, long ptr, String name) {
        return hex16(new StringBuilder(96).append("call_site=").append(callSite).append(" ptr="), ptr).append(" name=")
                .append(name).toString();
    }

    /** {@code page=%p pfn=0x%lx}: the struct page's address, or a null pointer for pfn -1. */
    private static StringBuilder page(StringBuilder sb, long pfn) {
        sb.append("page=");
        hex16(sb, pfn < 0 ? 0 : VMEMMAP_BASE + pfn * STRUCT_PAGE_SIZE);
        return sb.append(" pfn=0x").append(Long.toHexString(pfn < 0 ? 0 : pfn));
    }

    /** A mask and its names. */
    private record GfpNames(int mask, String names) {
    }

    /** Recently printed masks, direct-mapped: a trace repeats a handful of masks. Racy but safe (immutable entries). */
    private static final GfpNames[] GFP_NAMES = new GfpNames[64];

    /** {@link Gfp#format}, remembered. */
    static String gfp(int mask) {
        int i = (mask ^ mask >>> 6 ^ mask >>> 13 ^ mask >>> 19) & (GFP_NAMES.length - 1);
        GfpNames e = GFP_NAMES[i];
        if (e == null || e.mask != mask) {
            e = new GfpNames(mask, Gfp.format(mask));
            GFP_NAMES[i] = e;
        }
        return e.names;
    }

    /** %p with no_hash_pointers: 16 hex digits, zero-padded, no prefix. */
    static StringBuilder hex16(StringBuilder sb, long v) {
        String h = Long.toHexString(v);
        for (int i = h.length(); i < 16; i++) {
            sb.append('0');
        }
        return sb.append(h);
    }
}

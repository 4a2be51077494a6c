package mm.core.slab;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.PageFlags;
import mm.api.slab.SlabCorruptionException;
import mm.api.slab.SlabFlags;

/**
 * SLUB debugging ({@code CONFIG_SLUB_DEBUG}, mm/slub.c): red zones, poisoning, free pointer checks
 * and owner tracking on the bytes of a slab, and the kernel's reports ({@code slab_bug},
 * {@code check_bytes_and_report}, {@code print_trailer}). Only slabs of caches with a debug flag
 * have bytes ({@link Slab#mem}).
 */
public final class SlabDebug {

    /** POISON_INUSE: padding and not yet initialised memory. */
    public static final byte POISON_INUSE = 0x5a;
    /** POISON_FREE: a free object. */
    public static final byte POISON_FREE = 0x6b;
    /** POISON_END: the last byte of a free object. */
    public static final byte POISON_END = (byte) 0xa5;
    /** SLUB_RED_INACTIVE: red zones of a free object. */
    public static final byte SLUB_RED_INACTIVE = (byte) 0xbb;
    /** SLUB_RED_ACTIVE: red zones of an object in use. */
    public static final byte SLUB_RED_ACTIVE = (byte) 0xcc;

    /** Who allocated: the entry point, recorded in a track's address word. */
    public static final int CALLER_KMALLOC = 1;
    /** kmem_cache_alloc. */
    public static final int CALLER_KMEM_CACHE_ALLOC = 2;
    /** kfree. */
    public static final int CALLER_KFREE = 3;
    /** kmem_cache_free. */
    public static final int CALLER_KMEM_CACHE_FREE = 4;
    private static final String[] CALLERS = {"?", "__kmalloc_noprof", "kmem_cache_alloc_noprof", "kfree", "kmem_cache_free"};

    /** GFP_RECLAIM_MASK (mm/internal.h): the caller's flags that pass on to the slab's page allocation. */
    public static final int GFP_RECLAIM_MASK = Gfp.__GFP_RECLAIM | Gfp.__GFP_HIGH | Gfp.__GFP_IO | Gfp.__GFP_FS | Gfp.__GFP_NOWARN
            | Gfp.__GFP_RETRY_MAYFAIL | Gfp.__GFP_NOFAIL | Gfp.__GFP_NORETRY | Gfp.__GFP_MEMALLOC | Gfp.__GFP_NOMEMALLOC;

    private static final String LINE = "=============================================================================";
    private static final String DASHES = "-----------------------------------------------------------------------------";
    private static final int TRACK_ALLOC = 0;
    private static final int TRACK_FREE = 1;

    private SlabDebug() {
    }

    // ---- layout ---------------------------------------------------------------------------------

    /**
     * A new slab ({@code setup_slab_debug}, {@code init_object} for each object): everything
     * POISON_INUSE, then each object free: inactive red zones, poison, its free pointer.
     */
    public static void initSlab(Slab slab, DirectMap dm) {
        java.util.Arrays.fill(slab.mem, POISON_INUSE);
        SlabGeometry g = slab.cache.geometry();
        for (int i = 0; i < slab.objects; i++) {
            initObject(slab, i, SLUB_RED_INACTIVE);
            setFreePointer(slab, i, dm, slab.next[i]);
            if (g.has(SlabFlags.SLAB_STORE_USER)) {
                // init_tracking: no allocation or free recorded yet
                int t = slab.objectOffset(i) + g.infoEnd();
                java.util.Arrays.fill(slab.mem, t, t + 2 * SlabGeometry.TRACK_SIZE, (byte) 0);
            }
        }
    }

    /** {@code init_object}: red zones to {@code val}; with __OBJECT_POISON a free object is POISON_FREE ending POISON_END. */
    static void initObject(Slab slab, int i, byte val) {
        SlabGeometry g = slab.cache.geometry();
        byte[] m = slab.mem;
        int o = slab.objectOffset(i);
        if (g.has(SlabFlags.SLAB_RED_ZONE)) {
            java.util.Arrays.fill(m, o - g.redLeftPad(), o, val);
        }
        if (g.objectPoison() && val == SLUB_RED_INACTIVE) {
            java.util.Arrays.fill(m, o, o + g.objectSize() - 1, POISON_FREE);
            m[o + g.objectSize() - 1] = POISON_END;
        }
        if (g.has(SlabFlags.SLAB_RED_ZONE)) {
            java.util.Arrays.fill(m, o + g.objectSize(), o + g.inuse(), val);
        }
    }

    /** {@code set_freepointer}: writes the address of the next free object (0 at the end) at the free pointer's offset. */
    public static void setFreePointer(Slab slab, int i, DirectMap dm, int nextIdx) {
        setFreePointer(slab, i, nextIdx >= 0 ? dm.virt(slab.pfn, slab.objectOffset(nextIdx)) : 0);
    }

    /** {@code set_freepointer} with the next free object's address (0 for none). */
    static void setFreePointer(Slab slab, int i, long next) {
        putLong(slab.mem, slab.objectOffset(i) + slab.cache.geometry().offset(), next);
    }

    /** The free pointer stored in a free object ({@code get_freepointer}). */
    static long getFreePointer(Slab slab, int i) {
        return getLong(slab.mem, slab.objectOffset(i) + slab.cache.geometry().offset());
    }

    /** {@code set_orig_size}: the size a kmalloc asked for, kept after the tracks. */
    public static void setOrigSize(Slab slab, int i, int size) {
        int off = slab.cache.geometry().origSizeOffset();
        if (slab.mem != null && off >= 0 && i >= 0) {
            putInt(slab.mem, slab.objectOffset(i) + off, size);
        }
    }

    /**
     * {@code set_orig_size} and the kmalloc red zone: with red zones, the bytes between the size a
     * kmalloc asked for and the object's size are SLUB_RED_ACTIVE, so that a write past the
     * request is caught even inside the size class.
     */
    public static void setKmallocRedzone(Slab slab, int i, int size) {
        SlabGeometry g = slab.cache.geometry();
        if (g.origSizeOffset() < 0) {
            return;
        }
        setOrigSize(slab, i, size);
        if (g.has(SlabFlags.SLAB_RED_ZONE) && size < g.objectSize()) {
            int o = slab.objectOffset(i);
            java.util.Arrays.fill(slab.mem, o + size, o + g.objectSize(), SLUB_RED_ACTIVE);
        }
    }

    /** The size a kmalloc asked for ({@code get_orig_size}): the object size when it is not kept. */
    public static int origSize(Slab slab, int i) {
        SlabGeometry g = slab.cache.geometry();
        int off = g.origSizeOffset();
        return off < 0 ? g.objectSize() : getInt(slab.mem, slab.objectOffset(i) + off);
    }

    /** {@code set_track}: who, on which CPU, at which tick. */
    static void setTrack(Slab slab, int i, int which, int caller, int cpu, long jiffies) {
        SlabGeometry g = slab.cache.geometry();
        if (!g.has(SlabFlags.SLAB_STORE_USER)) {
            return;
        }
        int t = slab.objectOffset(i) + g.infoEnd() + which * SlabGeometry.TRACK_SIZE;
        putLong(slab.mem, t, caller);
        putInt(slab.mem, t + 8, 0);
        putInt(slab.mem, t + 12, cpu);
        putInt(slab.mem, t + 16, 0);
        putLong(slab.mem, t + 24, jiffies);
    }

    // ---- alloc and free -----------------------------------------------------------------------

    /**
     * {@code alloc_debug_processing}: the object about to be handed out must be free and intact;
     * then its red zones turn active, the allocation is tracked and, for kmalloc, the requested
     * size kept.
     *
     * @throws SlabCorruptionException if it is not intact (the object is then not handed out)
     */
    public static void onAlloc(Slab slab, int i, DirectMap dm, Machine machine, int caller, int cpu) {
        SlabGeometry g = slab.cache.geometry();
        if (g.has(SlabFlags.SLAB_CONSISTENCY_CHECKS)) {
            List<String> report = new ArrayList<>();
            checkObject(slab, i, dm, machine, SLUB_RED_INACTIVE, report);
            if (!report.isEmpty()) {
                report.add("FIX " + slab.cache.name() + ": Object at " + DirectMap.format(slab.address(i)) + " restored and left free");
                throw new SlabCorruptionException(report);
            }
        }
        initObject(slab, i, SLUB_RED_ACTIVE);
        setTrack(slab, i, TRACK_ALLOC, caller, cpu, machine.clock().jiffies());
        setOrigSize(slab, i, g.objectSize());
    }

    /**
     * {@code free_debug_processing}: the object must be intact (red zones active, nothing written
     * past the kmalloc size); then the free is tracked, the object poisoned and its red zones
     * made inactive. The caller links it into the free chain and writes its free pointer.
     *
     * @throws SlabCorruptionException if it is not intact (the object is then not freed)
     */
    public static void onFree(Slab slab, int i, DirectMap dm, Machine machine, int caller, int cpu) {
        SlabGeometry g = slab.cache.geometry();
        if (g.has(SlabFlags.SLAB_CONSISTENCY_CHECKS)) {
            List<String> report = new ArrayList<>();
            checkObject(slab, i, dm, machine, SLUB_RED_ACTIVE, report);
            if (!report.isEmpty()) {
                report.add("FIX " + slab.cache.name() + ": Object at " + DirectMap.format(slab.address(i)) + " not freed");
                throw new SlabCorruptionException(report);
            }
        }
        setTrack(slab, i, TRACK_FREE, caller, cpu, machine.clock().jiffies());
        initObject(slab, i, SLUB_RED_INACTIVE);
    }

    /** {@code free_consistency_checks}: an address inside a slab that is not the start of an object. */
    public static void invalidPointer(SlabCache c, Slab slab, DirectMap dm, long addr) {
        if (c.geometry().debug()) {
            List<String> r = new ArrayList<>();
            slabBug(r, c, "Invalid object pointer " + DirectMap.format(addr));
            slabInfo(r, slab, dm);
            throw new SlabCorruptionException(r);
        }
        throw new IllegalArgumentException("free of " + DirectMap.format(addr) + ": not the start of an object of " + c.name()
                + " (objects of " + slab.stride + " bytes from " + DirectMap.format(dm.virt(slab.pfn, slab.objectOffset(0))) + ")");
    }

    /** A free of an object that is free: with debugging the kernel's "Object already free" report, else one line. */
    public static void alreadyFree(SlabCache c, Slab slab, DirectMap dm, long addr, int i, Machine machine) {
        if (c.geometry().debug()) {
            List<String> r = new ArrayList<>();
            slabBug(r, c, "Object already free");
            trailer(r, slab, i, dm, machine);
            throw new SlabCorruptionException(r);
        }
        throw new IllegalArgumentException("double free or free of an object never allocated: " + DirectMap.format(addr) + " in "
                + c.name() + " is free (nothing changed; boot with slub_debug or create the cache with SLAB_CONSISTENCY_CHECKS for the report)");
    }

    // ---- checks ---------------------------------------------------------------------------------

    /**
     * {@code check_object}: the red zones hold {@code val}; a free poisoned object holds its poison;
     * a free object's free pointer points into the slab; padding is POISON_INUSE. Each overwritten
     * area adds a report and is restored ({@code restore_bytes}).
     */
    static void checkObject(Slab slab, int i, DirectMap dm, Machine machine, byte val, List<String> report) {
        SlabGeometry g = slab.cache.geometry();
        int o = slab.objectOffset(i);
        byte[] m = slab.mem;
        if (g.has(SlabFlags.SLAB_RED_ZONE)) {
            checkBytes(slab, i, dm, machine, "Left Redzone", o - g.redLeftPad(), g.redLeftPad(), val, report);
            checkBytes(slab, i, dm, machine, "Right Redzone", o + g.objectSize(), g.inuse() - g.objectSize(), val, report);
            if (val == SLUB_RED_ACTIVE && g.origSizeOffset() >= 0) {
                int orig = origSize(slab, i);
                if (orig < g.objectSize()) {
                    checkBytes(slab, i, dm, machine, "kmalloc Redzone", o + orig, g.objectSize() - orig, val, report);
                }
            }
        }
        if (val == SLUB_RED_INACTIVE && g.objectPoison()) {
            checkBytes(slab, i, dm, machine, "Poison", o, g.objectSize() - 1, POISON_FREE, report);
            checkBytes(slab, i, dm, machine, "End Poison", o + g.objectSize() - 1, 1, POISON_END, report);
        }
        if (g.has(SlabFlags.SLAB_POISON)) {
            int pad = g.metadataEnd();
            int end = g.size() - g.redLeftPad();
            if (end > pad) {
                checkBytes(slab, i, dm, machine, "Object padding", o + pad, end - pad, POISON_INUSE, report);
            }
        }
        if (val == SLUB_RED_INACTIVE) {
            long fp = getFreePointer(slab, i);
            if (fp != 0 && slab.indexOf(fp) < 0) {
                List<String> r = new ArrayList<>();
                slabBug(r, slab.cache, "Freechain corrupt");
                trailer(r, slab, i, dm, machine);
                setFreePointer(slab, i, dm, slab.next[i] >= 0 ? slab.next[i] : -1);
                r.add(String.format("FIX %s: Restoring Freechain %s=%s", slab.cache.name(), DirectMap.format(slab.address(i)
                        + slab.cache.geometry().offset()), DirectMap.format(getFreePointer(slab, i))));
                report.addAll(r);
            }
        }
        if (m == null) {
            report.add("no memory kept for " + slab);
        }
    }

    private static void checkBytes(Slab slab, int i, DirectMap dm, Machine machine, String what, int from, int len, byte value,
            List<String> report) {
        byte[] m = slab.mem;
        int fault = -1;
        for (int k = from; k < from + len; k++) {
            if (m[k] != value) {
                fault = k;
                break;
            }
        }
        if (fault < 0) {
            return;
        }
        int end = from + len;
        while (end > fault && m[end - 1] == value) {
            end--;
        }
        SlabCache c = slab.cache;
        long base = dm.virt(slab.pfn, 0);
        List<String> r = new ArrayList<>();
        slabBug(r, c, what + " overwritten");
        r.add(String.format("%s-%s @offset=%d. First byte 0x%x instead of 0x%x", DirectMap.format(base + fault), DirectMap.format(base + end - 1),
                fault, m[fault] & 0xff, value & 0xff));
        trailer(r, slab, i, dm, machine);
        r.add(String.format("FIX %s: Restoring %s %s-%s=0x%x", c.name(), what, DirectMap.format(base + fault), DirectMap.format(base + end - 1),
                value & 0xff));
        java.util.Arrays.fill(m, fault, end, value);
        report.addAll(r);
    }

    /**
     * {@code validate_slab}: checks every object of a slab, free ones as free and used ones as in
     * use, and that the slab's counters agree with its objects; adds each report's lines.
     */
    public static void validateSlab(Slab slab, DirectMap dm, Machine machine, List<String> errors) {
        synchronized (slab) {
            if (slab.mem != null) {
                for (int i = 0; i < slab.objects; i++) {
                    checkObject(slab, i, dm, machine, slab.allocated(i) ? SLUB_RED_ACTIVE : SLUB_RED_INACTIVE, errors);
                }
            }
        }
    }

    // ---- reports --------------------------------------------------------------------------------

    /** {@code slab_bug}: the report's head. */
    static void slabBug(List<String> r, SlabCache c, String what) {
        r.add(LINE);
        r.add("BUG " + c.name() + " (Not tainted): " + what);
        r.add(DASHES);
        r.add("");
    }

    /** {@code print_slab_info}. */
    static void slabInfo(List<String> r, Slab slab, DirectMap dm) {
        int fp = slab.freelist;
        r.add(String.format("Slab 0x%016x objects=%d used=%d fp=%s flags=0x%x(%s)", slabDescriptorAddress(slab), slab.objects,
                slab.countAllocated(), fp >= 0 ? DirectMap.format(dm.virt(slab.pfn, slab.objectOffset(fp))) : "0x0000000000000000",
                (1 << PageFlags.PG_slab) | (slab.order > 0 ? 1 << PageFlags.PG_head : 0), slab.order > 0 ? "slab|head" : "slab"));
    }

    /** Where the kernel's vmemmap would hold the slab's {@code struct page} (x86_64: 0xffffea0000000000 + pfn * 64). */
    private static long slabDescriptorAddress(Slab slab) {
        return 0xffffea0000000000L + slab.pfn * 64;
    }

    /** {@code print_trailer}: tracks, slab, and the object's bytes by area. */
    static void trailer(List<String> r, Slab slab, int i, DirectMap dm, Machine machine) {
        SlabGeometry g = slab.cache.geometry();
        if (g.has(SlabFlags.SLAB_STORE_USER)) {
            track(r, slab, i, TRACK_ALLOC, "Allocated", machine);
            track(r, slab, i, TRACK_FREE, "Freed", machine);
        }
        slabInfo(r, slab, dm);
        int o = slab.objectOffset(i);
        r.add(String.format("Object %s @offset=%d fp=%s", DirectMap.format(dm.virt(slab.pfn, o)), o - g.redLeftPad(),
                DirectMap.format(getFreePointer(slab, i))));
        r.add("");
        if (g.has(SlabFlags.SLAB_RED_ZONE)) {
            hexDump(r, "Redzone  ", slab, dm, o - g.redLeftPad(), g.redLeftPad());
        }
        hexDump(r, "Object   ", slab, dm, o, Math.min(g.objectSize(), 4096));
        if (g.has(SlabFlags.SLAB_RED_ZONE)) {
            hexDump(r, "Redzone  ", slab, dm, o + g.objectSize(), g.inuse() - g.objectSize());
        }
        int pad = g.metadataEnd();
        int end = g.size() - g.redLeftPad();
        if (end > pad) {
            hexDump(r, "Padding  ", slab, dm, o + pad, end - pad);
        }
    }

    private static void track(List<String> r, Slab slab, int i, int which, String what, Machine machine) {
        int t = slab.objectOffset(i) + slab.cache.geometry().infoEnd() + which * SlabGeometry.TRACK_SIZE;
        long addr = getLong(slab.mem, t);
        if (addr == 0) {
            return;
        }
        int cpu = getInt(slab.mem, t + 12);
        int pid = getInt(slab.mem, t + 16);
        long when = getLong(slab.mem, t + 24);
        String fn = addr > 0 && addr < CALLERS.length ? CALLERS[(int) addr] : "0x" + Long.toHexString(addr);
        r.add(String.format("%s in %s+0x0/0x0 age=%d cpu=%d pid=%d", what, fn, machine.clock().jiffies() - when, cpu, pid));
    }

    /** {@code print_hex_dump(KERN_ERR, text, DUMP_PREFIX_ADDRESS, 16, 1, addr, len, 1)} of slab bytes. */
    static void hexDump(List<String> r, String prefix, Slab slab, DirectMap dm, int off, int len) {
        r.addAll(HexDump.lines(prefix, dm.virt(slab.pfn, off), slab.mem, off, len));
    }

    // ---- little-endian words --------------------------------------------------------------------

    static void putLong(byte[] m, int off, long v) {
        for (int k = 0; k < 8; k++) {
            m[off + k] = (byte) (v >>> (8 * k));
        }
    }

    static long getLong(byte[] m, int off) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = (v << 8) | (m[off + k] & 0xff);
        }
        return v;
    }

    static void putInt(byte[] m, int off, int v) {
        for (int k = 0; k < 4; k++) {
            m[off + k] = (byte) (v >>> (8 * k));
        }
    }

    static int getInt(byte[] m, int off) {
        int v = 0;
        for (int k = 3; k >= 0; k--) {
            v = (v << 8) | (m[off + k] & 0xff);
        }
        return v;
    }
}

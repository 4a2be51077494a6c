package mm.core.slab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongBinaryOperator;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.machine.PageFlags;
import mm.api.slab.KmemCache;
import mm.api.slab.Kmalloc;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectConstructor;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import mm.core.page.CpuGates;
import mm.core.page.FrameState;
import mm.core.page.HandoverLatch;
import mm.core.trace.KmemTrace;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What every object cache implementation shares (mm/slab_common.c and the parts of mm/slub.c that
 * do not depend on how free objects are kept): the cache registry and {@code kmem_cache_create}'s
 * checks, the kmalloc caches and {@code kmalloc}/{@code kfree}/{@code ksize}/{@code krealloc},
 * large kmalloc from the page allocator, finding the slab of an address, the checks on a free,
 * slab pages ({@code allocate_slab}, {@code discard_slab}) with their accounting, slabinfo, and
 * the hand-over of caches and live objects ({@link SlabHandover}).
 *
 * <p>Every call runs with its CPU's gate held ({@link CpuGates}), so that {@link #quiesce} can stop
 * them all; calls that reach a quiesced instance wait for the hand-over to end and go on to the
 * successor.
 *
 * @param <C> the implementation's cache type
 */
public abstract class ObjectCacheCore<C extends SlabCache> implements ObjectCache {

    /** The machine. */
    protected final Machine machine;
    /** The kmem tracepoints of the machine's tracer. */
    protected final KmemTrace trace;
    /** Its frame table. */
    protected final FrameTable ft;
    /** Kernel addresses. */
    protected final DirectMap dm;
    /** Slab frames to slabs. */
    protected final SlabTable table;
    /** Per-CPU gates: a call holds its CPU's. */
    protected final CpuGates gates;
    /** The slab geometry's boot parameters. */
    protected final SlabGeometry.Tunables tunables;
    private final int cpus;
    /** Debug flags added to every cache created from now on ({@code slub_debug=}), and the caches they apply to (empty: all). */
    private volatile long slubDebug;
    private volatile List<String> slubDebugCaches = List.of();

    private volatile FrameAllocator pages;
    private final Map<String, C> caches = new LinkedHashMap<>();
    @SuppressWarnings("unchecked")
    private final C[][] kmallocCaches = (C[][]) new SlabCache[Kmalloc.NR_KMALLOC_TYPES][Kmalloc.KMALLOC_SHIFT_HIGH + 1];
    /** Large kmalloc blocks, and the orphaned slabs of a predecessor that failed without handing over. */
    private final LargeKmalloc large;
    /** Slab memory's bytes, where kept. */
    private final SlabBytes bytes;

    private final HandoverLatch<ObjectCache> latch = new HandoverLatch<>(CONTRACT);

    /** An instance on a machine, dormant until {@link #adopt}. */
    protected ObjectCacheCore(Machine machine, FrameAllocator pages, SlabGeometry.Tunables tunables) {
        this.machine = machine;
        this.trace = KmemTrace.of(machine);
        this.ft = machine.frames();
        this.dm = new DirectMap(machine);
        this.table = new SlabTable(ft);
        this.large = new LargeKmalloc(machine, dm);
        this.bytes = new SlabBytes(table, dm);
        this.cpus = machine.cpuCount();
        this.gates = new CpuGates(cpus);
        this.tunables = tunables;
        this.pages = pages;
    }

    /** The page allocator slabs come from (the active one; DS rebinds it on a swap). */
    protected void setPageAllocator(FrameAllocator pages) {
        this.pages = pages;
    }

    /**
     * DS: the active frame allocator, rebound when it is swapped (every implementation's component
     * inherits this reference: the root bnd.bnd's {@code -dsannotations-options: inherit}).
     */
    @Reference(target = "(" + Switchboard.PROP_ACTIVE + "=true)", policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    protected void bindFrames(FrameAllocator frames) {
        setPageAllocator(frames);
    }

    /** DS: a frame allocator stops being active. */
    protected void unbindFrames(FrameAllocator frames) {
        // a swap binds the successor first; the old one forwards stale calls
    }

    /** The page allocator. */
    protected FrameAllocator pages() {
        FrameAllocator p = pages;
        if (p == null) {
            throw new IllegalStateException("no page allocator is active");
        }
        return p;
    }

    /**
     * The framework property of the boot option {@code slub_debug=} ({@code ./mm --slub_debug}),
     * which every implementation honours when its own debug option is empty.
     */
    public static final String SLUB_DEBUG_PROPERTY = "mm.slub_debug";

    /** The boot's {@code slub_debug=} ({@link #SLUB_DEBUG_PROPERTY}), null for none. */
    private volatile String bootSlubDebug;

    /** DS activation: remembers the boot's {@code slub_debug=} ({@link #SLUB_DEBUG_PROPERTY}) of the framework. */
    protected final void bootSlubDebug(BundleContext context) {
        this.bootSlubDebug = context.getProperty(SLUB_DEBUG_PROPERTY);
    }

    /**
     * The implementation's own debug option (its configuration's, applied by DS on activation and
     * on each change) for caches created from now on; when it is empty, the boot's
     * {@code slub_debug=} ({@link #bootSlubDebug}) applies.
     */
    protected final void ownSlubDebug(String own) {
        setSlubDebug(own == null || own.isBlank() ? bootSlubDebug : own);
    }

    /**
     * Debugging for caches created from now on, as the boot option {@code slub_debug=FLAGS,cache,...}:
     * {@code flags} ({@link SlabFlags#parseSlubDebug}) for the named caches, or all when none is named.
     */
    public void setSlubDebug(long flags, List<String> cacheNames) {
        this.slubDebug = flags;
        this.slubDebugCaches = List.copyOf(cacheNames);
    }

    /**
     * The boot option {@code slub_debug=FLAGS[,CACHE,...]} as text ({@link SlabFlags#parseSlubDebug}
     * letters, then the caches it applies to; none named: all); empty for none.
     *
     * @throws IllegalArgumentException for a letter SLUB does not know
     */
    public void setSlubDebug(String option) {
        String[] parts = option == null || option.isBlank() ? new String[0] : option.trim().split(",");
        long flags = parts.length == 0 ? 0 : SlabFlags.parseSlubDebug(parts[0]);
        setSlubDebug(flags, parts.length > 1 ? java.util.Arrays.asList(parts).subList(1, parts.length) : List.of());
    }

    // ---- what an implementation provides ------------------------------------------------------

    /** A new, empty cache of the implementation's kind. */
    protected abstract C createCache(String name, SlabGeometry g, ObjectConstructor ctor);

    /** Allocates an object with the CPU's gate held; its address, or 0 if the page allocator failed. */
    protected abstract long allocObject(C c, int gfp, int cpu, int caller);

    /** Frees object {@code idx} of {@code slab}, in use (checked), with the CPU's gate held. */
    protected abstract void freeObject(C c, Slab slab, int idx, int cpu, int caller);

    /** Returns per-CPU state to the shared lists (every CPU stopped): {@code flush_all}. */
    protected abstract void flushAll(C c);

    /** Frees the empty slabs ({@code __kmem_cache_shrink}), every CPU stopped after {@link #flushAll}; pages freed. */
    protected abstract long shrinkCache(C c);

    /** Takes a slab built from a hand-over onto the implementation's lists. */
    protected abstract void adoptSlab(C c, Slab slab);

    /** The implementation's lists and state for {@code mm:slab}. */
    protected abstract List<String> describeCache(C c);

    /** The implementation's counters ({@code CONFIG_SLUB_STATS}), totals and per CPU. */
    protected abstract Map<String, long[]> statsOf(C c);

    /** Adds the implementation's own broken invariants for a cache, every CPU stopped. */
    protected abstract void checkCache(C c, List<String> problems);

    // ---- entering and leaving ------------------------------------------------------------------

    /** Takes the CPU's gate; false if this instance is not active (the caller then goes to {@link #successorOrWait}). */
    protected final boolean enter(int cpu) {
        gates.lock(cpu);
        if (latch.isActive()) {
            return true;
        }
        gates.unlock(cpu);
        return false;
    }

    /** Releases the CPU's gate. */
    protected final void leave(int cpu) {
        gates.unlock(cpu);
    }

    /**
     * Runs an operation on every CPU's state ({@code flush_all}, shrinking, destroying, validating,
     * checking, creating a cache) with every CPU's gate held, if this instance is active; if not
     * (a call that reached it after {@link #quiesce}), gives {@code forward} the successor
     * ({@link #successorOrWait}) instead, without a gate held, so that nothing acts on slabs the
     * successor adopted.
     */
    protected final <T> T onAllCpus(Supplier<T> op, Function<ObjectCache, T> forward) {
        gates.lockAll();
        try {
            if (latch.isActive()) {
                return op.get();
            }
        } finally {
            gates.unlockAll();
        }
        return forward.apply(successorOrWait());
    }

    /**
     * A query of the caches' state ({@code ksize}, slabinfo, sysfs...): answered here while this
     * instance is active; a call that reaches it after {@link #quiesce} asks the successor, whose
     * state is the live one.
     */
    protected final <T> T whenActive(Supplier<T> query, Function<ObjectCache, T> forward) {
        return latch.isActive() ? query.get() : forward.apply(successorOrWait());
    }

    /** During a hand-over, waits for its end; then the successor, or this instance if it took the machine back. */
    protected final ObjectCache successorOrWait() {
        return latch.successorOrWait(this);
    }

    /** True between {@link #adopt} and {@link #quiesce}. */
    public boolean isActive() {
        return latch.isActive();
    }

    // ---- caches --------------------------------------------------------------------------------

    /** The implementation's cache behind a handle, possibly one of a predecessor's (found by name). */
    @SuppressWarnings("unchecked")
    protected final C resolve(KmemCache cache) {
        if (cache instanceof SlabCache sc && sc.owner == this) {
            return (C) sc;
        }
        if (cache == null) {
            throw new IllegalArgumentException("no cache given");
        }
        C c;
        synchronized (caches) {
            c = caches.get(cache.name());
        }
        if (c == null) {
            throw new IllegalArgumentException("no cache named '" + cache.name() + "' (destroyed?): mm:slabinfo lists the caches");
        }
        return c;
    }

    @Override
    public KmemCache kmemCacheCreate(String name, int size, int align, long flags, ObjectConstructor ctor) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a cache needs a name: letters, digits and -_.:() without spaces, up to 64 characters");
        }
        if (name.length() > 64 || !name.matches("[A-Za-z0-9_.:()\\-]+")) {
            throw new IllegalArgumentException("bad cache name '" + name + "': accepted are letters, digits and -_.:() without spaces, up to 64 characters");
        }
        if (size < 1 || size > Kmalloc.KMALLOC_MAX_SIZE) {
            throw new IllegalArgumentException("object size " + size + " is out of range: accepted are 1 to " + Kmalloc.KMALLOC_MAX_SIZE + " bytes");
        }
        if (align < 0 || (align & (align - 1)) != 0 || align > 4096) {
            throw new IllegalArgumentException("alignment " + align + " is not 0 or a power of two up to 4096");
        }
        if ((flags & ~SlabFlags.CREATE_MASK) != 0) {
            throw new IllegalArgumentException("flags 0x" + Long.toHexString(flags & ~SlabFlags.CREATE_MASK)
                    + " are not cache creation flags: accepted are SlabFlags' SLAB_* except SLAB_KMALLOC");
        }
        return onAllCpus(() -> createNamed(name, size, align, flags | debugFor(name), ctor),
                next -> next.kmemCacheCreate(name, size, align, flags, ctor));
    }

    private long debugFor(String name) {
        List<String> only = slubDebugCaches;
        return only.isEmpty() || only.contains(name) ? slubDebug : 0;
    }

    private C createNamed(String name, int size, int align, long flags, ObjectConstructor ctor) {
        SlabGeometry g = SlabGeometry.calculate(size, align, flags, ctor != null, cpus, tunables);
        synchronized (caches) {
            if (caches.containsKey(name)) {
                throw new IllegalArgumentException("a cache named '" + name + "' exists already (kmem_cache_create: duplicate cache " + name + ")");
            }
            C c = createCache(name, g, ctor);
            caches.put(name, c);
            c.owner = this;
            return c;
        }
    }

    /** {@code create_kmalloc_caches}: every size of every type. */
    private void createKmallocCaches() {
        for (int type = 0; type < Kmalloc.NR_KMALLOC_TYPES; type++) {
            for (int index : Kmalloc.indexesBySize()) {
                String name = Kmalloc.cacheName(type, index);
                kmallocCaches[type][index] = createNamed(name, Kmalloc.kmallocSize(index), 0,
                        Kmalloc.cacheFlags(type) | debugFor(name), null);
            }
        }
    }

    private void indexKmallocCaches() {
        synchronized (caches) {
            for (int type = 0; type < Kmalloc.NR_KMALLOC_TYPES; type++) {
                for (int index : Kmalloc.indexesBySize()) {
                    kmallocCaches[type][index] = caches.get(Kmalloc.cacheName(type, index));
                }
            }
        }
    }

    @Override
    public long kmemCacheAlloc(KmemCache cache, int gfp) {
        Gfp.validate(gfp);
        int cpu = machine.currentCpu();
        if (!enter(cpu)) {
            return successorOrWait().kmemCacheAlloc(cache, gfp);
        }
        try {
            C c = resolve(cache);
            long addr = allocObject(c, gfp, cpu, SlabDebug.CALLER_KMEM_CACHE_ALLOC);
            if (addr != 0 && c.geometry().debug()) {
                postAllocHook(addr, gfp, c.objectSize());
            }
            if (trace.kmemCacheAlloc.enabled()) {
                traceCacheAlloc(c, addr, gfp);
            }
            return addr;
        } finally {
            leave(cpu);
        }
    }

    @Override
    public void kmemCacheFree(KmemCache cache, long addr) {
        int cpu = machine.currentCpu();
        if (!enter(cpu)) {
            successorOrWait().kmemCacheFree(cache, addr);
            return;
        }
        try {
            C c = resolve(cache);
            Slab slab = slabOrThrow(addr, "kmem_cache_free");
            if (slab.cache != c) {
                // cache_from_obj: "Wrong slab cache. %s but object is from %s"
                throw new IllegalArgumentException("kmem_cache_free(" + c.name() + ", " + DirectMap.format(addr)
                        + "): wrong slab cache, the object is from " + slab.cache.name());
            }
            if (trace.kmemCacheFree.enabled()) {
                traceCacheFree(c, addr);
            }
            free(slab, addr, cpu, SlabDebug.CALLER_KMEM_CACHE_FREE);
        } finally {
            leave(cpu);
        }
    }

    @Override
    public long kmalloc(long size, int gfp) {
        long addr = kmallocUntraced(size, gfp);
        if (trace.kmalloc.enabled()) {
            traceKmalloc(addr, size, gfp);
        }
        return addr;
    }

    /** kmalloc without its tracepoint: the tracepoint stays out of the hot method, which the JIT inlines whole. */
    private long kmallocUntraced(long size, int gfp) {
        Gfp.validate(gfp);
        if (size == 0) {
            return ZERO_SIZE_PTR;
        }
        if (size < 0 || size > Kmalloc.KMALLOC_MAX_SIZE) {
            throw new IllegalArgumentException("kmalloc size " + size + " is out of range: accepted are 0 to " + Kmalloc.KMALLOC_MAX_SIZE
                    + " bytes (KMALLOC_MAX_SIZE, an order-" + FrameAllocator.MAX_PAGE_ORDER + " block)");
        }
        int cpu = machine.currentCpu();
        if (!enter(cpu)) {
            return successorOrWait().kmalloc(size, gfp);
        }
        try {
            if (size > Kmalloc.KMALLOC_MAX_CACHE_SIZE) {
                return large.alloc(pages(), size, gfp);
            }
            C c = kmallocCaches[Kmalloc.kmallocType(gfp)][Kmalloc.kmallocIndex(size)];
            long addr = allocObject(c, gfp, cpu, SlabDebug.CALLER_KMALLOC);
            if (addr != 0 && c.geometry().debug()) {
                postAllocHook(addr, gfp, (int) size);
            }
            return addr;
        } finally {
            leave(cpu);
        }
    }

    // the tracepoints' formatting, out of the hot methods so that they stay small for the JIT

    /**
     * trace_kmalloc: bytes_alloc is the cache's object size, or the pages of a large kmalloc. Not for
     * kmalloc(0) (the kernel returns ZERO_SIZE_PTR before its tracepoint), nor for a call this
     * instance forwarded during a hand-over (its successor traced it).
     */
    private void traceKmalloc(long addr, long size, int gfp) {
        if (size <= 0 || size > Kmalloc.KMALLOC_MAX_SIZE || !isActive()) {
            return;
        }
        long bytesAlloc = size > Kmalloc.KMALLOC_MAX_CACHE_SIZE ? Machine.PAGE_SIZE << Kmalloc.largeOrder(size)
                : kmallocCaches[Kmalloc.kmallocType(gfp)][Kmalloc.kmallocIndex(size)].geometry().size();
        trace.kmalloc.emit(KmemTrace.kmallocArgs(KmemTrace.SITE_KMALLOC, addr, size, bytesAlloc, gfp, Machine.NUMA_NO_NODE));
    }

    /** trace_kfree, first thing as in the kernel (NULL and ZERO_SIZE_PTR included); not for a call a successor will trace. */
    private void traceKfree(long addr) {
        if (isActive()) {
            trace.kfree.emit(KmemTrace.kfreeArgs(KmemTrace.SITE_KFREE, addr));
        }
    }

    private void traceCacheAlloc(C c, long addr, int gfp) {
        trace.kmemCacheAlloc.emit(KmemTrace.kmemCacheAllocArgs(KmemTrace.SITE_CACHE_ALLOC, addr, c.name(), c.objectSize(),
                c.geometry().size(), gfp, Machine.NUMA_NO_NODE, c.has(SlabFlags.SLAB_ACCOUNT) || (gfp & Gfp.__GFP_ACCOUNT) != 0));
    }

    private void traceCacheFree(C c, long addr) {
        trace.kmemCacheFree.emit(KmemTrace.kmemCacheFreeArgs(KmemTrace.SITE_CACHE_FREE, addr, c.name()));
    }

    /**
     * {@code slab_post_alloc_hook} for an object whose bytes are kept: the requested kmalloc size
     * and the kmalloc red zone behind it ({@code set_orig_size}, {@code init_object}), and zeroing
     * for __GFP_ZERO.
     */
    private void postAllocHook(long addr, int gfp, int size) {
        Slab slab = table.slabOf(dm.pfn(addr));
        if (slab == null || slab.mem == null) {
            return;
        }
        int i = slab.indexOf(addr);
        synchronized (slab) {
            SlabDebug.setKmallocRedzone(slab, i, size);
            if ((gfp & Gfp.__GFP_ZERO) != 0) {
                int o = slab.objectOffset(i);
                java.util.Arrays.fill(slab.mem, o, o + size, (byte) 0);
            }
        }
    }

    @Override
    public void kfree(long addr) {
        if (trace.kfree.enabled()) {
            traceKfree(addr);
        }
        kfreeUntraced(addr);
    }

    /** kfree without its tracepoint. */
    private void kfreeUntraced(long addr) {
        if (addr == 0 || addr == ZERO_SIZE_PTR) {
            return;
        }
        int cpu = machine.currentCpu();
        if (!enter(cpu)) {
            successorOrWait().kfree(addr);
            return;
        }
        try {
            long pfn = dm.pfn(addr);
            Slab slab = pfn < 0 ? null : table.slabOf(pfn);
            if (slab == null) {
                if (!large.free(pages(), addr, pfn)) {
                    throw new IllegalArgumentException(orphanedOr(addr, pfn, "kfree"));
                }
                return;
            }
            free(slab, addr, cpu, SlabDebug.CALLER_KFREE);
        } finally {
            leave(cpu);
        }
    }

    /** The line for an address in an orphaned slab, else {@link #notAllocated}. */
    private String orphanedOr(long addr, long pfn, String fn) {
        String orphaned = large.orphaned(addr, pfn, fn);
        return orphaned != null ? orphaned : notAllocated(addr, fn);
    }

    /** One line saying why {@code addr} cannot be freed: not RAM, not a slab, or inside a block. */
    private String notAllocated(long addr, String fn) {
        long pfn = dm.pfn(addr);
        String a = DirectMap.format(addr);
        if (pfn < 0 || !ft.pfnValid(pfn)) {
            return fn + "(" + a + "): not an address of this machine's RAM in the direct map (from " + DirectMap.format(dm.virt(ft.startPfn(), 0)) + ")";
        }
        String page = ft.test(pfn, PageFlags.PG_reserved) ? " and is reserved)"
                : FrameState.allocatedHeadContaining(ft, pfn) < 0 ? " and is free)"
                : ": it was allocated from the page allocator)";
        return fn + "(" + a + "): not allocated by kmalloc or a cache (the page at pfn 0x" + Long.toHexString(pfn) + " is not a slab page" + page;
    }

    private Slab slabOrThrow(long addr, String fn) {
        long pfn = dm.pfn(addr);
        Slab slab = pfn < 0 ? null : table.slabOf(pfn);
        if (slab == null) {
            throw new IllegalArgumentException(orphanedOr(addr, pfn, fn));
        }
        return slab;
    }

    /** The checks of {@code free_consistency_checks} that must hold with debugging off too, then the implementation's free. */
    @SuppressWarnings("unchecked")
    private void free(Slab slab, long addr, int cpu, int caller) {
        C c = (C) slab.cache;
        int idx = slab.indexOf(addr);
        if (idx < 0) {
            SlabDebug.invalidPointer(c, slab, dm, addr);
        }
        if (!slab.allocated(idx)) {
            SlabDebug.alreadyFree(c, slab, dm, addr, idx, machine);
        }
        freeObject(c, slab, idx, cpu, caller);
    }

    @Override
    public long ksize(long addr) {
        if (addr == 0 || addr == ZERO_SIZE_PTR) {
            return 0;
        }
        if (!latch.isActive()) {
            return successorOrWait().ksize(addr);
        }
        long pfn = dm.pfn(addr);
        Slab slab = pfn < 0 ? null : table.slabOf(pfn);
        if (slab == null) {
            int order = large.order(addr, pfn);
            if (order < 0) {
                throw new IllegalArgumentException(notAllocated(addr, "ksize"));
            }
            return Machine.PAGE_SIZE << order;
        }
        int idx = slab.indexOf(addr);
        if (idx < 0 || !slab.allocated(idx)) {
            throw new IllegalArgumentException("ksize(" + DirectMap.format(addr) + "): not an allocated object of " + slab.cache.name());
        }
        SlabGeometry g = slab.cache.geometry();
        // __ksize: with red zones or tracking only the object itself is usable; else the whole inuse part
        return g.has(SlabFlags.SLAB_RED_ZONE | SlabFlags.SLAB_POISON) ? g.objectSize()
                : g.has(SlabFlags.SLAB_STORE_USER) ? g.inuse() : g.size();
    }

    /**
     * {@code krealloc} ({@code __do_krealloc}): an object whose cache's object size holds the new
     * size stays where it is (with its kmalloc red zone moved and, for __GFP_ZERO, the spare bytes
     * zeroed); otherwise a new object gets the old contents and the old one is freed.
     */
    @Override
    public long krealloc(long addr, long newSize, int gfp) {
        if (newSize == 0 && addr != 0 && addr != ZERO_SIZE_PTR) {
            kfree(addr);
            return ZERO_SIZE_PTR;
        }
        if (addr == 0 || addr == ZERO_SIZE_PTR) {
            return kmalloc(newSize, gfp);
        }
        if (newSize < 0 || newSize > Kmalloc.KMALLOC_MAX_SIZE) {
            throw new IllegalArgumentException("krealloc size " + newSize + " is out of range: accepted are 0 to " + Kmalloc.KMALLOC_MAX_SIZE + " bytes");
        }
        long pfn = dm.pfn(addr);
        Slab slab = pfn < 0 ? null : table.slabOf(pfn);
        long ks = slab == null ? ksize(addr) : slab.cache.objectSize();
        int origSize = 0;
        if (slab != null) {
            int i = slab.indexOf(addr);
            if (i < 0 || !slab.allocated(i)) {
                throw new IllegalArgumentException("krealloc(" + DirectMap.format(addr) + "): not an allocated object of " + slab.cache.name());
            }
            origSize = slab.mem != null ? SlabDebug.origSize(slab, i) : 0;
            if (newSize <= ks) {
                if (slab.mem != null) {
                    synchronized (slab) {
                        int o = slab.objectOffset(i);
                        if ((gfp & Gfp.__GFP_ZERO) != 0) {
                            if (origSize > 0 && origSize < newSize) {
                                java.util.Arrays.fill(slab.mem, o + origSize, o + (int) newSize, (byte) 0);
                            } else {
                                java.util.Arrays.fill(slab.mem, o + (int) newSize, o + (int) ks, (byte) 0);
                            }
                        }
                        SlabDebug.setKmallocRedzone(slab, i, (int) newSize);
                    }
                }
                return addr;
            }
        } else if (newSize <= ks) {
            return addr;
        }
        long moved = kmalloc(newSize, gfp);
        if (moved == 0) {
            return 0;
        }
        byte[] old = bytes.peekIfKept(addr, (int) (origSize > 0 ? origSize : Math.min(ks, newSize)));
        if (old != null) {
            bytes.pokeIfKept(moved, old);
        }
        kfree(addr);
        return moved;
    }

    @Override
    public long kmemCacheShrink(KmemCache cache) {
        return onAllCpus(() -> {
            C c = resolve(cache);
            long before = slabPages(c);
            flushAll(c);
            shrinkCache(c);
            return before - slabPages(c); // flush_all may free empty slabs too
        }, next -> next.kmemCacheShrink(cache));
    }

    /** Pages in the slabs of a cache. */
    private long slabPages(C c) {
        long n = 0;
        for (Slab s : table.all()) {
            if (s.cache == c) {
                n += 1L << s.order;
            }
        }
        return n;
    }

    @Override
    public void kmemCacheDestroy(KmemCache cache) {
        onAllCpus(() -> {
            destroyLocked(resolve(cache));
            return null;
        }, next -> {
            next.kmemCacheDestroy(cache);
            return null;
        });
    }

    /** {@code kmem_cache_destroy} with every CPU's gate held. */
    private void destroyLocked(C c) {
        if (c.has(SlabFlags.SLAB_KMALLOC)) {
            throw new IllegalArgumentException("kmem_cache_destroy(" + c.name() + "): the kmalloc caches are the kernel's own and are never destroyed");
        }
        flushAll(c);
        long live = 0;
        for (Slab s : table.all()) {
            if (s.cache == c) {
                live += s.countAllocated();
            }
        }
        if (live > 0) {
            shrinkCache(c);
            // __kmem_cache_shutdown → list_slab_objects → slab_err
            throw new IllegalStateException("Objects remaining in " + c.name() + " on __kmem_cache_shutdown() (" + live
                    + (live == 1 ? " object" : " objects") + " still allocated: the cache is kept)");
        }
        shrinkCache(c);
        synchronized (caches) {
            caches.remove(c.name());
            c.owner = null;
        }
    }

    @Override
    public Optional<KmemCache> findCache(String name) {
        return whenActive(() -> {
            synchronized (caches) {
                return Optional.ofNullable(caches.get(name));
            }
        }, next -> next.findCache(name));
    }

    @Override
    public Optional<KmemCache> cacheOf(long addr) {
        return whenActive(() -> {
            long pfn = dm.pfn(addr);
            Slab slab = pfn < 0 ? null : table.slabOf(pfn);
            return Optional.ofNullable(slab == null ? null : (KmemCache) slab.cache);
        }, next -> next.cacheOf(addr));
    }

    @Override
    public List<KmemCache> caches() {
        return whenActive(() -> {
            synchronized (caches) {
                return List.<KmemCache>copyOf(caches.values());
            }
        }, ObjectCache::caches);
    }

    /** The implementation's caches, in creation order. */
    protected final List<C> cacheList() {
        synchronized (caches) {
            return new ArrayList<>(caches.values());
        }
    }

    @Override
    public SlabInfo slabinfo(KmemCache cache) {
        if (!latch.isActive()) {
            return successorOrWait().slabinfo(cache);
        }
        C c = resolve(cache);
        long slabs = c.nrSlabs();
        long objs = c.totalObjects();
        long active = 0;
        for (long n : inUse(c)) {
            active += n;
        }
        return new SlabInfo(c.name(), active, objs, c.size(), c.objectsPerSlab(), 1 << c.order(), slabs, slabs);
    }

    @Override
    public Map<String, Long> stats(KmemCache cache) {
        if (!latch.isActive()) {
            return successorOrWait().stats(cache);
        }
        Map<String, Long> out = new LinkedHashMap<>();
        statsOf(resolve(cache)).forEach((k, v) -> {
            long sum = 0;
            for (long x : v) {
                sum += x;
            }
            out.put(k, sum);
        });
        return out;
    }

    @Override
    public Map<String, String> sysfs(KmemCache cache) {
        return whenActive(() -> {
            C c = resolve(cache);
            return SlabSysfs.files(c, statsOf(c), partialSlabs(c), inUse(c), machine.nodes().size());
        }, next -> next.sysfs(cache));
    }

    /** Slabs on the nodes' partial lists, per node. */
    protected abstract long[] partialSlabs(C c);

    /**
     * Objects in use, per node ({@code objects} in sysfs): those not free on the nodes' partial
     * lists (objects held by CPUs count as in use); slabinfo's active objects are their sum.
     */
    protected abstract long[] inUse(C c);

    @Override
    public List<String> describe(KmemCache cache) {
        return whenActive(() -> describeCache(resolve(cache)), next -> next.describe(cache));
    }

    @Override
    public List<String> validate(KmemCache cache) {
        return onAllCpus(() -> {
            C c = resolve(cache);
            flushAll(c);
            List<String> errors = new ArrayList<>();
            for (Slab s : table.all()) {
                if (s.cache == c) {
                    SlabDebug.validateSlab(s, dm, machine, errors);
                }
            }
            return errors;
        }, next -> next.validate(cache));
    }

    @Override
    public void poke(long addr, byte[] data) {
        whenActive(() -> {
            bytes.poke(addr, data);
            return null;
        }, next -> {
            next.poke(addr, data);
            return null;
        });
    }

    @Override
    public byte[] peek(long addr, int length) {
        return whenActive(() -> bytes.peek(addr, length), next -> next.peek(addr, length));
    }

    // ---- slab pages -----------------------------------------------------------------------------

    /**
     * {@code allocate_slab}: the cache's order with __GFP_NORETRY|__GFP_NOWARN, then the smallest
     * order that holds one object; marks the frames, counts the pages, chains the objects, runs
     * the constructor and, with debugging, fills the object's red zones and poison.
     *
     * @return the new slab, or null if the page allocator failed
     */
    protected final Slab allocateSlab(C c, int gfp, int nid) {
        return allocateSlab(c, gfp, nid, 0);
    }

    /**
     * {@link #allocateSlab(SlabCache, int, int)} with the first object {@code colour} bytes into
     * the slab (SLAB's cache colouring); the slab's objects must still fit.
     */
    protected final Slab allocateSlab(C c, int gfp, int nid, int colour) {
        SlabGeometry g = c.geometry();
        int flags = (gfp & SlabDebug.GFP_RECLAIM_MASK) | g.allocflags();
        int order = g.order();
        FrameAllocator pa = pages();
        long pfn;
        if (order > g.minOrder()) {
            int first = (flags | Gfp.__GFP_NOWARN | Gfp.__GFP_NORETRY) & ~Gfp.__GFP_NOFAIL;
            pfn = nid < 0 ? pa.allocPages(first, order) : pa.allocPagesNode(nid, first, order);
            if (pfn == FrameAllocator.NO_PAGE) {
                order = g.minOrder();
                pfn = nid < 0 ? pa.allocPages(flags, order) : pa.allocPagesNode(nid, flags, order);
            }
        } else {
            pfn = nid < 0 ? pa.allocPages(flags, order) : pa.allocPagesNode(nid, flags, order);
        }
        if (pfn == FrameAllocator.NO_PAGE) {
            return null;
        }
        int objects = order == g.order() ? g.objects() : g.minObjects();
        if (colour < 0 || colour + (long) objects * g.size() > (Machine.PAGE_SIZE << order)) {
            colour = 0;
        }
        Slab slab = new Slab(c, pfn, order, ft.nid(pfn), colour, g.size(), objects);
        slab.start = dm.virt(pfn, slab.objectOffset(0));
        table.add(slab);
        accountSlab(slab, 1);
        if (g.debug()) {
            slab.mem = new byte[slab.bytes()];
            SlabDebug.initSlab(slab, dm);
        }
        ObjectConstructor ctor = c.ctor();
        if (ctor != null) {
            for (int i = 0; i < objects; i++) {
                ctor.construct(dm.virt(pfn, slab.objectOffset(i)));
            }
        }
        return slab;
    }

    /** {@code discard_slab}: unmarks the frames and gives them back to the page allocator (whose free_pages_prepare clears the owner). */
    protected final void discardSlab(Slab slab) {
        accountSlab(slab, -1);
        table.remove(slab);
        pages().freePages(slab.pfn, slab.order);
    }

    private void accountSlab(Slab slab, int sign) {
        NodeStat item = slab.cache.has(SlabFlags.SLAB_RECLAIM_ACCOUNT) ? NodeStat.NR_SLAB_RECLAIMABLE : NodeStat.NR_SLAB_UNRECLAIMABLE;
        machine.node(slab.nid).modState(item, sign * (1L << slab.order));
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    @Override
    public synchronized void adopt(Handover from) {
        gates.lockAll();
        try {
            synchronized (caches) {
                for (C c : caches.values()) {
                    c.owner = null;
                }
                caches.clear();
            }
            table.clear();
            large.clear();
            if (from.atBoot()) {
                createKmallocCaches();
            } else if (!from.state().containsKey("caches")) {
                salvage();
            } else {
                SlabHandover.read(from, dm, ft::nid, this::restoreCache, this::restoreSlab, large::put);
                indexKmallocCaches();
            }
            latch.activate();
        } finally {
            gates.unlockAll();
        }
    }

    /**
     * After a predecessor failed without handing over: fresh kmalloc caches, the large kmalloc
     * blocks taken back from the frame table (they can still be freed), its slabs kept allocated as
     * orphans (their objects are lost with it; nothing is handed out twice).
     */
    private void salvage() {
        createKmallocCaches();
        large.salvage(SlabSalvage.scan(machine));
    }

    /** Pages of orphaned slabs (a predecessor failed without handing over). */
    public long orphanedSlabPages() {
        return large.orphanedPages();
    }

    private SlabCache restoreCache(String name, int size, int align, long flags, ObjectConstructor ctor) {
        return createNamed(name, size, align, flags, ctor);
    }

    @SuppressWarnings("unchecked")
    private void restoreSlab(Slab slab) {
        slab.start = dm.virt(slab.pfn, slab.objectOffset(0));
        table.add(slab);
        adoptSlab((C) slab.cache, slab);
    }

    @Override
    public synchronized Handover quiesce() {
        gates.lockAll();
        try {
            List<C> all = cacheList();
            for (C c : all) {
                flushAll(c);
            }
            Handover h = SlabHandover.write(CONTRACT, implName(), all, table.all(), large.blocks());
            latch.quiesce();
            return h;
        } finally {
            gates.unlockAll();
        }
    }

    @Override
    public void forwardTo(Subsystem next) {
        if (!(next instanceof ObjectCache)) {
            throw new IllegalArgumentException("an ObjectCache can only hand over to an ObjectCache, not " + next);
        }
        latch.forwardTo((ObjectCache) next);
    }

    @Override
    public List<String> check() {
        return onAllCpus(this::checkLocked, ObjectCache::check);
    }

    /** {@link #check} with every CPU's gate held. */
    private List<String> checkLocked() {
        List<String> problems = new ArrayList<>();
        long[] reclaimable = new long[machine.nodes().size()];
        long[] unreclaimable = new long[machine.nodes().size()];
        for (Slab s : table.all()) {
            if (!ft.test(s.pfn, PageFlags.PG_slab) || ft.refcount(s.pfn) == 0 || ft.order(s.pfn) != s.order) {
                problems.add(String.format("%s: %s is not an allocated order-%d block marked PG_slab in the frame table", s.cache.name(), s, s.order));
            }
            (s.cache.has(SlabFlags.SLAB_RECLAIM_ACCOUNT) ? reclaimable : unreclaimable)[s.nid] += 1L << s.order;
        }
        long[] orphaned = new long[reclaimable.length];
        large.check(problems, unreclaimable, orphaned);
        for (int nid = 0; nid < reclaimable.length; nid++) {
            long r = machine.node(nid).state(NodeStat.NR_SLAB_RECLAIMABLE);
            long u = machine.node(nid).state(NodeStat.NR_SLAB_UNRECLAIMABLE);
            // an orphaned slab's pages count as one kind or the other: its cache is no longer known
            boolean orphansFit = r >= reclaimable[nid] && u >= unreclaimable[nid]
                    && r + u == reclaimable[nid] + unreclaimable[nid] + orphaned[nid];
            if (!orphansFit) {
                problems.add(String.format("node %d: nr_slab_reclaimable %d and nr_slab_unreclaimable %d pages, but the slabs hold %d and %d",
                        nid, r, u, reclaimable[nid], unreclaimable[nid]));
            }
        }
        for (C c : cacheList()) {
            checkCache(c, problems);
        }
        return problems;
    }

    /** Every slab of a cache (every CPU stopped, or for reports). */
    protected final List<Slab> slabsOf(C c) {
        List<Slab> out = new ArrayList<>();
        for (Slab s : table.all()) {
            if (s.cache == c) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Where an allocation for node {@code nid} falls back to: the other nodes of {@code nodes},
     * nearest by number first ({@code nid + 1}, {@code nid + 2} ... modulo {@code nodes}), the same
     * order for every path of every implementation.
     */
    public static int[] otherNodes(int nid, int nodes) {
        int[] out = new int[nodes - 1];
        for (int k = 1; k < nodes; k++) {
            out[k - 1] = (nid + k) % nodes;
        }
        return out;
    }

    /** The number of simulated CPUs. */
    protected final int cpus() {
        return cpus;
    }

    /** A figure of each node ({@code kmem_cache_node}), each read under that node's lock. */
    protected static <N> long[] perNode(N[] nodes, ToLongFunction<N> figure) {
        long[] v = new long[nodes.length];
        for (int n = 0; n < v.length; n++) {
            synchronized (nodes[n]) {
                v[n] = figure.applyAsLong(nodes[n]);
            }
        }
        return v;
    }

    /**
     * Per-CPU statistics as /sys/kernel/slab/CACHE/ names them: for each file, in order, its value on
     * each CPU, {@code stat.applyAsLong(cpu, index of the file)}.
     */
    protected final Map<String, long[]> perCpuStats(List<String> files, LongBinaryOperator stat) {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            long[] v = new long[cpus];
            for (int cpu = 0; cpu < cpus; cpu++) {
                v[cpu] = stat.applyAsLong(cpu, i);
            }
            out.put(files.get(i), v);
        }
        return out;
    }
}

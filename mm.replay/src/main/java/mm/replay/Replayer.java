package mm.replay;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.trace.Tracer;
import mm.core.page.FragmentationIndex;

/**
 * Re-enacts a trace on one machine through one frame allocator and, optionally, one object cache,
 * all adopted already; the machine must be a fresh one, never the running one (its tracer's
 * {@code kmem:mm_page_alloc_extfrag} is enabled for the run, to hear the simulator's fallbacks).
 * Each event runs as the simulated CPU of the trace's CPU (modulo the machine's CPU count).
 *
 * <ul>
 * <li>{@code mm_page_alloc} → {@code allocPages(gfp_flags, order)}; the trace's pfn is mapped to the
 * simulated one. A failed allocation of the kernel (a null page, pfn 0) is counted, not re-enacted.</li>
 * <li>{@code mm_page_free} → {@code freePages} of the mapped block. {@code mm_page_free_batched}: the
 * kernel's batched free ({@code free_unref_folios}) prints {@code mm_page_free(page, order)} for a
 * folio of a per-CPU order ({@link FrameAllocator#pcpAllowedOrder}) and then
 * {@code mm_page_free_batched} for the same pfn (always printed {@code order=0}), so a batched line
 * that follows the free of its pfn confirms it; one without is a free of its own (order 0). A free of a pfn the replay never allocated is
 * a free of an unknown page (counted).</li>
 * <li>{@code kmalloc} → {@code kmalloc(bytes_req, gfp_flags)}, and the simulator's {@code ksize} is
 * compared with the kernel's {@code bytes_alloc}; {@code kmem_cache_alloc} → the cache of that name
 * (created on first sight with {@code bytes_alloc} as its size); {@code kfree} /
 * {@code kmem_cache_free} paired by pointer.</li>
 * <li>{@code mm_page_alloc_extfrag} → the kernel's fallback decision for the next
 * {@code mm_page_alloc} of its CPU, compared with the simulator's own fallback for that allocation,
 * which the replay machine's tracer reports with the same event ({@link FallbackDecisions}): same
 * alloc_migratetype and fallback_migratetype, and whether change_ownership matched too; the
 * simulator's fallbacks where the kernel had none are counted apart.</li>
 * <li>{@code mm_page_alloc_zone_locked}, {@code mm_page_pcpu_drain} (per-CPU list refills and drains,
 * which the simulator does on its own) and other known events are read and counted, not
 * re-enacted.</li>
 * </ul>
 */
public final class Replayer {

    private static final int KEPT = 5;
    private static final long FAILED = -2;

    private final Machine machine;
    private final FrameAllocator frames;
    private final ObjectCache caches;
    private final CountingFrameAllocator slabFrames;
    private final ReplayOptions options;
    private final List<Zone> zones = new ArrayList<>();

    // trace pfn -> simulated pfn << 4 | order, or FAILED
    private final LongLongMap pages = new LongLongMap();
    // trace pfn -> number of mm_page_free lines awaiting their mm_page_free_batched
    private final LongLongMap awaitingBatched = new LongLongMap();
    // trace ptr -> simulated address, or FAILED
    private final LongLongMap objects = new LongLongMap();
    private final Map<String, KmemCache> cacheByName = new HashMap<>();

    private long pageAllocs;
    private long pageFailures;
    private long kernelFailures;
    private long pageFrees;
    private long unknownPageFrees;
    private long batchedConfirmations;
    private long orderMismatches;
    private long pagesReallocated;
    private long objAllocs;
    private long objFailures;
    private long objFrees;
    private long unknownObjFrees;
    private long nullFrees;
    private long cachesCreated;
    private long objReallocated;
    private long kmallocTotal;
    private long kmallocSame;
    private final List<String> kmallocDiffs = new ArrayList<>();
    private final FallbackDecisions fallbacks = new FallbackDecisions(KEPT);
    private long notReenacted;
    private long errors;
    private final List<String> firstErrors = new ArrayList<>();

    private TraceEvent current;
    private final Supplier<Object> step = () -> {
        apply(current);
        return null;
    };

    /**
     * @param machine a fresh machine, booted for the replay
     * @param frames the frame allocator, adopted at boot
     * @param caches the object cache on top, adopted at boot on {@code slabFrames}, or null to leave object events out
     * @param slabFrames the counting allocator the object cache was given ({@link Replay#prepare} makes it), or null
     */
    Replayer(Machine machine, FrameAllocator frames, ObjectCache caches, CountingFrameAllocator slabFrames, ReplayOptions options) {
        this.machine = machine;
        this.frames = frames;
        this.caches = caches;
        this.slabFrames = slabFrames;
        this.options = options;
        for (Zone z : machine.zones()) {
            if (z.managed()) {
                zones.add(z);
            }
        }
    }

    /**
     * Reads the whole trace and re-enacts it.
     *
     * @param source the name of the trace, for progress lines
     * @param progress receives a progress line every 10 % of the text, for traces of at least
     *     {@link ReplayOptions#progressMinBytes()} bytes
     */
    ReplayReport run(TraceInput in, String source, Consumer<String> progress) throws IOException {
        Tracer tracer = machine.tracer() == null ? Tracer.none() : machine.tracer();
        String extfrag = "kmem:" + FallbackDecisions.EVENT;
        tracer.setEnabled(extfrag, true);
        AutoCloseable sink = tracer.addSink(fallbacks);
        try {
            return replay(in, source, progress);
        } finally {
            tracer.setEnabled(extfrag, false);
            try {
                sink.close();
            } catch (Exception e) {
                throw new IllegalStateException("replay: the tracer would not let its fallback sink go", e);
            }
        }
    }

    /** {@link #run}, with the simulator's fallbacks heard by {@link #fallbacks}. */
    private ReplayReport replay(TraceInput in, String source, Consumer<String> progress) throws IOException {
        frames.drainAllPages();
        long freeAtStart = freePages();
        long slabAtStart = slabFrames == null ? 0 : slabFrames.held;
        int nz = zones.size();
        int[] start = new int[nz];
        int[] worst = new int[nz];
        long[] worstAt = new long[nz];
        for (int z = 0; z < nz; z++) {
            start[z] = FragmentationIndex.unusableFreeIndex(frames, zones.get(z), options.fragOrder());
            worst[z] = start[z];
        }
        TraceParser parser = new TraceParser();
        long total = Math.max(1, in.textBytes());
        boolean showProgress = progress != null && in.textBytes() >= options.progressMinBytes();
        int nextTenth = 1;
        long nextMark = total / 10;
        long read = 0;
        long events = 0;
        int cpus = machine.cpuCount();
        long t0 = System.nanoTime();
        String line;
        String readError = null;
        while (true) {
            try {
                line = in.readLine();
            } catch (IOException e) {
                if (parser.lines() == 0) {
                    throw e;
                }
                // a corrupt or truncated compressed trace: what was read is replayed and reported
                readError = "the trace could not be read after line " + parser.lines() + " ("
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
                break;
            }
            if (line == null) {
                break;
            }
            read += line.length() + 1;
            TraceEvent ev = parser.parse(line);
            if (ev != null) {
                events++;
                if (ev.type() == EventType.OTHER) {
                    notReenacted++;
                } else {
                    current = ev;
                    machine.runOn(ev.cpu() % cpus, step);
                }
                if (events % options.sampleEvery() == 0) {
                    for (int z = 0; z < nz; z++) {
                        int idx = FragmentationIndex.unusableFreeIndex(frames, zones.get(z), options.fragOrder());
                        if (idx > worst[z]) {
                            worst[z] = idx;
                            worstAt[z] = events;
                        }
                    }
                }
            }
            if (showProgress && read >= nextMark && nextTenth < 10) {
                progress.accept(source + ": " + nextTenth * 10 + "% (line " + parser.lines() + ", " + events + " events)");
                nextTenth++;
                nextMark = total * nextTenth / 10;
            }
        }
        long elapsed = System.nanoTime() - t0;
        List<ReplayReport.ZoneFragmentation> frag = new ArrayList<>();
        List<Zone> zl = machine.zonelist(0);
        Zone preferred = zl.isEmpty() ? null : zl.get(0);
        for (int z = 0; z < nz; z++) {
            Zone zone = zones.get(z);
            int end = FragmentationIndex.unusableFreeIndex(frames, zone, options.fragOrder());
            if (end > worst[z]) {
                worst[z] = end;
                worstAt[z] = events;
            }
            frag.add(new ReplayReport.ZoneFragmentation("Node " + zone.nid() + ", zone " + zone.name(), zone.managedPages(),
                    zone == preferred, start[z],
                    worst[z], worstAt[z], end));
        }
        frames.drainAllPages();
        long freeAtEnd = freePages();
        long[] held = {0};
        pages.forEachValue(v -> {
            if (v != FAILED) {
                held[0] += 1L << (v & 15);
            }
        });
        long slabHeld = slabFrames == null ? 0 : slabFrames.held - slabAtStart;
        return new ReplayReport(frames.implName(), caches == null ? null : caches.implName(), machine.config().summary(),
                parser.stats(),
                new ReplayReport.PageEvents(pageAllocs, pageFailures, kernelFailures, pageFrees, unknownPageFrees, batchedConfirmations, orderMismatches,
                        pagesReallocated),
                new ReplayReport.ObjectEvents(objAllocs, objFailures, objFrees, unknownObjFrees, nullFrees, cachesCreated,
                        objReallocated),
                new ReplayReport.Decisions(kmallocTotal, kmallocSame, kmallocDiffs), fallbacks.report(), options.fragOrder(),
                options.sampleEvery(), frag,
                freeAtStart, freeAtEnd, held[0], slabHeld, notReenacted, errors, firstErrors, elapsed, readError);
    }

    private long freePages() {
        long sum = 0;
        for (Zone z : machine.zones()) {
            sum += z.freePages();
        }
        return sum;
    }

    private void apply(TraceEvent ev) {
        try {
            switch (ev.type()) {
                case MM_PAGE_ALLOC -> pageAlloc(ev);
                case MM_PAGE_FREE -> pageFree(ev, false);
                case MM_PAGE_FREE_BATCHED -> pageFree(ev, true);
                case MM_PAGE_ALLOC_EXTFRAG -> fallbacks.kernel(ev);
                case KMALLOC -> kmalloc(ev);
                case KMEM_CACHE_ALLOC -> cacheAlloc(ev);
                case KFREE, KMEM_CACHE_FREE -> objectFree(ev);
                default -> notReenacted++;
            }
        } catch (RuntimeException e) {
            error(ev, e);
        }
    }

    // ---- pages -----------------------------------------------------------------------------------

    private void pageAlloc(TraceEvent ev) {
        long tracePfn = ev.get(Slot.PFN);
        if (tracePfn == 0) {
            // the kernel failed this allocation (a null page, pfn 0): nothing to re-enact, nothing to map
            kernelFailures++;
            fallbacks.beforeAlloc();
            fallbacks.afterAlloc(ev);
            return;
        }
        int order = (int) ev.get(Slot.ORDER);
        int gfp = (int) ev.get(Slot.GFP_FLAGS);
        pageAllocs++;
        long old = pages.get(tracePfn);
        if (old != LongLongMap.MISSING) {
            // the kernel freed it without an event the replay saw: give the block back first
            pages.remove(tracePfn);
            if (old != FAILED) {
                pagesReallocated++;
                frames.freePages(old >>> 4, (int) (old & 15));
            }
        }
        long pfn;
        fallbacks.beforeAlloc();
        try {
            pfn = order < 0 || order > FrameAllocator.MAX_PAGE_ORDER ? FrameAllocator.NO_PAGE : frames.allocPages(gfp, order);
        } catch (IllegalArgumentException e) {
            pfn = FrameAllocator.NO_PAGE;
            error(ev, e);
        } finally {
            fallbacks.afterAlloc(ev);
        }
        if (pfn == FrameAllocator.NO_PAGE) {
            pageFailures++;
            pages.put(tracePfn, FAILED);
        } else {
            pages.put(tracePfn, pfn << 4 | order);
        }
    }

    private void pageFree(TraceEvent ev, boolean batched) {
        long tracePfn = ev.get(Slot.PFN);
        if (batched) {
            long waiting = awaitingBatched.get(tracePfn);
            if (waiting != LongLongMap.MISSING) {
                if (waiting <= 1) {
                    awaitingBatched.remove(tracePfn);
                } else {
                    awaitingBatched.put(tracePfn, waiting - 1);
                }
                batchedConfirmations++;
                return;
            }
        }
        int order = batched ? 0 : (int) ev.get(Slot.ORDER);
        long v = pages.remove(tracePfn);
        if (v == LongLongMap.MISSING) {
            unknownPageFrees++;
        } else if (v != FAILED) {
            int had = (int) (v & 15);
            if (had != order) {
                orderMismatches++;
            }
            frames.freePages(v >>> 4, had);
            pageFrees++;
        }
        if (!batched && FrameAllocator.pcpAllowedOrder(order)) {
            long w = awaitingBatched.get(tracePfn);
            awaitingBatched.put(tracePfn, w == LongLongMap.MISSING ? 1 : w + 1);
        }
    }

    // ---- objects ---------------------------------------------------------------------------------

    private void kmalloc(TraceEvent ev) {
        if (caches == null) {
            notReenacted++;
            return;
        }
        long ptr = ev.get(Slot.PTR);
        long req = ev.get(Slot.BYTES_REQ);
        long kernel = ev.get(Slot.BYTES_ALLOC);
        objAllocs++;
        releaseStale(ptr);
        long addr;
        try {
            addr = caches.kmalloc(req, (int) ev.get(Slot.GFP_FLAGS));
        } catch (IllegalArgumentException e) {
            addr = 0;
            error(ev, e);
        }
        if (addr == 0) {
            objFailures++;
            objects.put(ptr, FAILED);
            return;
        }
        objects.put(ptr, addr);
        long sim = caches.ksize(addr);
        kmallocTotal++;
        if (sim == kernel) {
            kmallocSame++;
        } else if (kmallocDiffs.size() < KEPT) {
            kmallocDiffs.add("line " + ev.lineNo() + ": kmalloc(" + req + ") kernel " + kernel + ", simulator " + sim);
        }
    }

    private void cacheAlloc(TraceEvent ev) {
        if (caches == null) {
            notReenacted++;
            return;
        }
        long ptr = ev.get(Slot.PTR);
        objAllocs++;
        releaseStale(ptr);
        KmemCache cache = cache(ev);
        long addr = 0;
        if (cache != null) {
            addr = caches.kmemCacheAlloc(cache, (int) ev.get(Slot.GFP_FLAGS));
        }
        if (addr == 0) {
            objFailures++;
            objects.put(ptr, FAILED);
        } else {
            objects.put(ptr, addr);
        }
    }

    private KmemCache cache(TraceEvent ev) {
        String name = ev.text();
        KmemCache c = cacheByName.get(name);
        if (c != null || cacheByName.containsKey(name)) {
            return c;
        }
        Optional<KmemCache> found = caches.findCache(name);
        if (found.isPresent()) {
            c = found.get();
        } else {
            try {
                c = caches.kmemCacheCreate(name, (int) Math.min(Integer.MAX_VALUE, ev.get(Slot.BYTES_ALLOC)), 0, 0, null);
                cachesCreated++;
            } catch (IllegalArgumentException e) {
                error(ev, e);
                c = null;
            }
        }
        cacheByName.put(name, c);
        return c;
    }

    /** A pointer handed out again while the replay still holds it: the kernel freed it unseen. */
    private void releaseStale(long ptr) {
        long old = objects.remove(ptr);
        if (old != LongLongMap.MISSING && old != FAILED) {
            objReallocated++;
            caches.kfree(old);
        }
    }

    private void objectFree(TraceEvent ev) {
        if (caches == null) {
            notReenacted++;
            return;
        }
        long ptr = ev.get(Slot.PTR);
        if (ptr == 0) {
            nullFrees++;
            return;
        }
        long addr = objects.remove(ptr);
        if (addr == LongLongMap.MISSING) {
            unknownObjFrees++;
            return;
        }
        if (addr == FAILED) {
            return;
        }
        KmemCache c = ev.type() == EventType.KMEM_CACHE_FREE ? cacheByName.get(ev.text()) : null;
        if (c != null) {
            caches.kmemCacheFree(c, addr);
        } else {
            caches.kfree(addr);
        }
        objFrees++;
    }

    private void error(TraceEvent ev, RuntimeException e) {
        errors++;
        if (firstErrors.size() < KEPT) {
            firstErrors.add("line " + ev.lineNo() + " " + ev.name() + ": " + e.getMessage());
        }
    }
}

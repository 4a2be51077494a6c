package mm.slab;

import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.SimClock;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectConstructor;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.core.slab.DirectMap;
import mm.core.slab.ObjectCacheCore;
import mm.core.slab.Slab;
import mm.core.slab.SlabGeometry;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * SLAB (mm/slab.c, the kernel's allocator from 2.2 until its removal in 6.8): each cache keeps
 * its slabs on per-node lists, full, partial and free ({@link KmemCacheNode}); each CPU
 * allocates from and frees into a small LIFO array of object pointers ({@link ArrayCache}),
 * refilled from the slabs and flushed back to them {@code batchcount} objects at a time, through
 * a shared array per node ({@link CacheAlloc}, {@link CacheFree}); successive slabs start their
 * objects one cache line further in ({@code colour}); free slabs beyond a node's
 * {@code free_limit} go back to the page allocator at once, the others when the reaper finds
 * them idle ({@link CacheReap}). Caches with debugging take a checked path ({@link SlabDebugPath}).
 * The kmalloc caches, slab pages, hand-over and debugging reports are {@link ObjectCacheCore}'s,
 * shared with SLUB, so either can take over from the other with every object in place.
 *
 * <p>What differs from the kernel's SLAB: the geometry (object size, stride, slab order, objects
 * per slab) is the shared {@link SlabGeometry}, SLUB's {@code calculate_sizes} and
 * {@code calculate_order}, not SLAB's {@code calculate_slab_order}; the slab descriptor and its
 * free-object index array live outside the slab (the kernel's "off-slab" management), so all the
 * left-over bytes serve colouring; there are no alien caches (as with {@code noaliencache}); the
 * colour of a new slab is the one of the node asked for, taken before the pages are allocated;
 * the reaper runs at a CPU's next call into SLAB once its timer has fired.
 */
@Component(service = ObjectCache.class, configurationPid = "mm.slab",
        property = {Subsystem.PROP_CONTRACT + "=" + ObjectCache.CONTRACT, Subsystem.PROP_IMPL + "=" + SlabAllocator.NAME})
@Designate(ocd = SlabAllocator.Config.class)
public class SlabAllocator extends ObjectCacheCore<KmemCacheSlab> {

    /** The implementation's name. */
    public static final String NAME = "slab";

    /** The boot parameters. */
    @ObjectClassDefinition(name = "mm-platform SLAB")
    public @interface Config {
        @AttributeDefinition(description = "Debugging as slub_debug=FLAGS[,CACHE,...] (the kernel's SLAB had CONFIG_DEBUG_SLAB): "
                + "F sanity checks, Z red zones, P poisoning, U user tracking, T trace; for the named caches, or all; empty for none. "
                + "Applies to caches created afterwards (the kmalloc caches at boot)")
        String slab_debug() default "";

        @AttributeDefinition(description = "slab_max_order: the largest slab order (the geometry is shared with SLUB)")
        int slab_max_order() default FrameAllocator.PAGE_ALLOC_COSTLY_ORDER;
    }

    private final CacheAlloc alloc = new CacheAlloc(this);
    private final CacheFree free = new CacheFree(this);
    private final CacheReap reap = new CacheReap(this, free);
    private final SlabDebugPath debugPath = new SlabDebugPath(this, free);
    private final SlabReport report = new SlabReport(this);

    /** Bumped each time the reaper's timer fires; a CPU that has not reaped since reaps at its next call. */
    private volatile long reapEpoch;
    /** The epoch each CPU last reaped at; a CPU's own, under its gate. */
    private final long[] reapedEpoch;
    private SimClock.Cancellable reapTimer;

    /**
     * The DS component: dormant until the switchboard makes it the active object cache
     * ({@link #adopt}); its slabs come from the active frame allocator.
     */
    @Activate
    public SlabAllocator(@Reference Machine machine, Config config, BundleContext context) {
        super(machine, null, new SlabGeometry.Tunables(0, 0, config.slab_max_order()));
        this.reapedEpoch = new long[machine.cpuCount()];
        bootSlubDebug(context);
        modified(config);
    }

    /** An instance on a machine whose slabs come from {@code pages}, dormant until {@link #adopt}. */
    public SlabAllocator(Machine machine, FrameAllocator pages, SlabGeometry.Tunables tunables) {
        super(machine, pages, tunables);
        this.reapedEpoch = new long[machine.cpuCount()];
    }

    /** A new {@code slab_debug} (else the boot's {@code slub_debug}) applies to caches created from now on. */
    @Modified
    void modified(Config config) {
        ownSlubDebug(config.slab_debug());
    }

    @Override
    public String implName() {
        return NAME;
    }

    // ---- lifecycle: the reaper's timer runs while this instance is active ------------------------

    @Override
    public synchronized void adopt(Handover from) {
        super.adopt(from);
        startReapTimer();
    }

    @Override
    public synchronized Handover quiesce() {
        Handover h = super.quiesce();
        stopReapTimer();
        return h;
    }

    private synchronized void startReapTimer() {
        stopReapTimer();
        reapTimer = machine.clock().schedule(CacheReap.REAPTIMEOUT_AC * (1_000_000_000L / SimClock.HZ), this::reapTimerFired);
    }

    private synchronized void stopReapTimer() {
        if (reapTimer != null) {
            reapTimer.cancel();
            reapTimer = null;
        }
    }

    /** {@code start_cpu_timer}'s work: every CPU is due to reap; the timer rearms while this instance is active. */
    private void reapTimerFired() {
        synchronized (this) {
            reapTimer = null;
            if (!isActive()) {
                return;
            }
        }
        reapEpoch++;
        startReapTimer();
    }

    /** Runs {@code cache_reap} on a CPU whose reap is due, its gate held. */
    private void reapIfDue(int cpu) {
        long epoch = reapEpoch;
        if (reapedEpoch[cpu] != epoch) {
            reapedEpoch[cpu] = epoch;
            reap.cacheReap(cpu, machine.clock().jiffies());
        }
    }

    // ---- for the mechanics in this package ------------------------------------------------------

    int nodeOf(int cpu) {
        return machine.cpuToNode(cpu);
    }

    /** {@code nr_cpus_node}. */
    int nrCpusNode(int nid) {
        int n = 0;
        for (int cpu = 0; cpu < cpus(); cpu++) {
            if (machine.cpuToNode(cpu) == nid) {
                n++;
            }
        }
        return n;
    }

    DirectMap directMap() {
        return dm;
    }

    Machine machine() {
        return machine;
    }

    List<KmemCacheSlab> slabCaches() {
        return cacheList();
    }

    List<Slab> slabs(KmemCacheSlab c) {
        return slabsOf(c);
    }

    /**
     * {@code cache_grow_begin}: the node's next colour, then a slab of the cache's order whose
     * first object starts {@code colour * colour_off} bytes in (the page allocator prefers
     * {@code nid}); null if it failed. The slab is on no list yet.
     */
    Slab cacheGrowBegin(KmemCacheSlab c, int gfp, int nid) {
        KmemCacheNode n = c.node[nid];
        int offset;
        synchronized (n) {
            offset = n.colourNext;
            n.colourNext++;
            if (n.colourNext >= c.colour) {
                n.colourNext = 0;
            }
        }
        return allocateSlab(c, gfp, nid, offset * c.colourOff);
    }

    /** {@code slab_destroy}: a slab already off its node's lists and counts goes back to the page allocator. */
    void slabDestroy(Slab s) {
        discardSlab(s);
    }

    /** {@code slabs_destroy}: each slab of a list (null for none). */
    void slabsDestroy(List<Slab> list) {
        if (list != null) {
            for (Slab s : list) {
                discardSlab(s);
            }
        }
    }

    /**
     * {@code enable_cpucache}: the array size by object size (1 above 128 KiB, 8 above a page, 24
     * above 1 KiB, 54 above 256 bytes, else 120; at most 32 with debugging), {@code batchcount}
     * half of it, a shared array of 8 batches for objects up to a page on SMP. Caches with debugging
     * use no arrays ({@link SlabDebugPath}): their cap shows in the tunables, as CONFIG_DEBUG_SLAB's
     * did, and sets their nodes' {@code free_limit} through {@code batchcount}.
     */
    private void enableCpucache(KmemCacheSlab c) {
        int size = c.size();
        int limit;
        if (size > 131072) {
            limit = 1;
        } else if (size > Machine.PAGE_SIZE) {
            limit = 8;
        } else if (size > 1024) {
            limit = 24;
        } else if (size > 256) {
            limit = 54;
        } else {
            limit = 120;
        }
        int shared = size <= Machine.PAGE_SIZE && cpus() > 1 ? 8 : 0;
        if (c.debug && limit > 32) {
            limit = 32;
        }
        reap.doTuneCpucache(c, limit, (limit + 1) / 2, shared);
    }

    // ---- tuning: what writing "NAME LIMIT BATCHCOUNT SHARED" to /proc/slabinfo did ----------------

    /**
     * {@code slabinfo_write} / {@code do_tune_cpucache}: new array sizes for a cache, its arrays
     * drained first.
     *
     * @throws IllegalArgumentException unless 1 &le; batchcount &le; limit and shared &ge; 0
     */
    public void tuneCpucache(KmemCache cache, int limit, int batchcount, int shared) {
        if (limit < 1 || batchcount < 1 || batchcount > limit || shared < 0 || limit > 4096 || (long) shared * batchcount > 65536) {
            throw new IllegalArgumentException("tunables limit " + limit + ", batchcount " + batchcount + ", shared " + shared
                    + " are refused: accepted are 1 <= batchcount <= limit <= 4096 and 0 <= shared, shared x batchcount <= 65536");
        }
        onAllCpus(() -> {
            reap.doTuneCpucache(resolve(cache), limit, batchcount, shared);
            return null;
        }, next -> {
            if (!(next instanceof SlabAllocator slab)) {
                throw new IllegalStateException("tuneCpucache(" + cache.name() + "): the object cache is now '" + next.implName()
                        + "', which has no per-CPU arrays to tune: only SLAB's are");
            }
            slab.tuneCpucache(cache, limit, batchcount, shared);
            return null;
        });
    }

    // ---- ObjectCacheCore ---------------------------------------------------------------------------

    @Override
    protected KmemCacheSlab createCache(String name, SlabGeometry g, ObjectConstructor ctor) {
        KmemCacheSlab c = new KmemCacheSlab(name, g, ctor, cpus(), machine.nodes().size());
        long now = machine.clock().jiffies();
        for (KmemCacheNode n : c.node) {
            n.nextReap = now + CacheReap.REAPTIMEOUT_NODE;
        }
        enableCpucache(c);
        return c;
    }

    @Override
    protected long allocObject(KmemCacheSlab c, int gfp, int cpu, int caller) {
        reapIfDue(cpu);
        return c.debug ? debugPath.alloc(c, gfp, cpu, caller) : alloc.doCacheAlloc(c, gfp, cpu);
    }

    @Override
    protected void freeObject(KmemCacheSlab c, Slab slab, int idx, int cpu, int caller) {
        reapIfDue(cpu);
        if (c.debug) {
            debugPath.free(c, slab, idx, cpu, caller);
        } else {
            free.cacheFree(c, slab, idx, cpu);
        }
    }

    /** {@code drain_cpu_caches}: every array cache entry back to its slab, so that the slabs' chains and counts are exact. */
    @Override
    protected void flushAll(KmemCacheSlab c) {
        reap.drainCpuCaches(c);
    }

    /** {@code __kmem_cache_shrink} after the drain: {@code drain_freelist} of every free slab on every node. */
    @Override
    protected long shrinkCache(KmemCacheSlab c) {
        long[] pages = new long[1];
        for (KmemCacheNode n : c.node) {
            reap.drainFreelist(c, n, Long.MAX_VALUE, pages);
        }
        return pages[0];
    }

    /** A handed-over slab goes on slabs_full, slabs_partial or slabs_free of its node by its objects in use. */
    @Override
    protected void adoptSlab(KmemCacheSlab c, Slab slab) {
        KmemCacheNode n = c.node[slab.nid];
        synchronized (n) {
            n.totalSlabs++;
            n.totalObjects += slab.objects;
            n.freeObjects += slab.objects - slab.inuse;
            if (slab.inuse == 0) {
                n.free.addTail(slab);
            } else if (slab.inuse == slab.objects) {
                n.full.addTail(slab);
            } else {
                n.partial.addTail(slab);
            }
        }
    }

    /**
     * SLAB's /proc/slabinfo row ({@code get_slabinfo}): active objects are those off the slabs'
     * free chains (objects in array caches count as active), active slabs those on slabs_full and
     * slabs_partial; the tunables and the objects in the shared arrays.
     */
    @Override
    public SlabInfo slabinfo(KmemCache cache) {
        if (!isActive()) {
            return successorOrWait().slabinfo(cache);
        }
        KmemCacheSlab c = resolve(cache);
        long slabs = 0;
        long objs = 0;
        long free = 0;
        long freeSlabs = 0;
        long sharedAvail = 0;
        for (KmemCacheNode n : c.node) {
            synchronized (n) {
                slabs += n.totalSlabs;
                objs += n.totalObjects;
                free += n.freeObjects;
                freeSlabs += n.free.count;
                sharedAvail += n.shared == null ? 0 : n.shared.avail;
            }
        }
        return new SlabInfo(c.name(), objs - free, objs, c.size(), c.objectsPerSlab(), 1 << c.order(), slabs - freeSlabs, slabs,
                c.limit, c.batchcount, c.shared, sharedAvail);
    }

    @Override
    protected List<String> describeCache(KmemCacheSlab c) {
        return report.describe(c);
    }

    @Override
    protected Map<String, long[]> statsOf(KmemCacheSlab c) {
        return perCpuStats(SlabStat.FILES, (cpu, i) -> c.stat[(int) cpu][(int) i]);
    }

    @Override
    protected long[] partialSlabs(KmemCacheSlab c) {
        return perNode(c.node, kn -> kn.partial.count);
    }

    /** Objects off the slabs' free chains, per node: in use or in an array cache. */
    @Override
    protected long[] inUse(KmemCacheSlab c) {
        return perNode(c.node, kn -> kn.totalObjects - kn.freeObjects);
    }

    @Override
    protected void checkCache(KmemCacheSlab c, List<String> problems) {
        report.check(c, problems);
    }
}

package mm.slub;

import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectConstructor;
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
 * SLUB (mm/slub.c): each cache cuts slabs from the page allocator into objects; each CPU
 * allocates from its own slab without locks ({@link SlabAlloc}) and frees into it, or into the
 * object's slab ({@link SlabFree}); slabs with free objects wait on per-CPU and per-node partial
 * lists; {@link SlabFlush} hands CPU state back. Caches with debugging take a checked path
 * ({@link SlubDebugPath}). The kmalloc caches, slab pages, hand-over and debugging reports are
 * {@link ObjectCacheCore}'s, shared with every implementation.
 */
@Component(service = ObjectCache.class, configurationPid = "mm.slub",
        property = {Subsystem.PROP_CONTRACT + "=" + ObjectCache.CONTRACT, Subsystem.PROP_IMPL + "=" + SlubAllocator.NAME})
@Designate(ocd = SlubAllocator.Config.class)
public class SlubAllocator extends ObjectCacheCore<KmemCacheSlub> {

    /** The implementation's name. */
    public static final String NAME = "slub";

    /** The kernel's boot parameters for SLUB. */
    @ObjectClassDefinition(name = "mm-platform SLUB")
    public @interface Config {
        @AttributeDefinition(description = "slub_debug=FLAGS[,CACHE,...]: F sanity checks, Z red zones, P poisoning, U user tracking, "
                + "T trace; for the named caches, or all; empty for none. Applies to caches created afterwards (the kmalloc caches at boot)")
        String slub_debug() default "";

        @AttributeDefinition(description = "slab_min_objects: 0 derives it from the CPU count")
        int slub_min_objects() default 0;

        @AttributeDefinition(description = "slab_min_order")
        int slub_min_order() default 0;

        @AttributeDefinition(description = "slab_max_order (PAGE_ALLOC_COSTLY_ORDER by default)")
        int slub_max_order() default FrameAllocator.PAGE_ALLOC_COSTLY_ORDER;
    }

    private final SlabAlloc alloc = new SlabAlloc(this);
    private final SlabFree free = new SlabFree(this);
    private final SlabFlush flush = new SlabFlush(this);
    private final SlubDebugPath debugPath = new SlubDebugPath(this);
    private final SlubReport report = new SlubReport(this);

    /**
     * The DS component: dormant until the switchboard makes it the active object cache
     * ({@link #adopt}); its slabs come from the active frame allocator.
     */
    @Activate
    public SlubAllocator(@Reference Machine machine, Config config, BundleContext context) {
        super(machine, null, new SlabGeometry.Tunables(config.slub_min_objects(), config.slub_min_order(), config.slub_max_order()));
        bootSlubDebug(context);
        modified(config);
    }

    /** An instance on a machine whose slabs come from {@code pages}, dormant until {@link #adopt}. */
    public SlubAllocator(Machine machine, FrameAllocator pages, SlabGeometry.Tunables tunables) {
        super(machine, pages, tunables);
    }

    /** A new {@code slub_debug} (else the boot's) applies to caches created from now on. */
    @Modified
    void modified(Config config) {
        ownSlubDebug(config.slub_debug());
    }

    @Override
    public String implName() {
        return NAME;
    }

    // ---- for the mechanics in this package ------------------------------------------------------

    SlabFree free() {
        return free;
    }

    int nodeOf(int cpu) {
        return machine.cpuToNode(cpu);
    }

    DirectMap directMap() {
        return dm;
    }

    Machine machine() {
        return machine;
    }

    /** {@code new_slab} on the CPU's node, counted on its node; null if the page allocator failed. */
    Slab newSlab(KmemCacheSlub s, int gfp, int cpu) {
        Slab slab = allocateSlab(s, gfp, -1);
        if (slab == null) {
            return null;
        }
        if (slab.order != s.geometry().order()) {
            s.stat(cpu, SlubStat.ORDER_FALLBACK);
        }
        KmemCacheNode n = s.node[slab.nid];
        synchronized (n) {
            n.nrSlabs++;
            n.totalObjects += slab.objects;
        }
        return slab;
    }

    /** {@code discard_slab}: already off its node's lists and counts. */
    void freeSlab(Slab slab) {
        discardSlab(slab);
    }

    List<Slab> slabs(KmemCacheSlub s) {
        return slabsOf(s);
    }

    // ---- ObjectCacheCore ---------------------------------------------------------------------------

    @Override
    protected KmemCacheSlub createCache(String name, SlabGeometry g, ObjectConstructor ctor) {
        return new KmemCacheSlub(name, g, ctor, cpus(), machine.nodes().size());
    }

    @Override
    protected long allocObject(KmemCacheSlub c, int gfp, int cpu, int caller) {
        return c.debug ? debugPath.alloc(c, gfp, cpu, caller) : alloc.slabAllocNode(c, gfp, cpu);
    }

    @Override
    protected void freeObject(KmemCacheSlub c, Slab slab, int idx, int cpu, int caller) {
        if (c.debug) {
            debugPath.free(c, slab, idx, cpu, caller);
        } else {
            free.doSlabFree(c, slab, idx, cpu);
        }
    }

    @Override
    protected void flushAll(KmemCacheSlub c) {
        for (int cpu = 0; cpu < cpus(); cpu++) {
            flush.flushCpuSlab(c, cpu);
        }
    }

    @Override
    protected long shrinkCache(KmemCacheSlub c) {
        return flush.shrink(c);
    }

    @Override
    protected void adoptSlab(KmemCacheSlub c, Slab slab) {
        KmemCacheNode n = c.node[slab.nid];
        synchronized (n) {
            n.nrSlabs++;
            n.totalObjects += slab.objects;
            if (slab.inuse < slab.objects) {
                n.addPartial(slab, true);
            } else if (c.debug) {
                n.addFull(slab);
            }
        }
    }

    @Override
    protected List<String> describeCache(KmemCacheSlub c) {
        return report.describe(c);
    }

    @Override
    protected Map<String, long[]> statsOf(KmemCacheSlub c) {
        return perCpuStats(SlubStat.FILES, (cpu, i) -> c.cpuSlab[(int) cpu].stat[(int) i]);
    }

    @Override
    protected long[] partialSlabs(KmemCacheSlub c) {
        return perNode(c.node, kn -> kn.partial.count);
    }

    @Override
    protected long[] inUse(KmemCacheSlub c) {
        return perNode(c.node, kn -> {
            long free = 0;
            for (Slab s = kn.partial.head; s != null; s = s.nextSlab) {
                synchronized (s) {
                    free += s.objects - s.inuse;
                }
            }
            return kn.totalObjects - free;
        });
    }

    @Override
    protected void checkCache(KmemCacheSlub c, List<String> problems) {
        report.check(c, problems);
    }
}

package mm.slabskeleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectConstructor;
import mm.api.subsystem.Subsystem;
import mm.core.slab.ObjectCacheCore;
import mm.core.slab.Slab;
import mm.core.slab.SlabCache;
import mm.core.slab.SlabDebug;
import mm.core.slab.SlabGeometry;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The simplest correct object cache, to start your own from. Each cache keeps a plain list of its
 * slabs under one lock (the cache object): an allocation takes the first free object of the first
 * slab that has one, or cuts a new slab; a free puts the object back on its slab's free chain;
 * shrinking frees the slabs with no object in use. No per-CPU state at all.
 *
 * <p>What you do not write: {@link ObjectCacheCore} (mm.core) already does the kmalloc caches and
 * their size classes, kmalloc/kfree/ksize/krealloc, finding the slab of an address and refusing bad
 * frees, getting slab pages from the page allocator ({@link #allocateSlab}) and giving them back
 * ({@link #discardSlab}), slabinfo, and the hand-over to and from other implementations. A
 * {@link Slab} is the kernel's {@code struct slab}: its free chain {@code next[]}, {@code freelist},
 * {@code inuse}. Things to try: per-CPU slabs (SLUB's fast path), partial lists, a limit on empty
 * slabs kept (SLUB's {@code min_partial}).
 */
@Component(service = ObjectCache.class,
        property = {Subsystem.PROP_CONTRACT + "=" + ObjectCache.CONTRACT, Subsystem.PROP_IMPL + "=slabskeleton"})
public class SlabSkeletonCache extends ObjectCacheCore<SlabSkeletonCache.Cache> {

    /** A cache: its geometry (in {@link SlabCache}) and its slabs. */
    static final class Cache extends SlabCache {
        final List<Slab> slabs = new ArrayList<>();

        Cache(String name, SlabGeometry g, ObjectConstructor ctor) {
            super(name, g, ctor);
        }

        @Override
        public synchronized long nrSlabs() {
            return slabs.size();
        }

        @Override
        public synchronized long totalObjects() {
            long n = 0;
            for (Slab s : slabs) {
                n += s.objects;
            }
            return n;
        }
    }

    /** The DS component: dormant until the switchboard makes it the active object cache. */
    @Activate
    public SlabSkeletonCache(@Reference Machine machine) {
        super(machine, null, SlabGeometry.Tunables.DEFAULT);
    }

    /** An instance whose slabs come from {@code pages} (for the conformance kit). */
    public SlabSkeletonCache(Machine machine, FrameAllocator pages) {
        super(machine, pages, SlabGeometry.Tunables.DEFAULT);
    }

    @Override
    public String implName() {
        return "slabskeleton";
    }

    @Override
    protected Cache createCache(String name, SlabGeometry g, ObjectConstructor ctor) {
        return new Cache(name, g, ctor);
    }

    @Override
    protected long allocObject(Cache c, int gfp, int cpu, int caller) {
        synchronized (c) {
            Slab slab = null;
            for (Slab s : c.slabs) {
                if (s.freelist >= 0) {
                    slab = s;
                    break;
                }
            }
            if (slab == null) {
                slab = allocateSlab(c, gfp, -1);
                if (slab == null) {
                    return 0; // the page allocator has nothing: kmalloc returns NULL
                }
                c.slabs.add(slab);
            }
            if (c.geometry().debug()) {
                SlabDebug.onAlloc(slab, slab.freelist, dm, machine, caller, cpu); // checks the free object, marks it in use
            }
            return slab.address(slab.getObj());
        }
    }

    @Override
    protected void freeObject(Cache c, Slab slab, int idx, int cpu, int caller) {
        synchronized (c) {
            if (c.geometry().debug()) {
                SlabDebug.onFree(slab, idx, dm, machine, caller, cpu); // checks red zones, poisons the object
            }
            slab.putObj(idx); // with debugging, writes the free pointer too
        }
    }

    @Override
    protected void flushAll(Cache c) {
        // no per-CPU state: nothing to give back
    }

    @Override
    protected long shrinkCache(Cache c) {
        long pages = 0;
        synchronized (c) {
            for (var it = c.slabs.iterator(); it.hasNext(); ) {
                Slab s = it.next();
                if (s.inuse == 0) {
                    it.remove();
                    pages += 1L << s.order;
                    discardSlab(s);
                }
            }
        }
        return pages;
    }

    @Override
    protected void adoptSlab(Cache c, Slab slab) {
        synchronized (c) {
            c.slabs.add(slab);
        }
    }

    @Override
    protected List<String> describeCache(Cache c) {
        List<String> out = new ArrayList<>();
        synchronized (c) {
            out.add(c.slabs.size() + " slabs, first free object first:");
            for (Slab s : c.slabs) {
                out.add(String.format("  pfn 0x%x order %d: %d of %d objects in use", s.pfn, s.order, s.inuse, s.objects));
            }
        }
        return out;
    }

    @Override
    protected Map<String, long[]> statsOf(Cache c) {
        return Map.of();
    }

    @Override
    protected long[] partialSlabs(Cache c) {
        long[] v = new long[machine.nodes().size()];
        synchronized (c) {
            for (Slab s : c.slabs) {
                if (s.inuse < s.objects) {
                    v[s.nid]++;
                }
            }
        }
        return v;
    }

    @Override
    protected long[] inUse(Cache c) {
        long[] v = new long[machine.nodes().size()];
        synchronized (c) {
            for (Slab s : c.slabs) {
                v[s.nid] += s.inuse;
            }
        }
        return v;
    }

    @Override
    protected void checkCache(Cache c, List<String> problems) {
        synchronized (c) {
            for (Slab s : c.slabs) {
                int free = 0;
                for (int i = s.freelist; i >= 0 && free <= s.objects; i = s.next[i]) {
                    free++;
                }
                if (s.inuse != s.countAllocated() || free != s.objects - s.inuse) {
                    problems.add(String.format("%s: slab pfn 0x%x counts %d in use, %d are, %d on its free chain", c.name(), s.pfn,
                            s.inuse, s.countAllocated(), free));
                }
            }
        }
    }
}

package mm.tck;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Subsystem;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.slab.ObjectConstructor;

/**
 * Deliberately broken object caches for the kit's own tests: a correct one wrapped so that it
 * breaks one rule of the contract. Each must fail the checks that prove that rule.
 */
class BrokenSlab extends ForwardingObjectCache {

    BrokenSlab(ObjectCache inner) {
        super(inner);
    }

    /** A factory wrapping each new instance of {@code base}. */
    static ObjectCacheFactory factory(ObjectCacheFactory base, Function<ObjectCache, ObjectCache> wrap) {
        return new ObjectCacheFactory() {
            @Override
            public String implName() {
                return base.implName();
            }

            @Override
            public ObjectCache create(Machine machine, FrameAllocator frames) {
                return wrap.apply(base.create(machine, frames));
            }
        };
    }

    /** A factory wrapping each new instance of {@code base}, for a breakage that needs the machine. */
    static ObjectCacheFactory factoryOn(ObjectCacheFactory base, BiFunction<Machine, ObjectCache, ObjectCache> wrap) {
        return new ObjectCacheFactory() {
            @Override
            public String implName() {
                return base.implName();
            }

            @Override
            public ObjectCache create(Machine machine, FrameAllocator frames) {
                return wrap.apply(machine, base.create(machine, frames));
            }
        };
    }

    /** Serves 65..96-byte requests from kmalloc-128. */
    static final class SkipsKmalloc96 extends BrokenSlab {
        SkipsKmalloc96(ObjectCache inner) {
            super(inner);
        }

        @Override
        public long kmalloc(long size, int gfp) {
            return delegate.kmalloc(size > 64 && size <= 96 ? 128 : size, gfp);
        }
    }

    /** Ignores __GFP_DMA: dma-kmalloc requests land in the normal caches. */
    static final class IgnoresDma extends BrokenSlab {
        IgnoresDma(ObjectCache inner) {
            super(inner);
        }

        @Override
        public long kmalloc(long size, int gfp) {
            return delegate.kmalloc(size, gfp & ~Gfp.__GFP_DMA);
        }
    }

    /** Swallows a free of an object it already freed, instead of refusing it. */
    static final class SwallowsDoubleFree extends BrokenSlab {
        private final Set<Long> freed = ConcurrentHashMap.newKeySet();

        SwallowsDoubleFree(ObjectCache inner) {
            super(inner);
        }

        @Override
        public long kmalloc(long size, int gfp) {
            long p = delegate.kmalloc(size, gfp);
            freed.remove(p);
            return p;
        }

        @Override
        public long kmemCacheAlloc(KmemCache cache, int gfp) {
            long p = delegate.kmemCacheAlloc(cache, gfp);
            freed.remove(p);
            return p;
        }

        @Override
        public void kfree(long addr) {
            if (freed.add(addr)) {
                delegate.kfree(addr);
            }
        }

        @Override
        public void kmemCacheFree(KmemCache cache, long addr) {
            if (freed.add(addr)) {
                delegate.kmemCacheFree(cache, addr);
            }
        }
    }

    /** kmem_cache_shrink does nothing: empty slabs are never given back. */
    static final class NeverShrinks extends BrokenSlab {
        NeverShrinks(ObjectCache inner) {
            super(inner);
        }

        @Override
        public long kmemCacheShrink(KmemCache cache) {
            return 0;
        }
    }

    /** Never runs the constructor. */
    static final class ForgetsCtor extends BrokenSlab {
        ForgetsCtor(ObjectCache inner) {
            super(inner);
        }

        @Override
        public KmemCache kmemCacheCreate(String name, int size, int align, long flags, ObjectConstructor ctor) {
            return delegate.kmemCacheCreate(name, size, align, flags, null);
        }
    }

    /** check() never finds anything. */
    static final class BlindCheck extends BrokenSlab {
        BlindCheck(ObjectCache inner) {
            super(inner);
        }

        @Override
        public List<String> check() {
            return List.of();
        }
    }

    /** kmalloc(0) returns NULL instead of ZERO_SIZE_PTR. */
    static final class ZeroIsNull extends BrokenSlab {
        ZeroIsNull(ObjectCache inner) {
            super(inner);
        }

        @Override
        public long kmalloc(long size, int gfp) {
            return size == 0 ? 0 : delegate.kmalloc(size, gfp);
        }
    }

    /** Calls itself by another name than its factory does. */
    static final class Misnamed extends BrokenSlab {
        Misnamed(ObjectCache inner) {
            super(inner);
        }

        @Override
        public String implName() {
            return "some other name";
        }
    }

    /** krealloc always moves the object, even when the new size fits in its ksize. */
    static final class KreallocAlwaysMoves extends BrokenSlab {
        KreallocAlwaysMoves(ObjectCache inner) {
            super(inner);
        }

        @Override
        public long krealloc(long addr, long newSize, int gfp) {
            if (addr == 0 || addr == ZERO_SIZE_PTR || newSize == 0) {
                return delegate.krealloc(addr, newSize, gfp);
            }
            long moved = delegate.kmalloc(newSize, gfp);
            if (moved != 0) {
                delegate.kfree(addr);
            }
            return moved;
        }
    }

    /** kfree of a large kmalloc (from the page allocator) never gives its pages back. */
    static final class LeaksLargeKfree extends BrokenSlab {
        LeaksLargeKfree(ObjectCache inner) {
            super(inner);
        }

        @Override
        public void kfree(long addr) {
            if (addr != 0 && addr != ZERO_SIZE_PTR && delegate.cacheOf(addr).isEmpty() && delegate.ksize(addr) > 8192) {
                return;
            }
            delegate.kfree(addr);
        }
    }

    /** Answers a kmalloc above KMALLOC_MAX_SIZE with NULL instead of refusing it. */
    static final class ForgivesTooLarge extends BrokenSlab {
        ForgivesTooLarge(ObjectCache inner) {
            super(inner);
        }

        @Override
        public long kmalloc(long size, int gfp) {
            return size > Kmalloc.KMALLOC_MAX_SIZE ? 0 : delegate.kmalloc(size, gfp);
        }
    }

    /** Accepts an alignment that is not a power of two, rounding it up to one. */
    static final class AcceptsBadAlign extends BrokenSlab {
        AcceptsBadAlign(ObjectCache inner) {
            super(inner);
        }

        @Override
        public KmemCache kmemCacheCreate(String name, int size, int align, long flags, ObjectConstructor ctor) {
            int a = align > 0 && Integer.bitCount(align) != 1 ? Integer.highestOneBit(align) << 1 : align;
            return delegate.kmemCacheCreate(name, size, a, flags, ctor);
        }
    }

    /** kmemCacheDestroy of a cache with live objects says nothing. */
    static final class SilentDestroy extends BrokenSlab {
        SilentDestroy(ObjectCache inner) {
            super(inner);
        }

        @Override
        public void kmemCacheDestroy(KmemCache cache) {
            try {
                delegate.kmemCacheDestroy(cache);
            } catch (IllegalStateException e) {
                // swallowed: the caller is never told
            }
        }
    }

    /** slabinfo counts one active object too many. */
    static final class MiscountsSlabinfo extends BrokenSlab {
        MiscountsSlabinfo(ObjectCache inner) {
            super(inner);
        }

        @Override
        public SlabInfo slabinfo(KmemCache cache) {
            SlabInfo i = delegate.slabinfo(cache);
            return new SlabInfo(i.name(), i.activeObjs() + 1, i.numObjs(), i.objSize(), i.objPerSlab(), i.pagesPerSlab(),
                    i.activeSlabs(), i.numSlabs(), i.limit(), i.batchcount(), i.sharedfactor(), i.sharedAvail());
        }
    }

    /** Ignores the alignment asked of a new cache. */
    static final class IgnoresAlign extends BrokenSlab {
        IgnoresAlign(ObjectCache inner) {
            super(inner);
        }

        @Override
        public KmemCache kmemCacheCreate(String name, int size, int align, long flags, ObjectConstructor ctor) {
            return delegate.kmemCacheCreate(name, size, 0, flags & ~mm.api.slab.SlabFlags.SLAB_HWCACHE_ALIGN, ctor);
        }
    }

    /** validate() never finds anything. */
    static final class BlindValidate extends BrokenSlab {
        BlindValidate(ObjectCache inner) {
            super(inner);
        }

        @Override
        public List<String> validate(KmemCache cache) {
            return List.of();
        }
    }

    /** peek() shows zeroes whatever the memory holds. */
    static final class BlindPeek extends BrokenSlab {
        BlindPeek(ObjectCache inner) {
            super(inner);
        }

        @Override
        public byte[] peek(long addr, int length) {
            delegate.peek(addr, length);
            return new byte[length];
        }
    }

    /** forwardTo() does nothing: calls that reach it after the hand-over wait for ever. */
    static final class NeverForwards extends BrokenSlab {
        NeverForwards(ObjectCache inner) {
            super(inner);
        }

        @Override
        public void forwardTo(Subsystem successor) {
        }
    }

    /** Every 500th kmalloc hands out the object the call before it returned a second time. */
    static final class HandsOutTwice extends BrokenSlab {
        private long last;
        private int calls;

        HandsOutTwice(ObjectCache inner) {
            super(inner);
        }

        @Override
        public synchronized long kmalloc(long size, int gfp) {
            if (++calls % 500 == 0 && last != 0 && last != ZERO_SIZE_PTR) {
                return last;
            }
            last = delegate.kmalloc(size, gfp);
            return last;
        }
    }

    /** Takes any Handover as the one at boot: what the predecessor handed over is forgotten. */
    static final class AdoptsAsAtBoot extends BrokenSlab {
        AdoptsAsAtBoot(ObjectCache inner) {
            super(inner);
        }

        @Override
        public void adopt(mm.api.subsystem.Handover from) {
            delegate.adopt(mm.api.subsystem.Handover.BOOT);
        }
    }

    /** Leaves the pages of a large kmalloc out of NR_SLAB_UNRECLAIMABLE (and puts them back when freed). */
    static final class LargeKmallocUncounted extends BrokenSlab {
        private final Machine machine;

        LargeKmallocUncounted(Machine m, ObjectCache inner) {
            super(inner);
            this.machine = m;
        }

        @Override
        public long kmalloc(long size, int gfp) {
            long p = delegate.kmalloc(size, gfp);
            if (p != 0 && p != ZERO_SIZE_PTR && delegate.cacheOf(p).isEmpty()) {
                machine.nodes().get(0).modState(NodeStat.NR_SLAB_UNRECLAIMABLE, -delegate.ksize(p) / Machine.PAGE_SIZE);
            }
            return p;
        }

        @Override
        public void kfree(long addr) {
            if (addr != 0 && addr != ZERO_SIZE_PTR && delegate.cacheOf(addr).isEmpty()) {
                machine.nodes().get(0).modState(NodeStat.NR_SLAB_UNRECLAIMABLE, delegate.ksize(addr) / Machine.PAGE_SIZE);
            }
            delegate.kfree(addr);
        }
    }
}

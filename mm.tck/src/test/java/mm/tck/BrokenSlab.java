package mm.tck;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.slab.KmemCache;
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
}

package mm.tck;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectConstructor;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;

/**
 * An object cache that passes every call on to another: the base of variants that change one
 * call, for instance a deliberately broken object cache that proves a check or a hand-over
 * catches what it breaks.
 */
public class ForwardingObjectCache implements ObjectCache {

    /** The object cache that does the work. */
    protected final ObjectCache delegate;

    /** Passes every call on to {@code delegate}. */
    public ForwardingObjectCache(ObjectCache delegate) {
        this.delegate = delegate;
    }

    @Override
    public String implName() {
        return delegate.implName();
    }

    @Override
    public void adopt(Handover from) {
        delegate.adopt(from);
    }

    @Override
    public Handover quiesce() {
        return delegate.quiesce();
    }

    @Override
    public List<String> check() {
        return delegate.check();
    }

    @Override
    public void forwardTo(Subsystem successor) {
        delegate.forwardTo(successor);
    }

    @Override
    public KmemCache kmemCacheCreate(String name, int size, int align, long flags, ObjectConstructor ctor) {
        return delegate.kmemCacheCreate(name, size, align, flags, ctor);
    }

    @Override
    public long kmemCacheAlloc(KmemCache cache, int gfp) {
        return delegate.kmemCacheAlloc(cache, gfp);
    }

    @Override
    public void kmemCacheFree(KmemCache cache, long addr) {
        delegate.kmemCacheFree(cache, addr);
    }

    @Override
    public long kmemCacheShrink(KmemCache cache) {
        return delegate.kmemCacheShrink(cache);
    }

    @Override
    public void kmemCacheDestroy(KmemCache cache) {
        delegate.kmemCacheDestroy(cache);
    }

    @Override
    public long kmalloc(long size, int gfp) {
        return delegate.kmalloc(size, gfp);
    }

    @Override
    public void kfree(long addr) {
        delegate.kfree(addr);
    }

    @Override
    public long ksize(long addr) {
        return delegate.ksize(addr);
    }

    @Override
    public long krealloc(long addr, long newSize, int gfp) {
        return delegate.krealloc(addr, newSize, gfp);
    }

    @Override
    public Optional<KmemCache> findCache(String name) {
        return delegate.findCache(name);
    }

    @Override
    public Optional<KmemCache> cacheOf(long addr) {
        return delegate.cacheOf(addr);
    }

    @Override
    public List<KmemCache> caches() {
        return delegate.caches();
    }

    @Override
    public SlabInfo slabinfo(KmemCache cache) {
        return delegate.slabinfo(cache);
    }

    @Override
    public Map<String, Long> stats(KmemCache cache) {
        return delegate.stats(cache);
    }

    @Override
    public List<String> validate(KmemCache cache) {
        return delegate.validate(cache);
    }

    @Override
    public Map<String, String> sysfs(KmemCache cache) {
        return delegate.sysfs(cache);
    }

    @Override
    public List<String> describe(KmemCache cache) {
        return delegate.describe(cache);
    }

    @Override
    public void poke(long addr, byte[] bytes) {
        delegate.poke(addr, bytes);
    }

    @Override
    public byte[] peek(long addr, int length) {
        return delegate.peek(addr, length);
    }
}

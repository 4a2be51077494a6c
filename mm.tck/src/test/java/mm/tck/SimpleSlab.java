package mm.tck;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.machine.PageFlags;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.slab.ObjectConstructor;
import mm.api.slab.SlabCorruptionException;
import mm.api.slab.SlabFlags;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;

/**
 * An object cache of another kind than SLUB, for the kit's own tests: one lock, no per-CPU
 * slabs, the lowest free object of the first slab with room, up to two empty slabs kept per cache
 * until kmem_cache_shrink. Debugging (red zone, poison, consistency checks) follows SLUB's
 * patterns and reports. A second variant ({@code big}) uses larger slabs, so that hand-overs
 * between the two carry slabs of a geometry the successor would not choose.
 */
final class SimpleSlab implements ObjectCache {

    static final long PAGE_OFFSET = 0xffff888000000000L;
    private static final int EMPTY_KEPT = 2;

    private final String name;
    private final boolean big;
    private final Machine machine;
    private final FrameTable ft;
    private final FrameAllocator frames;
    private final List<Cache> caches = new ArrayList<>();
    private final Map<String, Cache> byName = new HashMap<>();
    private final Map<Long, Slab> slabOfPfn = new HashMap<>();
    private final Map<Long, Integer> large = new HashMap<>();
    private boolean active;
    private volatile ObjectCache successor;

    SimpleSlab(String name, boolean big, Machine machine, FrameAllocator frames) {
        this.name = name;
        this.big = big;
        this.machine = machine;
        this.ft = machine.frames();
        this.frames = frames;
    }

    static ObjectCacheFactory factory(String name, boolean big) {
        return new ObjectCacheFactory() {
            @Override
            public String implName() {
                return name;
            }

            @Override
            public ObjectCache create(Machine machine, FrameAllocator frames) {
                return new SimpleSlab(name, big, machine, frames);
            }
        };
    }

    /** A cache. */
    final class Cache implements KmemCache {
        final String cname;
        final int objectSize;
        final int size;
        final int align;
        final long flags;
        final int order;
        final int objects;
        final ObjectConstructor ctor;
        final boolean keep;
        final boolean objectPoison;
        final int redEnd;
        final List<Slab> slabs = new ArrayList<>();

        Cache(String cname, int objectSize, int reqAlign, long flags, ObjectConstructor ctor) {
            this.cname = cname;
            this.objectSize = objectSize;
            this.flags = flags;
            this.ctor = ctor;
            int a = Math.max(8, reqAlign);
            if ((flags & SlabFlags.SLAB_HWCACHE_ALIGN) != 0) {
                int ralign = 64;
                while (objectSize <= ralign / 2) {
                    ralign /= 2;
                }
                a = Math.max(a, ralign);
            }
            if ((flags & SlabFlags.SLAB_KMALLOC) != 0 && Integer.bitCount(objectSize) == 1) {
                a = Math.max(a, objectSize);
            }
            this.align = a;
            int s = (objectSize + 7) & ~7;
            if ((flags & SlabFlags.SLAB_RED_ZONE) != 0 && s == objectSize) {
                s += 8;
            }
            this.redEnd = s;
            if ((flags & SlabFlags.SLAB_POISON) != 0 || ctor != null) {
                s += 8;
            }
            if ((flags & SlabFlags.SLAB_STORE_USER) != 0) {
                s += 64;
            }
            this.size = (s + a - 1) / a * a;
            int o = getOrder(size);
            if (big) {
                while (o < 3 && (4096 << o) / size < 16) {
                    o++;
                }
            }
            this.order = o;
            this.objects = (4096 << o) / size;
            this.keep = (flags & SlabFlags.SLAB_DEBUG_FLAGS) != 0;
            this.objectPoison = (flags & SlabFlags.SLAB_POISON) != 0 && ctor == null;
        }

        @Override
        public String name() {
            return cname;
        }

        @Override
        public int objectSize() {
            return objectSize;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int align() {
            return align;
        }

        @Override
        public long flags() {
            return flags;
        }

        @Override
        public int order() {
            return order;
        }

        @Override
        public int objectsPerSlab() {
            return objects;
        }

        boolean red() {
            return keep && (flags & SlabFlags.SLAB_RED_ZONE) != 0;
        }

        NodeStat stat() {
            return (flags & SlabFlags.SLAB_RECLAIM_ACCOUNT) != 0 ? NodeStat.NR_SLAB_RECLAIMABLE : NodeStat.NR_SLAB_UNRECLAIMABLE;
        }
    }

    /** A slab: its own geometry, as created or as handed over. */
    static final class Slab {
        final Cache cache;
        final long pfn;
        final int order;
        final int offset;
        final int stride;
        final int objects;
        final BitSet inuse;
        byte[] mem;

        Slab(Cache cache, long pfn, int order, int offset, int stride, int objects, BitSet inuse) {
            this.cache = cache;
            this.pfn = pfn;
            this.order = order;
            this.offset = offset;
            this.stride = stride;
            this.objects = objects;
            this.inuse = inuse;
        }

        long base() {
            return PAGE_OFFSET + (pfn << 12);
        }

        long addr(int i) {
            return base() + offset + (long) i * stride;
        }

        int index(long addr) {
            long rel = addr - base() - offset;
            if (rel < 0 || rel % stride != 0 || rel / stride >= objects) {
                return -1;
            }
            return (int) (rel / stride);
        }
    }

    private static int getOrder(long size) {
        return size <= 4096 ? 0 : 64 - Long.numberOfLeadingZeros((size - 1) >> 12);
    }

    // ---- subsystem ----------------------------------------------------------------------------

    @Override
    public String implName() {
        return name;
    }

    @Override
    public synchronized void adopt(Handover from) {
        caches.clear();
        byName.clear();
        slabOfPfn.clear();
        large.clear();
        successor = null;
        if (from.atBoot()) {
            for (int type = 0; type < Kmalloc.NR_KMALLOC_TYPES; type++) {
                for (int index : Kmalloc.indexesBySize()) {
                    add(new Cache(Kmalloc.cacheName(type, index), Kmalloc.kmallocSize(index), 0, Kmalloc.cacheFlags(type), null));
                }
            }
        } else {
            Map<String, String> st = from.state();
            int n = Integer.parseInt(st.get("caches"));
            for (int i = 0; i < n; i++) {
                String[] f = st.get("cache." + i).split(" ");
                int k = f.length;
                String cname = String.join(" ", Arrays.copyOf(f, k - 3));
                Cache c = new Cache(cname, Integer.parseInt(f[k - 3], 16), Integer.parseInt(f[k - 2], 16),
                        Long.parseLong(f[k - 1], 16), (ObjectConstructor) from.objects().get("cache." + i + ".ctor"));
                add(c);
                String slabs = st.getOrDefault("cache." + i + ".slabs", "");
                for (String s : slabs.split(" ")) {
                    if (s.isEmpty()) {
                        continue;
                    }
                    String[] p = s.split(":");
                    long pfn = Long.parseLong(p[0], 16);
                    BitSet inuse = BitSet.valueOf(new BigInteger(p[5], 16).toByteArray().length == 0 ? new byte[0]
                            : reverse(new BigInteger(p[5], 16).toByteArray()));
                    Slab sl = new Slab(c, pfn, Integer.parseInt(p[1], 16), Integer.parseInt(p[2], 16),
                            Integer.parseInt(p[3], 16), Integer.parseInt(p[4], 16), inuse);
                    if (c.keep) {
                        byte[] mem = (byte[]) from.objects().get("slab." + Long.toHexString(pfn) + ".mem");
                        sl.mem = mem != null ? mem : new byte[4096 << sl.order];
                    }
                    link(sl);
                }
            }
            String lg = st.getOrDefault("kmalloc.large", "");
            for (String s : lg.split(" ")) {
                if (!s.isEmpty()) {
                    String[] p = s.split(":");
                    large.put(Long.parseLong(p[0], 16), Integer.parseInt(p[1], 16));
                }
            }
        }
        active = true;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private void add(Cache c) {
        caches.add(c);
        byName.put(c.cname, c);
    }

    private void link(Slab s) {
        s.cache.slabs.add(s);
        for (long p = s.pfn; p < s.pfn + (1L << s.order); p++) {
            slabOfPfn.put(p, s);
            ft.set(p, PageFlags.PG_slab);
        }
    }

    @Override
    public synchronized Handover quiesce() {
        Map<String, String> st = new LinkedHashMap<>();
        Map<String, Object> obj = new HashMap<>();
        st.put("caches", Integer.toString(caches.size()));
        for (int i = 0; i < caches.size(); i++) {
            Cache c = caches.get(i);
            st.put("cache." + i, c.cname + " " + Integer.toHexString(c.objectSize) + " " + Integer.toHexString(c.align) + " "
                    + Long.toHexString(c.flags));
            StringBuilder sb = new StringBuilder();
            for (Slab s : c.slabs) {
                byte[] bits = s.inuse.toByteArray();
                String inuse = bits.length == 0 ? "0" : new BigInteger(1, reverse(bits)).toString(16);
                sb.append(sb.length() > 0 ? " " : "").append(Long.toHexString(s.pfn)).append(':')
                        .append(Integer.toHexString(s.order)).append(':').append(Integer.toHexString(s.offset)).append(':')
                        .append(Integer.toHexString(s.stride)).append(':').append(Integer.toHexString(s.objects)).append(':').append(inuse);
                if (s.mem != null) {
                    obj.put("slab." + Long.toHexString(s.pfn) + ".mem", s.mem);
                }
            }
            st.put("cache." + i + ".slabs", sb.toString());
            if (c.ctor != null) {
                obj.put("cache." + i + ".ctor", c.ctor);
            }
        }
        StringBuilder lg = new StringBuilder();
        for (Map.Entry<Long, Integer> e : large.entrySet()) {
            lg.append(lg.length() > 0 ? " " : "").append(Long.toHexString(e.getKey())).append(':')
                    .append(Integer.toHexString(e.getValue()));
        }
        st.put("kmalloc.large", lg.toString());
        active = false;
        return new Handover(CONTRACT, name, st, obj);
    }

    @Override
    public void forwardTo(Subsystem s) {
        successor = (ObjectCache) s;
    }

    /** The successor to pass a call to, or null to serve it; throws if quiesced without one. */
    private ObjectCache fwd() {
        if (active) {
            return null;
        }
        ObjectCache s = successor;
        if (s == null) {
            throw new IllegalStateException(name + " is quiesced");
        }
        return s;
    }

    @Override
    public synchronized List<String> check() {
        ObjectCache f = fwd();
        if (f != null) {
            return f.check();
        }
        List<String> problems = new ArrayList<>();
        long[] pages = new long[2];
        for (Cache c : caches) {
            for (Slab s : c.slabs) {
                for (long p = s.pfn; p < s.pfn + (1L << s.order); p++) {
                    if (!ft.test(p, PageFlags.PG_slab)) {
                        problems.add(c.cname + ": slab frame 0x" + Long.toHexString(p) + " without PG_slab");
                    }
                }
                if (ft.refcount(s.pfn) < 1 || ft.order(s.pfn) != s.order) {
                    problems.add(c.cname + ": slab 0x" + Long.toHexString(s.pfn) + " is not an allocated order-" + s.order
                            + " block");
                }
                pages[c.stat() == NodeStat.NR_SLAB_RECLAIMABLE ? 0 : 1] += 1L << s.order;
            }
        }
        for (int order : large.values()) {
            pages[1] += 1L << order;
        }
        if (machine.nodeState(NodeStat.NR_SLAB_RECLAIMABLE) != pages[0]
                || machine.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE) != pages[1]) {
            problems.add("slab page counters disagree with the slabs");
        }
        return problems;
    }

    // ---- caches -------------------------------------------------------------------------------

    @Override
    public synchronized KmemCache kmemCacheCreate(String cname, int size, int align, long flags, ObjectConstructor ctor) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.kmemCacheCreate(cname, size, align, flags, ctor);
        }
        if (cname == null || cname.isEmpty() || byName.containsKey(cname)) {
            throw new IllegalArgumentException("bad or duplicate name '" + cname + "'");
        }
        if (size < 1 || size > Kmalloc.KMALLOC_MAX_SIZE / 2) {
            throw new IllegalArgumentException("bad size " + size);
        }
        if (align < 0 || align != 0 && Integer.bitCount(align) != 1) {
            throw new IllegalArgumentException("bad align " + align);
        }
        if ((flags & ~SlabFlags.CREATE_MASK) != 0) {
            throw new IllegalArgumentException("bad flags " + Long.toHexString(flags));
        }
        Cache c = new Cache(cname, size, align, flags, ctor);
        add(c);
        return c;
    }

    private Cache own(KmemCache kc) {
        Cache c = kc == null ? null : byName.get(kc.name());
        if (c == null) {
            throw new IllegalArgumentException("unknown cache " + (kc == null ? null : kc.name()));
        }
        return c;
    }

    @Override
    public synchronized long kmemCacheAlloc(KmemCache kc, int gfp) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.kmemCacheAlloc(kc, gfp);
        }
        return alloc(own(kc), gfp);
    }

    private long alloc(Cache c, int gfp) {
        Slab slab = null;
        for (Slab s : c.slabs) {
            if (s.inuse.cardinality() < s.objects) {
                slab = s;
                break;
            }
        }
        if (slab == null) {
            slab = newSlab(c);
            if (slab == null) {
                return 0;
            }
        }
        int i = slab.inuse.nextClearBit(0);
        slab.inuse.set(i);
        long addr = slab.addr(i);
        if (slab.mem != null) {
            int off = (int) (addr - slab.base());
            if (c.objectPoison) {
                poison(slab.mem, off, c.objectSize);
            }
            if ((gfp & Gfp.__GFP_ZERO) != 0) {
                Arrays.fill(slab.mem, off, off + c.objectSize, (byte) 0);
            }
            if (c.red()) {
                Arrays.fill(slab.mem, off + c.objectSize, off + c.redEnd, (byte) 0xcc);
            }
        }
        return addr;
    }

    private static void poison(byte[] mem, int off, int n) {
        Arrays.fill(mem, off, off + n - 1, (byte) 0x6b);
        mem[off + n - 1] = (byte) 0xa5;
    }

    private Slab newSlab(Cache c) {
        int gfp = Gfp.GFP_KERNEL | Gfp.__GFP_COMP;
        if ((c.flags & SlabFlags.SLAB_CACHE_DMA) != 0) {
            gfp |= Gfp.__GFP_DMA;
        }
        if ((c.flags & SlabFlags.SLAB_RECLAIM_ACCOUNT) != 0) {
            gfp |= Gfp.__GFP_RECLAIMABLE;
        }
        long pfn = frames.allocPages(gfp, c.order);
        if (pfn == FrameAllocator.NO_PAGE) {
            return null;
        }
        Slab s = new Slab(c, pfn, c.order, 0, c.size, c.objects, new BitSet(c.objects));
        if (c.keep) {
            s.mem = new byte[4096 << c.order];
            Arrays.fill(s.mem, (byte) 0x5a);
            for (int i = 0; i < s.objects; i++) {
                int off = i * s.stride;
                if (c.objectPoison) {
                    poison(s.mem, off, c.objectSize);
                }
                if (c.red()) {
                    Arrays.fill(s.mem, off + c.objectSize, off + c.redEnd, (byte) 0xbb);
                }
            }
        }
        link(s);
        machine.node(ft.nid(pfn)).modState(c.stat(), 1L << c.order);
        if (c.ctor != null) {
            for (int i = 0; i < s.objects; i++) {
                c.ctor.construct(s.addr(i));
            }
        }
        return s;
    }

    private void discard(Slab s) {
        s.cache.slabs.remove(s);
        for (long p = s.pfn; p < s.pfn + (1L << s.order); p++) {
            slabOfPfn.remove(p);
            ft.clear(p, PageFlags.PG_slab);
        }
        machine.node(ft.nid(s.pfn)).modState(s.cache.stat(), -(1L << s.order));
        frames.freePages(s.pfn, s.order);
    }

    @Override
    public synchronized void kmemCacheFree(KmemCache kc, long addr) {
        ObjectCache f = fwd();
        if (f != null) {
            f.kmemCacheFree(kc, addr);
            return;
        }
        Cache c = own(kc);
        Slab s = slabOf(addr);
        if (s.cache != c) {
            throw new IllegalArgumentException("Wrong slab cache. " + c.cname + " but object is from " + s.cache.cname);
        }
        free(s, addr);
    }

    private Slab slabOf(long addr) {
        long pfn = pfn(addr);
        Slab s = pfn < 0 ? null : slabOfPfn.get(pfn);
        if (s == null) {
            throw new IllegalArgumentException("0x" + Long.toHexString(addr) + " is not a slab object");
        }
        return s;
    }

    private long pfn(long addr) {
        if (Long.compareUnsigned(addr, PAGE_OFFSET) < 0) {
            return -1;
        }
        long pfn = (addr - PAGE_OFFSET) >>> 12;
        return pfn >= ft.startPfn() && pfn < ft.endPfn() ? pfn : -1;
    }

    private void free(Slab s, long addr) {
        Cache c = s.cache;
        int i = s.index(addr);
        if (i < 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(addr) + " is not an object of " + c.cname);
        }
        boolean checks = (c.flags & SlabFlags.SLAB_CONSISTENCY_CHECKS) != 0;
        if (!s.inuse.get(i)) {
            if (checks) {
                throw new SlabCorruptionException(List.of("BUG " + c.cname + " (Not tainted): Object already free",
                        "FIX " + c.cname + ": Object at 0x" + Long.toHexString(addr) + " not freed"));
            }
            throw new IllegalArgumentException("double free of 0x" + Long.toHexString(addr));
        }
        int off = (int) (addr - s.base());
        if (checks && c.red() && !all(s.mem, off + c.objectSize, off + c.redEnd, (byte) 0xcc)) {
            Arrays.fill(s.mem, off + c.objectSize, off + c.redEnd, (byte) 0xcc);
            throw new SlabCorruptionException(List.of("BUG " + c.cname + " (Not tainted): Right Redzone overwritten",
                    "FIX " + c.cname + ": Object at 0x" + Long.toHexString(addr) + " not freed"));
        }
        s.inuse.clear(i);
        if (s.mem != null) {
            if (c.objectPoison) {
                poison(s.mem, off, c.objectSize);
            }
            if (c.red()) {
                Arrays.fill(s.mem, off + c.objectSize, off + c.redEnd, (byte) 0xbb);
            }
        }
        if (s.inuse.isEmpty()) {
            long empty = c.slabs.stream().filter(x -> x.inuse.isEmpty()).count();
            if (empty > EMPTY_KEPT) {
                discard(s);
            }
        }
    }

    private static boolean all(byte[] mem, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (mem[i] != v) {
                return false;
            }
        }
        return true;
    }

    @Override
    public synchronized long kmemCacheShrink(KmemCache kc) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.kmemCacheShrink(kc);
        }
        Cache c = own(kc);
        long pages = 0;
        for (Slab s : new ArrayList<>(c.slabs)) {
            if (s.inuse.isEmpty()) {
                pages += 1L << s.order;
                discard(s);
            }
        }
        return pages;
    }

    @Override
    public synchronized void kmemCacheDestroy(KmemCache kc) {
        ObjectCache f = fwd();
        if (f != null) {
            f.kmemCacheDestroy(kc);
            return;
        }
        Cache c = own(kc);
        if (c.slabs.stream().anyMatch(s -> !s.inuse.isEmpty())) {
            throw new IllegalStateException("kmem_cache_destroy " + c.cname + ": Slab cache still has objects (Objects remaining "
                    + "in " + c.cname + " on __kmem_cache_shutdown())");
        }
        kmemCacheShrink(c);
        caches.remove(c);
        byName.remove(c.cname);
    }

    // ---- kmalloc ------------------------------------------------------------------------------

    @Override
    public synchronized long kmalloc(long size, int gfp) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.kmalloc(size, gfp);
        }
        if (size < 0 || size > Kmalloc.KMALLOC_MAX_SIZE) {
            throw new IllegalArgumentException("kmalloc size " + size);
        }
        if (size == 0) {
            return ZERO_SIZE_PTR;
        }
        if (size <= Kmalloc.KMALLOC_MAX_CACHE_SIZE) {
            return alloc(byName.get(Kmalloc.cacheName(Kmalloc.kmallocType(gfp), Kmalloc.kmallocIndex(size))), gfp);
        }
        int order = Kmalloc.largeOrder(size);
        long pfn = frames.allocPages((gfp & ~Gfp.__GFP_ACCOUNT) | Gfp.__GFP_COMP, order);
        if (pfn == FrameAllocator.NO_PAGE) {
            return 0;
        }
        large.put(pfn, order);
        machine.node(ft.nid(pfn)).modState(NodeStat.NR_SLAB_UNRECLAIMABLE, 1L << order);
        return PAGE_OFFSET + (pfn << 12);
    }

    @Override
    public synchronized void kfree(long addr) {
        ObjectCache f = fwd();
        if (f != null) {
            f.kfree(addr);
            return;
        }
        if (addr == 0 || addr == ZERO_SIZE_PTR) {
            return;
        }
        long pfn = pfn(addr);
        if (pfn >= 0 && large.containsKey(pfn) && addr == PAGE_OFFSET + (pfn << 12)) {
            int order = large.remove(pfn);
            machine.node(ft.nid(pfn)).modState(NodeStat.NR_SLAB_UNRECLAIMABLE, -(1L << order));
            frames.freePages(pfn, order);
            return;
        }
        Slab s = slabOf(addr);
        free(s, addr);
    }

    @Override
    public synchronized long ksize(long addr) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.ksize(addr);
        }
        if (addr == ZERO_SIZE_PTR) {
            return 0;
        }
        long pfn = pfn(addr);
        if (pfn >= 0 && large.containsKey(pfn)) {
            return 4096L << large.get(pfn);
        }
        return slabOf(addr).cache.objectSize;
    }

    @Override
    public synchronized long krealloc(long addr, long newSize, int gfp) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.krealloc(addr, newSize, gfp);
        }
        if (newSize == 0) {
            kfree(addr);
            return ZERO_SIZE_PTR;
        }
        long ks = addr == 0 || addr == ZERO_SIZE_PTR ? 0 : ksize(addr);
        if (newSize <= ks) {
            return addr;
        }
        long p = kmalloc(newSize, gfp);
        if (p != 0) {
            kfree(addr);
        }
        return p;
    }

    @Override
    public synchronized Optional<KmemCache> findCache(String cname) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.findCache(cname);
        }
        return Optional.ofNullable(byName.get(cname));
    }

    @Override
    public synchronized Optional<KmemCache> cacheOf(long addr) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.cacheOf(addr);
        }
        long pfn = pfn(addr);
        Slab s = pfn < 0 ? null : slabOfPfn.get(pfn);
        return s == null ? Optional.empty() : Optional.of(s.cache);
    }

    @Override
    public synchronized List<KmemCache> caches() {
        ObjectCache f = fwd();
        if (f != null) {
            return f.caches();
        }
        return List.copyOf(caches);
    }

    @Override
    public synchronized SlabInfo slabinfo(KmemCache kc) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.slabinfo(kc);
        }
        Cache c = own(kc);
        long active = 0;
        long total = 0;
        for (Slab s : c.slabs) {
            active += s.inuse.cardinality();
            total += s.objects;
        }
        return new SlabInfo(c.cname, active, total, c.size, c.objects, 1 << c.order, c.slabs.size(), c.slabs.size());
    }

    @Override
    public Map<String, Long> stats(KmemCache kc) {
        return Map.of();
    }

    @Override
    public synchronized List<String> validate(KmemCache kc) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.validate(kc);
        }
        Cache c = own(kc);
        List<String> out = new ArrayList<>();
        for (Slab s : c.slabs) {
            if (s.mem == null) {
                continue;
            }
            for (int i = 0; i < s.objects; i++) {
                int off = (int) (s.addr(i) - s.base());
                boolean used = s.inuse.get(i);
                if (c.red()) {
                    byte want = used ? (byte) 0xcc : (byte) 0xbb;
                    if (!all(s.mem, off + c.objectSize, off + c.redEnd, want)) {
                        out.add("BUG " + c.cname + " (Not tainted): Right Redzone overwritten");
                        Arrays.fill(s.mem, off + c.objectSize, off + c.redEnd, want);
                    }
                }
                if (!used && c.objectPoison && !(all(s.mem, off, off + c.objectSize - 1, (byte) 0x6b)
                        && s.mem[off + c.objectSize - 1] == (byte) 0xa5)) {
                    out.add("BUG " + c.cname + " (Not tainted): Poison overwritten");
                    poison(s.mem, off, c.objectSize);
                }
            }
        }
        return out;
    }

    @Override
    public synchronized Map<String, String> sysfs(KmemCache kc) {
        Cache c = own(kc);
        return Map.of("object_size", Integer.toString(c.objectSize), "slab_size", Integer.toString(c.size), "order",
                Integer.toString(c.order), "objs_per_slab", Integer.toString(c.objects));
    }

    @Override
    public synchronized List<String> describe(KmemCache kc) {
        Cache c = own(kc);
        List<String> out = new ArrayList<>();
        for (Slab s : c.slabs) {
            out.add("slab 0x" + Long.toHexString(s.pfn) + " inuse " + s.inuse.cardinality() + "/" + s.objects);
        }
        return out;
    }

    @Override
    public synchronized void poke(long addr, byte[] bytes) {
        ObjectCache f = fwd();
        if (f != null) {
            f.poke(addr, bytes);
            return;
        }
        Slab s = slabOf(addr);
        int off = (int) (addr - s.base());
        if (s.mem == null || off + bytes.length > s.mem.length) {
            throw new IllegalArgumentException("no kept contents at 0x" + Long.toHexString(addr));
        }
        System.arraycopy(bytes, 0, s.mem, off, bytes.length);
    }

    @Override
    public synchronized byte[] peek(long addr, int length) {
        ObjectCache f = fwd();
        if (f != null) {
            return f.peek(addr, length);
        }
        Slab s = slabOf(addr);
        int off = (int) (addr - s.base());
        if (s.mem == null || off + length > s.mem.length) {
            throw new IllegalArgumentException("no kept contents at 0x" + Long.toHexString(addr));
        }
        return Arrays.copyOfRange(s.mem, off, off + length);
    }
}

package mm.core.slab;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.LongToIntFunction;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectConstructor;
import mm.api.subsystem.Handover;

/**
 * Writes and reads the {@link ObjectCache} hand-over: the caches with their geometry and
 * constructor, every slab with the objects in use, the large kmalloc blocks (the keys are
 * documented on {@link ObjectCache}). Any implementation can adopt what any other wrote, since
 * each slab says where its objects are.
 */
public final class SlabHandover {

    private SlabHandover() {
    }

    /** Makes a cache while reading a hand-over. */
    @FunctionalInterface
    public interface CacheMaker {
        /** The new cache. */
        SlabCache make(String name, int size, int align, long flags, ObjectConstructor ctor);
    }

    /** The hand-over of these caches (in creation order), slabs and large blocks. */
    public static Handover write(String contract, String impl, List<? extends SlabCache> caches, List<Slab> slabs, Map<Long, Integer> large) {
        Map<String, String> state = new HashMap<>();
        Map<String, Object> objects = new HashMap<>();
        Map<SlabCache, Integer> index = new IdentityHashMap<>();
        Map<Integer, StringBuilder> slabText = new HashMap<>();
        state.put("caches", Integer.toString(caches.size()));
        for (int i = 0; i < caches.size(); i++) {
            SlabCache c = caches.get(i);
            index.put(c, i);
            state.put("cache." + i, c.name() + " " + Integer.toHexString(c.objectSize()) + " " + Integer.toHexString(c.align()) + " "
                    + Long.toHexString(c.flags()));
            if (c.ctor() != null) {
                objects.put("cache." + i + ".ctor", c.ctor());
            }
        }
        for (Slab s : slabs) {
            Integer i = index.get(s.cache);
            if (i == null) {
                continue;
            }
            BigInteger inuse = BigInteger.ZERO;
            for (int k = 0; k < s.objects; k++) {
                if (s.allocated(k)) {
                    inuse = inuse.setBit(k);
                }
            }
            StringBuilder sb = slabText.computeIfAbsent(i, k -> new StringBuilder());
            sb.append(sb.length() > 0 ? " " : "").append(Long.toHexString(s.pfn)).append(':').append(Integer.toHexString(s.order)).append(':')
                    .append(Integer.toHexString(s.base)).append(':').append(Integer.toHexString(s.stride)).append(':')
                    .append(Integer.toHexString(s.objects)).append(':').append(inuse.toString(16));
            if (s.mem != null) {
                objects.put("slab." + Long.toHexString(s.pfn) + ".mem", s.mem);
            }
        }
        slabText.forEach((i, sb) -> state.put("cache." + i + ".slabs", sb.toString()));
        StringBuilder lg = new StringBuilder();
        large.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                lg.append(lg.length() > 0 ? " " : "").append(Long.toHexString(e.getKey())).append(':').append(Integer.toHexString(e.getValue())));
        state.put("kmalloc.large", lg.toString());
        return new Handover(contract, impl, state, objects);
    }

    /**
     * Reads a hand-over: makes each cache, then rebuilds each slab (objects in use as they were,
     * free objects chained in address order) and hands it to {@code slabs}, then each large block.
     *
     * @throws IllegalStateException naming the key that cannot be read
     */
    public static void read(Handover h, DirectMap dm, LongToIntFunction nidOf, CacheMaker maker, Consumer<Slab> slabs,
            BiConsumer<Long, Integer> large) {
        int n = Integer.parseInt(required(h, "caches"));
        List<SlabCache> made = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String[] f = required(h, "cache." + i).split(" ");
            if (f.length != 4) {
                throw new IllegalStateException("hand-over key cache." + i + " is '" + h.state().get("cache." + i) + "': expected NAME SIZE ALIGN FLAGS");
            }
            ObjectConstructor ctor = (ObjectConstructor) h.objects().get("cache." + i + ".ctor");
            made.add(maker.make(f[0], Integer.parseInt(f[1], 16), Integer.parseInt(f[2], 16), Long.parseLong(f[3], 16), ctor));
        }
        for (int i = 0; i < n; i++) {
            String text = h.state().get("cache." + i + ".slabs");
            if (text == null || text.isEmpty()) {
                continue;
            }
            for (String entry : text.split(" ")) {
                slabs.accept(slab(made.get(i), entry, h, dm, nidOf));
            }
        }
        String lg = h.state().getOrDefault("kmalloc.large", "");
        if (!lg.isEmpty()) {
            for (String e : lg.split(" ")) {
                String[] f = e.split(":");
                large.accept(Long.parseLong(f[0], 16), Integer.parseInt(f[1], 16));
            }
        }
    }

    private static Slab slab(SlabCache c, String entry, Handover h, DirectMap dm, LongToIntFunction nidOf) {
        String[] f = entry.split(":");
        if (f.length != 6) {
            throw new IllegalStateException("hand-over slab '" + entry + "' of " + c.name() + ": expected PFN:ORDER:OFFSET:STRIDE:OBJECTS:INUSE");
        }
        long pfn = Long.parseLong(f[0], 16);
        int order = Integer.parseInt(f[1], 16);
        int base = Integer.parseInt(f[2], 16);
        int stride = Integer.parseInt(f[3], 16);
        int objects = Integer.parseInt(f[4], 16);
        BigInteger inuse = new BigInteger(f[5], 16);
        Slab s = new Slab(c, pfn, order, nidOf.applyAsInt(pfn), base, stride, objects);
        int prev = -1;
        int used = 0;
        s.freelist = Slab.END;
        for (int k = 0; k < objects; k++) {
            if (inuse.testBit(k)) {
                s.next[k] = Slab.ALLOCATED;
                used++;
            } else {
                if (prev < 0) {
                    s.freelist = k;
                } else {
                    s.next[prev] = (short) k;
                }
                prev = k;
            }
        }
        if (prev >= 0) {
            s.next[prev] = Slab.END;
        }
        s.inuse = used;
        s.mem = (byte[]) h.objects().get("slab." + Long.toHexString(pfn) + ".mem");
        if (s.mem == null && c.geometry().debug()) {
            s.mem = new byte[s.bytes()];
            SlabDebug.initSlab(s, dm);
        } else if (s.mem != null) {
            for (int k = 0; k < objects; k++) {
                if (!s.allocated(k)) {
                    SlabDebug.setFreePointer(s, k, dm, s.next[k]);
                }
            }
        }
        return s;
    }

    private static String required(Handover h, String key) {
        String v = h.state().get(key);
        if (v == null) {
            throw new IllegalStateException("the ObjectCache hand-over from '" + h.fromImpl() + "' has no key " + key);
        }
        return v;
    }
}

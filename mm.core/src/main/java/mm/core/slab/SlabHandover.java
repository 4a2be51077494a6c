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
     * @throws IllegalStateException naming the key that is missing, or the key and value that
     *         cannot be read and what was expected (never a NumberFormatException, an index out of
     *         bounds or a ClassCastException)
     */
    public static void read(Handover h, DirectMap dm, LongToIntFunction nidOf, CacheMaker maker, Consumer<Slab> slabs,
            BiConsumer<Long, Integer> large) {
        int n = (int) number("caches", required(h, "caches"), required(h, "caches"), 10, Integer.MAX_VALUE, "a decimal count of caches");
        List<SlabCache> made = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String key = "cache." + i;
            String value = required(h, key);
            String[] f = value.split(" ");
            if (f.length != 4) {
                throw bad(key, value, "expected NAME SIZE ALIGN FLAGS");
            }
            String fmt = "NAME SIZE ALIGN FLAGS in hexadecimal";
            Object ctor = h.objects().get(key + ".ctor");
            if (ctor != null && !(ctor instanceof ObjectConstructor)) {
                throw new IllegalStateException("hand-over object " + key + ".ctor is a " + ctor.getClass().getName()
                        + ": expected an ObjectConstructor or none");
            }
            made.add(maker.make(f[0], (int) number(key, value, f[1], 16, Integer.MAX_VALUE, fmt),
                    (int) number(key, value, f[2], 16, Integer.MAX_VALUE, fmt), number(key, value, f[3], 16, Long.MAX_VALUE, fmt),
                    (ObjectConstructor) ctor));
        }
        for (int i = 0; i < n; i++) {
            String key = "cache." + i + ".slabs";
            String text = h.state().get(key);
            if (text == null || text.isEmpty()) {
                continue;
            }
            for (String entry : text.split(" ")) {
                slabs.accept(slab(made.get(i), key, entry, h, dm, nidOf));
            }
        }
        String lg = h.state().getOrDefault("kmalloc.large", "");
        if (!lg.isEmpty()) {
            String fmt = "ADDRESS:ORDER in hexadecimal, separated by spaces";
            for (String e : lg.split(" ")) {
                String[] f = e.split(":");
                if (f.length != 2) {
                    throw bad("kmalloc.large", lg, "entry '" + e + "': expected " + fmt);
                }
                large.accept(number("kmalloc.large", lg, f[0], 16, Long.MAX_VALUE, fmt),
                        (int) number("kmalloc.large", lg, f[1], 16, Integer.MAX_VALUE, fmt));
            }
        }
    }

    /**
     * A field of a hand-over value: a number from 0 to {@code max} in {@code radix} (hexadecimal
     * values may be written unsigned, as {@link Long#toHexString} does).
     *
     * @throws IllegalStateException naming the key and its value otherwise
     */
    private static long number(String key, String value, String field, int radix, long max, String expected) {
        long v;
        try {
            v = radix == 16 ? Long.parseUnsignedLong(field, 16) : Long.parseLong(field, radix);
        } catch (NumberFormatException e) {
            throw bad(key, value, "'" + field + "' is not a number: expected " + expected);
        }
        if (v < 0 && max != Long.MAX_VALUE || v > max) {
            throw bad(key, value, "'" + field + "' is out of range: expected " + expected);
        }
        return v;
    }

    private static IllegalStateException bad(String key, String value, String what) {
        return new IllegalStateException("hand-over key " + key + " is '" + value + "': " + what);
    }

    private static Slab slab(SlabCache c, String key, String entry, Handover h, DirectMap dm, LongToIntFunction nidOf) {
        String fmt = "PFN:ORDER:OFFSET:STRIDE:OBJECTS:INUSE in hexadecimal";
        String[] f = entry.split(":");
        if (f.length != 6) {
            throw bad(key, entry, "expected " + fmt);
        }
        long pfn = number(key, entry, f[0], 16, Long.MAX_VALUE, fmt);
        int order = (int) number(key, entry, f[1], 16, Integer.MAX_VALUE, fmt);
        int base = (int) number(key, entry, f[2], 16, Integer.MAX_VALUE, fmt);
        int stride = (int) number(key, entry, f[3], 16, Integer.MAX_VALUE, fmt);
        int objects = (int) number(key, entry, f[4], 16, Short.MAX_VALUE, fmt);
        BigInteger inuse;
        try {
            inuse = new BigInteger(f[5], 16);
        } catch (NumberFormatException e) {
            throw bad(key, entry, "'" + f[5] + "' is not a number: expected " + fmt);
        }
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

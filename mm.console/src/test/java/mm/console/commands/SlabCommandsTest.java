package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import mm.api.machine.Machine;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabCorruptionException;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Switchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The slab commands against a scripted ObjectCache: what they print, return and refuse, and what they isolate. */
class SlabCommandsTest {

    record Cache(String name, int objectSize, int size, int align, long flags, int order, int objectsPerSlab)
            implements KmemCache {
    }

    private static final KmemCache KMALLOC_128 = new Cache("kmalloc-128", 128, 128, 8, 0, 0, 32);
    private static final KmemCache FOO = new Cache("foo", 100, 104, 8, 0, 0, 39);
    private static final long OBJ = 0xffff888004a1c080L;

    /** What the fake ObjectCache answers, by method name. */
    private final Map<String, Function<Object[], Object>> answers = new HashMap<>();
    private final List<String> failed = new ArrayList<>();
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private PrintStream stdout;
    private SlabCommands commands;

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Function<java.lang.reflect.Method, Function<Object[], Object>> answer) {
        return (T) Proxy.newProxyInstance(SlabCommandsTest.class.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            Function<Object[], Object> a = answer.apply(m);
            if (a == null) {
                throw new UnsupportedOperationException(m.getName());
            }
            return a.apply(args);
        });
    }

    @BeforeEach
    void setUp() {
        stdout = System.out;
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        answers.put("implName", a -> "fake");
        answers.put("findCache", a -> Optional.ofNullable(Map.of("foo", FOO, "kmalloc-128", KMALLOC_128).get((String) a[0])));
        commands = new SlabCommands();
        commands.machine = proxy(Machine.class, m -> switch (m.getName()) {
            case "currentCpu" -> a -> 0;
            case "runOn" -> a -> ((Supplier<?>) a[1]).get();
            default -> null;
        });
        commands.slabs = proxy(ObjectCache.class, m -> answers.get(m.getName()));
        commands.switchboard = proxy(Switchboard.class, m -> m.getName().equals("fail") ? a -> {
            failed.add(a[0] + ": " + a[1]);
            return a[0] + ": fake failed (" + a[1] + "); slub is active again";
        } : null);
    }

    @AfterEach
    void tearDown() {
        System.setOut(stdout);
        commands.deactivate();
    }

    private String error(Runnable r) {
        return assertThrows(CommandError.class, r::run).getMessage();
    }

    @Test
    void kmallocPrintsTheAddressAndItsCacheAndReturnsIt() {
        answers.put("kmalloc", a -> OBJ);
        answers.put("cacheOf", a -> Optional.of(KMALLOC_128));

        SlabObject got = commands.kmalloc("100");

        assertEquals("0xffff888004a1c080 kmalloc-128", got.toString());
        assertEquals(OBJ, got.addr());
    }

    @Test
    void kmallocOfZeroIsZeroSizePtrAndALargeOneIsPages() {
        answers.put("kmalloc", a -> (Long) a[0] == 0 ? ObjectCache.ZERO_SIZE_PTR : 0xffff888104a00000L);
        answers.put("cacheOf", a -> Optional.empty());

        assertEquals("0x0000000000000010 (ZERO_SIZE_PTR)", commands.kmalloc("0").toString());
        assertEquals("0xffff888104a00000 (order-2 pages)", commands.kmalloc("16K", "GFP_KERNEL+__GFP_ZERO").toString());
        assertEquals("0xffff888104a00000 (order-2 pages)", commands.kmalloc("8193").toString()); // 3 pages round up to 4
        assertEquals("0xffff888104a00000 (order-10 pages)", commands.kmalloc("4M").toString());
    }

    @Test
    void kmallocThatGetsNullSaysOutOfMemory() {
        answers.put("kmalloc", a -> 0L);

        assertEquals("kmalloc: out of memory (100 bytes, GFP_KERNEL)", error(() -> commands.kmalloc("100")));
        assertEquals("size '5M' is not valid: accepted are 0 to 4194304 (4M) bytes, e.g. 100, 0x80, 4K, 2M",
                error(() -> commands.kmalloc("5M")));
    }

    @Test
    void aComplaintOfTheImplementationIsTheOneLine() {
        answers.put("kfree", a -> {
            throw new IllegalArgumentException("kfree: 0xffff888004a1c080 was never allocated");
        });

        assertEquals("kfree: 0xffff888004a1c080 was never allocated", error(() -> commands.kfree("0xffff888004a1c080")));
        assertTrue(failed.isEmpty());
    }

    @Test
    void aCorruptionPrintsTheReportAndRefusesInOneLine() {
        List<String> report = List.of(
                "=============================================================================",
                "BUG kmalloc-128 (Not tainted): Object already free",
                "-----------------------------------------------------------------------------");
        answers.put("kfree", a -> {
            throw new SlabCorruptionException(report);
        });

        assertEquals("kfree: refused, see the report above", error(() -> commands.kfree(Long.toString(OBJ))));
        assertEquals(String.join("\n", report) + "\n", printed.toString(StandardCharsets.UTF_8));
        assertTrue(failed.isEmpty(), "a corruption is no misbehaviour of the implementation");
    }

    @Test
    void anyOtherExceptionIsAMisbehaviourTheSwitchboardHandles() {
        answers.put("ksize", a -> {
            throw new NullPointerException("boom");
        });

        assertEquals("ObjectCache: fake failed (ksize threw java.lang.NullPointerException: boom); slub is active again",
                error(() -> commands.ksize("0xffff888004a1c080")));
        assertEquals(List.of("ObjectCache: ksize threw java.lang.NullPointerException: boom"), failed);
    }

    @Test
    void withoutAnActiveObjectCacheEveryCommandSaysSo() {
        commands.slabs = null;

        assertEquals("no ObjectCache implementation is active: mm:impls lists the installed ones", error(commands::slabinfo));
    }

    @Test
    void cachesByNameAndTheirRoundTrip() {
        answers.put("kmemCacheCreate", a -> {
            assertEquals(List.of("foo", 100, 0, 0L), List.of(a[0], a[1], a[2], a[3]));
            return FOO;
        });
        answers.put("kmemCacheAlloc", a -> OBJ);
        answers.put("kmemCacheFree", a -> {
            assertEquals(List.of(FOO, OBJ), List.of(a[0], a[1]));
            return null;
        });
        answers.put("kmemCacheDestroy", a -> {
            throw new IllegalStateException("kmem_cache_destroy foo: Slab cache still has objects; "
                    + "Objects remaining in foo on __kmem_cache_shutdown()");
        });
        answers.put("kmemCacheShrink", a -> 1L);

        assertEquals("foo: object_size 100, size 104, align 8, order 0 (1 page), 39 objects per slab, flags 0",
                commands.kmem_cache_create("foo", "100"));
        SlabObject p = commands.kmem_cache_alloc("foo");
        assertEquals("0xffff888004a1c080 foo", p.toString());
        commands.kmem_cache_free("foo", p.toString());
        assertEquals("foo: 1 page returned to the page allocator", commands.kmem_cache_shrink("foo"));
        assertTrue(error(() -> commands.kmem_cache_destroy("foo")).endsWith("Objects remaining in foo on __kmem_cache_shutdown()"));
        assertEquals("no cache named 'bar': mm:slabinfo lists the caches", error(() -> commands.kmem_cache_alloc("bar")));
        assertEquals("align 24 is not a power of two: accepted are 0 (the default) or a power of two up to 4096",
                error(() -> commands.kmem_cache_create("baz", "100", "24")));
    }

    @Test
    void slabinfoListsTheNewestCacheFirstAsTheKernelDoes() {
        answers.put("caches", a -> List.of(KMALLOC_128, FOO));
        answers.put("slabinfo", a -> {
            KmemCache c = (KmemCache) a[0];
            return new SlabInfo(c.name(), 1, c.objectsPerSlab(), c.size(), c.objectsPerSlab(), 1, 1, 1);
        });

        String[] lines = commands.slabinfo().split("\n");

        assertEquals(4, lines.length);
        assertEquals("slabinfo - version: 2.1", lines[0]);
        assertTrue(lines[2].startsWith("foo      "), lines[2]);
        assertTrue(lines[3].startsWith("kmalloc-128 "), lines[3]);
        assertEquals(" Active / Total Caches (% used)     : 2 / 2 (100.0%)", commands.slabtop("20").split("\n")[2]);
        assertEquals("rows '0' is not valid: accepted are 1 to 100000", error(() -> commands.slabtop("0")));
    }

    @Test
    void validatePrintsEachErrorThenFailsInOneLine() {
        // two kernel reports: each error a BUG line, its details and a FIX line
        List<String> reports = List.of("BUG kmalloc-128 (Not tainted): Poison overwritten", "Slab 0x1 objects=32 used=1",
                "FIX kmalloc-128: Restoring Poison", "BUG kmalloc-128 (Not tainted): Right Redzone overwritten",
                "Object 0x2", "FIX kmalloc-128: Restoring Right Redzone");
        answers.put("validate", a -> a[0] == FOO ? List.of() : reports);

        assertEquals("foo: consistent, validate found no errors", commands.validate("foo"));
        assertEquals("validate: 2 errors in kmalloc-128, listed above", error(() -> commands.validate("kmalloc-128")));
        assertEquals(String.join("\n", reports) + "\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void pokeAndPeekAndSysfs() {
        byte[][] memory = {new byte[16]};
        answers.put("poke", a -> {
            byte[] b = (byte[]) a[1];
            System.arraycopy(b, 0, memory[0], (int) ((Long) a[0] - OBJ), b.length);
            return null;
        });
        answers.put("peek", a -> java.util.Arrays.copyOf(memory[0], (Integer) a[1]));
        answers.put("sysfs", a -> Map.of("order", "0", "objs_per_slab", "32"));

        commands.poke("0xffff888004a1c082", "deadbeef");
        assertEquals("ffff888004a1c080: 00 00 de ad be ef 00 00" + " ".repeat(26) + "........", commands.peek("0xffff888004a1c080", "8"));
        assertEquals("objs_per_slab: 32\norder: 0", commands.sysfs("kmalloc-128"));
        assertEquals("32", commands.sysfs("kmalloc-128", "objs_per_slab"));
        assertEquals("no file 'bogus' in /sys/kernel/slab/kmalloc-128/: mm:sysfs kmalloc-128 lists them",
                error(() -> commands.sysfs("kmalloc-128", "bogus")));
    }
}

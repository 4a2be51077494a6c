package mm.core.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import mm.api.subsystem.Handover;
import org.junit.jupiter.api.Test;

/** SlabHandover.read refuses a value it cannot read with one IllegalStateException naming the key, the value and the format. */
class SlabHandoverTest {

    private static String readError(Map<String, String> state, Map<String, Object> objects) {
        Handover h = new Handover("ObjectCache", "test", state, objects);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SlabHandover.read(h, null, pfn -> 0,
                (name, size, align, flags, ctor) -> null, s -> { }, (addr, order) -> { }));
        return e.getMessage();
    }

    private static String readError(Map<String, String> state) {
        return readError(state, Map.of());
    }

    @Test
    void aCountThatIsNoNumber() {
        assertEquals("hand-over key caches is 'x': 'x' is not a number: expected a decimal count of caches",
                readError(Map.of("caches", "x")));
    }

    @Test
    void aCacheSizeThatIsNoNumber() {
        assertEquals("hand-over key cache.0 is 'c zz 8 0': 'zz' is not a number: expected NAME SIZE ALIGN FLAGS in hexadecimal",
                readError(Map.of("caches", "1", "cache.0", "c zz 8 0")));
    }

    @Test
    void aConstructorThatIsNoObjectConstructor() {
        assertEquals("hand-over object cache.0.ctor is a java.lang.String: expected an ObjectConstructor or none",
                readError(Map.of("caches", "1", "cache.0", "c 40 8 0"), Map.of("cache.0.ctor", "not a ctor")));
    }

    @Test
    void aLargeBlockWithoutItsOrder() {
        Map<String, String> state = new HashMap<>(Map.of("caches", "0", "kmalloc.large", "1000:2 2000"));
        assertEquals("hand-over key kmalloc.large is '1000:2 2000': entry '2000': expected ADDRESS:ORDER in hexadecimal, "
                + "separated by spaces", readError(state));
    }

    @Test
    void aSlabWhoseInUseMaskIsNoNumber() {
        assertEquals("hand-over key cache.0.slabs is '10:0:0:40:40:q': 'q' is not a number: expected "
                + "PFN:ORDER:OFFSET:STRIDE:OBJECTS:INUSE in hexadecimal",
                readError(Map.of("caches", "1", "cache.0", "c 40 8 0", "cache.0.slabs", "10:0:0:40:40:q")));
    }
}

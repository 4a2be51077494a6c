package mm.console.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SysfsFormatterTest {

    private static final Map<String, String> FILES = new HashMap<>(Map.of(
            "order", "0", "objs_per_slab", "32", "object_size", "128", "partial", "1 N0=1", "alloc_fastpath", "12 C0=12"));

    @Test
    void everyFileSortedByName() {
        assertEquals("alloc_fastpath: 12 C0=12\nobject_size: 128\nobjs_per_slab: 32\norder: 0\npartial: 1 N0=1\n",
                SysfsFormatter.format(FILES));
    }

    @Test
    void oneFileAsCatPrintsIt() {
        assertEquals("1 N0=1\n", SysfsFormatter.file(FILES, "partial"));
        assertNull(SysfsFormatter.file(FILES, "bogus"));
    }
}

package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The replay's own hash tables against java.util.HashMap, under random puts and removes. */
class TablesTest {

    @Test
    void longLongMapAgreesWithHashMap() {
        Random r = new Random(7);
        LongLongMap m = new LongLongMap();
        Map<Long, Long> ref = new HashMap<>();
        for (int i = 0; i < 300_000; i++) {
            long k = r.nextInt(5000) * (r.nextBoolean() ? 1L : 0x10000L) - 100;
            switch (r.nextInt(3)) {
                case 0 -> {
                    Long old = ref.put(k, (long) i);
                    assertEquals(old == null ? LongLongMap.MISSING : old, m.put(k, i));
                }
                case 1 -> assertEquals(ref.containsKey(k) ? ref.remove(k) : LongLongMap.MISSING, m.remove(k));
                default -> assertEquals(ref.getOrDefault(k, LongLongMap.MISSING), m.get(k));
            }
            assertEquals(ref.size(), m.size());
        }
    }

    @Test
    void regionTableFindsRegions() {
        RegionTable t = new RegionTable(8);
        String line = "xx GFP_KERNEL|__GFP_ZERO yy";
        assertEquals(-1, t.find(line, 3, 24));
        String k = t.put(line, 3, 24, 42);
        assertEquals("GFP_KERNEL|__GFP_ZERO", k);
        int at = t.find("GFP_KERNEL|__GFP_ZERO", 0, 21);
        assertEquals(42, t.valueAt(at));
        assertEquals(k, t.keyAt(at));
        // full at half its capacity: further keys are not remembered, still returned
        t.put("a", 0, 1, 1);
        t.put("b", 0, 1, 2);
        t.put("c", 0, 1, 3);
        assertEquals("d", t.put("d", 0, 1, 4));
        assertEquals(-1, t.find("d", 0, 1));
    }
}

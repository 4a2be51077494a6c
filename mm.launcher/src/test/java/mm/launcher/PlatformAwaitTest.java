package mm.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The launcher's one wait loop: the first value the condition gives, or null at the deadline. */
class PlatformAwaitTest {

    @Test
    void returnsTheFirstValueGiven() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();
        String v = Platform.await(5_000, 1, () -> asked.incrementAndGet() == 3 ? "up" : null);
        assertEquals("up", v);
        assertEquals(3, asked.get());
    }

    @Test
    void givesUpAtTheDeadline() throws InterruptedException {
        AtomicInteger asked = new AtomicInteger();
        long t0 = System.nanoTime();
        assertNull(Platform.await(50, 5, () -> {
            asked.incrementAndGet();
            return null;
        }));
        assertTrue(System.nanoTime() - t0 >= 50_000_000L);
        assertTrue(asked.get() >= 2, "asked again after the first miss: " + asked.get());
    }
}

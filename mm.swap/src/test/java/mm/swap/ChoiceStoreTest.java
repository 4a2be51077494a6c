package mm.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Telling the switchboard's own configuration writes from edits made elsewhere, which it applies. */
class ChoiceStoreTest {

    @Test
    void choicesAreTheKnownContractsOnly() {
        assertEquals(Map.of("FrameAllocator", "bitmap"),
                ChoiceStore.choices(Map.of("FrameAllocator", " bitmap ", "Bogus", "x", "ObjectCache", " ", ChoiceStore.SEQ, "3")));
        assertEquals(Map.of(), ChoiceStore.choices(null));
    }

    @Test
    void aWriteWithoutASequenceNumberIsSomeoneElses() {
        ChoiceStore store = new ChoiceStore();
        store.start(Map.of());
        store.save(null, "FrameAllocator", "bitmap"); // no ConfigAdmin: remembered, not numbered
        assertFalse(store.ownWrite(Map.of("FrameAllocator", "bitmap")));
    }

    @Test
    void theLatestChoiceWinsWhoeverMadeIt() {
        ChoiceStore store = new ChoiceStore();
        store.start(Map.of("FrameAllocator", "stud"));
        assertEquals("stud", store.chosen("FrameAllocator"));
        store.save(null, "FrameAllocator", "buddy"); // mm:use after a configured start
        assertEquals("buddy", store.chosen("FrameAllocator"), "a later arrival of 'stud' must not swap it back");
        store.edited(Map.of("FrameAllocator", "bitmap", ChoiceStore.SEQ, "9"));
        assertEquals("bitmap", store.chosen("FrameAllocator"));
        assertEquals(null, store.chosen("ObjectCache"));
    }

    @Test
    void anEditWithTheLatestNumberButOtherValuesIsSomeoneElses() {
        ChoiceStore store = new ChoiceStore();
        store.start(Map.of("FrameAllocator", "buddy", ChoiceStore.SEQ, "7"));
        assertTrue(store.ownWrite(Map.of("FrameAllocator", "buddy", ChoiceStore.SEQ, "7")));
        assertTrue(store.ownWrite(Map.of("FrameAllocator", "bitmap", ChoiceStore.SEQ, "6")), "an older write of its own");
        assertFalse(store.ownWrite(Map.of("FrameAllocator", "bitmap", ChoiceStore.SEQ, "7")), "edited by hand");
        assertFalse(store.ownWrite(Map.of("FrameAllocator", "buddy", ChoiceStore.SEQ, "8")), "a number it never wrote");
        assertFalse(store.ownWrite(Map.of("FrameAllocator", "buddy", ChoiceStore.SEQ, "x")));
    }
}

package mm.console.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Locale;
import mm.api.subsystem.Switchboard.Candidate;
import mm.api.subsystem.Switchboard.State;
import org.junit.jupiter.api.Test;

/** mm:impls' table, the same in every locale. */
class ImplsFormatterTest {

    private static final List<Candidate> CANDIDATES = List.of(
            new Candidate("FrameAllocator", "buddy", "mm.buddy", "1.0.0.SNAPSHOT", State.ACTIVE, true, null),
            new Candidate("FrameAllocator", "bitmap", "mm.bitmap", "1.0.0.SNAPSHOT", State.FAILED, false, "it threw"),
            new Candidate("ObjectCache", "slub", "mm.slub", "1.0.0.SNAPSHOT", State.ACTIVE, true, null));

    private static final String EXPECTED = """
              CONTRACT        IMPL    STATE           BUNDLE     VERSION
            * FrameAllocator  buddy   active          mm.buddy   1.0.0.SNAPSHOT  reference
              FrameAllocator  bitmap  failed          mm.bitmap  1.0.0.SNAPSHOT
            * ObjectCache     slub    active          mm.slub    1.0.0.SNAPSHOT  reference
              PageTable       -       none installed
              Reclaimer       -       none installed
              MemCgroup       -       none installed

            Why failed:
              FrameAllocator bitmap: it threw

            Not loaded:
              load/x.jar: not a bundle
            """;

    @Test
    void tableProblemsAndNotes() {
        assertEquals(EXPECTED, ImplsFormatter.format(CANDIDATES, List.of("load/x.jar: not a bundle")));
    }

    @Test
    void statesAreLowerCaseAsInEnglishInATurkishLocale() {
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals(EXPECTED, ImplsFormatter.format(CANDIDATES, List.of("load/x.jar: not a bundle")));
        } finally {
            Locale.setDefault(before);
        }
    }
}

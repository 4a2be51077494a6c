package mm.tck;

import static mm.tck.BrokenVariants.MACHINES;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The allow-list of checks without a broken variant is exact: a check missing from it, or a name that is no check, fails. */
class BrokenVariantsTest {

    private static final FrameAllocatorConformance SUITE = new FrameAllocatorConformance(MACHINES,
            BitmapAllocator.factory("lowest-fit", false));

    private static Set<String> all() {
        return SUITE.checks().stream().map(ConformanceCheck::name).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyCheckOnTheListAndNoRowPasses() {
        BrokenVariants.uncoveredAreExactly(SUITE, List.of(), all());
    }

    @Test
    void aCheckWithoutARowNorAPlaceOnTheListFails() {
        Set<String> listed = all();
        listed.remove("handover-rollback");
        AssertionError e = assertThrows(AssertionError.class, () -> BrokenVariants.uncoveredAreExactly(SUITE, List.of(), listed));
        assertTrue(e.getMessage().contains("handover-rollback"), e.getMessage());
    }

    @Test
    void aNameOnTheListThatIsNoCheckFails() {
        Set<String> listed = all();
        listed.add("no-such-check");
        AssertionError e = assertThrows(AssertionError.class, () -> BrokenVariants.uncoveredAreExactly(SUITE, List.of(), listed));
        assertTrue(e.getMessage().startsWith("the allow-list names no-such-check, which is no check"), e.getMessage());
    }
}

package mm.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a report says: one line per check, the score over the checks that ran, rounded down. */
class ConformanceReportTest {

    @Test
    void formatPrintsOneLinePerCheckThenTheScore() {
        ConformanceReport r = new ConformanceReport("FrameAllocator", "bitmap", List.of(
                CheckResult.pass("adoption-accounts-all-free-memory"),
                CheckResult.fail("bad-frees-rejected", "freePages(0x1000, 0) (already freed) was accepted:\n the contract requires "
                        + "IllegalArgumentException"),
                CheckResult.skip("handover-across-implementations", "no reference implementation was supplied"),
                CheckResult.pass("gfp-zero-clears-content")));

        assertEquals("""
                PASS adoption-accounts-all-free-memory
                FAIL bad-frees-rejected: freePages(0x1000, 0) (already freed) was accepted: the contract requires \
                IllegalArgumentException
                SKIP handover-across-implementations: no reference implementation was supplied
                PASS gfp-zero-clears-content
                score: 2/3 (66%)""", r.format());
        assertEquals("score: 2/3 (66%)", r.scoreLine());
        assertFalse(r.passed());
        assertEquals(2, r.passedCount());
        assertEquals(1, r.failedCount());
        assertEquals(1, r.skippedCount());
        assertEquals(3, r.total());
        assertEquals(2.0 / 3, r.score(), 1e-9);
    }

    @Test
    void aReportWithSkipsButNoFailurePassesWithFullMarks() {
        ConformanceReport r = new ConformanceReport("FrameAllocator", "buddy", List.of(CheckResult.pass("a"),
                CheckResult.skip("b", "no reference")));
        assertTrue(r.passed());
        assertEquals(1.0, r.score());
        assertEquals("PASS a\nSKIP b: no reference\nscore: 1/1 (100%)", r.format());
    }

    @Test
    void oneFailureInTwoHundredIsNotAHundredPercent() {
        List<CheckResult> results = new java.util.ArrayList<>();
        for (int i = 0; i < 199; i++) {
            results.add(CheckResult.pass("c" + i));
        }
        results.add(CheckResult.fail("last", "x"));
        String f = new ConformanceReport("FrameAllocator", "x", results).format();
        assertTrue(f.endsWith("FAIL last: x\nscore: 199/200 (99%)"), f);
    }

    @Test
    void anEmptyReportScoresFull() {
        ConformanceReport r = new ConformanceReport("FrameAllocator", "x", List.of());
        assertEquals("score: 0/0 (100%)", r.format());
        assertEquals("score: 0/0 (100%)", r.scoreLine());
        assertTrue(r.passed());
    }

    @Test
    void reasonsAreOneLine() {
        assertEquals("a b c", CheckResult.fail("n", "  a\n\tb  \r\n c ").reason());
        assertEquals("", CheckResult.fail("n", null).reason());
        assertEquals("PASS n", CheckResult.pass("n").format());
    }
}

package mm.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import mm.tck.CheckResult.Status;
import org.junit.jupiter.api.Test;

/**
 * How a check's body becomes a result: returning passes, a failed assertion fails with its
 * message, any other exception fails naming it and where the implementation threw it, a skip
 * skips, and a body that never returns fails at the time limit saying where it was stuck.
 */
class ConformanceCheckTest {

    private static final Duration LIMIT = Duration.ofSeconds(10);

    @Test
    void aBodyThatReturnsPasses() {
        CheckResult r = new ConformanceCheck("fine", "nothing to prove", () -> { }).run(LIMIT);
        assertEquals(CheckResult.pass("fine"), r);
    }

    @Test
    void aFailedAssertionFailsWithItsMessageOnOneLine() {
        CheckResult r = new ConformanceCheck("c", "d", () -> Expect.that(1 + 1 == 3, "1 + 1 is %d,\nnot 3", 2)).run(LIMIT);
        assertEquals(Status.FAIL, r.status());
        assertEquals("1 + 1 is 2, not 3", r.reason());
    }

    @Test
    void anExceptionFailsNamingItAndWhereItWasThrown() {
        CheckResult r = new ConformanceCheck("c", "d", () -> throwing()).run(LIMIT);
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.reason().startsWith("IllegalStateException: the allocator is not active (thrown in mm.tck.ConformanceCheckTest"
                + ".throwing(ConformanceCheckTest.java:"), r.reason());
    }

    private static void throwing() {
        throw new IllegalStateException("the allocator is not active");
    }

    @Test
    void aSkipIsNeitherPassNorFail() {
        CheckResult r = new ConformanceCheck("c", "d", () -> ConformanceCheck.skip("no reference")).run(LIMIT);
        assertEquals(CheckResult.skip("c", "no reference"), r);
    }

    @Test
    void aBodyThatNeverReturnsFailsAtTheTimeLimitSayingWhereItIs() {
        CountDownLatch never = new CountDownLatch(1);
        CheckResult r = new ConformanceCheck("hang", "d", never::await).run(Duration.ofMillis(300));
        assertEquals(Status.FAIL, r.status());
        assertTrue(r.reason().startsWith("did not finish within 300 ms (a call that never returns?)"), r.reason());
        assertTrue(r.cause() instanceof java.util.concurrent.TimeoutException, String.valueOf(r.cause()));
    }

    @Test
    void theIllegalArgumentHelperNamesWhatWasWrong() {
        AssertionError accepted = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> Expect.illegalArgument("freePages(0x10, 0)", () -> { }));
        assertEquals("freePages(0x10, 0) was accepted: the contract requires IllegalArgumentException", accepted.getMessage());
        AssertionError other = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> Expect.illegalArgument("freePages(0x10, 0)", () -> {
                    throw new IndexOutOfBoundsException("pfn 16");
                }));
        assertEquals("freePages(0x10, 0) threw IndexOutOfBoundsException (pfn 16): the contract requires IllegalArgumentException",
                other.getMessage());
        Expect.illegalArgument("ok", () -> {
            throw new IllegalArgumentException("fine");
        });
    }
}

package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import mm.api.frame.Gfp;
import mm.buddy.BuddyFactory;
import mm.core.trace.KmemTrace;
import mm.hw.machine.MachineFactoryImpl;
import org.junit.jupiter.api.Test;

/** Page events of hand-written traces, each line as the kernel prints it (KmemTrace's arguments). */
class PageEventsReplayTest {

    private static String line(String event, String args) {
        return "            java-5239    [001] d..3.   199.128519: " + event + ": " + args + "\n";
    }

    private static ReplayReport replay(String trace) throws IOException {
        Replay r = Replay.prepare(new MachineFactoryImpl(), FallbackReplayTest.SHAPE, new BuddyFactory(), null, ReplayOptions.DEFAULT);
        return r.run(TraceInput.of(trace.getBytes(StandardCharsets.ISO_8859_1)), "pages", null);
    }

    /** A failed allocation of the kernel prints a null page and pfn 0: counted as the kernel's failure, nothing allocated. */
    @Test
    void kernelFailureIsCountedNotReenacted() throws IOException {
        String trace = line("mm_page_alloc", KmemTrace.mmPageAllocArgs(-1, 3, 0, Gfp.GFP_KERNEL))
                + line("mm_page_alloc", KmemTrace.mmPageAllocArgs(0x1000, 0, 0, Gfp.GFP_KERNEL))
                + line("mm_page_free", KmemTrace.mmPageFreeArgs(0x1000, 0));
        ReplayReport r = replay(trace);
        assertEquals(0, r.errors(), () -> r.firstErrors().toString());
        assertEquals(1, r.pages().kernelFailures());
        assertEquals(1, r.pages().allocs());
        assertEquals(0, r.pages().failures());
        assertEquals(1, r.pages().frees());
        assertEquals(0, r.pagesHeld());
        assertTrue(r.balanced());
    }

    /**
     * free_unref_folios prints mm_page_free(page, order) then mm_page_free_batched (order=0 always)
     * for every folio of a per-CPU order: the batched line of an order-2 or order-9 free confirms it;
     * after an order-4 free (not a per-CPU order) it is a free of its own, of a page already freed.
     */
    @Test
    void batchedLineConfirmsTheFreeOfEveryPerCpuOrder() throws IOException {
        String trace = line("mm_page_alloc", KmemTrace.mmPageAllocArgs(0x2000, 2, 0, Gfp.GFP_KERNEL))
                + line("mm_page_alloc", KmemTrace.mmPageAllocArgs(0x4000, 9, 1, Gfp.GFP_HIGHUSER_MOVABLE))
                + line("mm_page_alloc", KmemTrace.mmPageAllocArgs(0x6000, 4, 0, Gfp.GFP_KERNEL))
                + line("mm_page_free", KmemTrace.mmPageFreeArgs(0x2000, 2))
                + line("mm_page_free_batched", KmemTrace.mmPageFreeBatchedArgs(0x2000))
                + line("mm_page_free", KmemTrace.mmPageFreeArgs(0x4000, 9))
                + line("mm_page_free_batched", KmemTrace.mmPageFreeBatchedArgs(0x4000))
                + line("mm_page_free", KmemTrace.mmPageFreeArgs(0x6000, 4))
                + line("mm_page_free_batched", KmemTrace.mmPageFreeBatchedArgs(0x6000));
        ReplayReport r = replay(trace);
        assertEquals(0, r.errors(), () -> r.firstErrors().toString());
        assertEquals(3, r.pages().allocs());
        assertEquals(3, r.pages().frees());
        assertEquals(2, r.pages().batchedConfirmations());
        assertEquals(1, r.pages().unknownFrees());
        assertEquals(0, r.pages().orderMismatches());
        assertTrue(r.balanced());
    }
}

package mm.hw.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mm.api.machine.MachineConfig;
import mm.api.trace.TraceRecord;
import mm.api.trace.Tracepoint;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

class TracerImplTest {

    private final AtomicLong now = new AtomicLong();
    private final TracerImpl t = new TracerImpl(now::get, () -> 1, 2);

    @Test
    void theKmemAndVmscanEventsAreKnownAndOff() {
        assertEquals(11, t.events().size());
        assertTrue(t.events().contains("kmem:mm_page_alloc"));
        assertTrue(t.events().contains("vmscan:mm_vmscan_wakeup_kswapd"));
        for (String e : t.events()) {
            String[] se = e.split(":");
            assertFalse(t.tracepoint(se[0], se[1]).enabled(), e);
        }
        assertSame(t.tracepoint("kmem", "kmalloc"), t.tracepoint("kmem", "kmalloc"));
    }

    @Test
    void selectionLikeSetEvent() {
        t.tracepoint("vmscan", "mm_vmscan_kswapd_wake");
        assertEquals(1, t.setEnabled("kmem:mm_page_alloc", true));
        assertTrue(t.tracepoint("kmem", "mm_page_alloc").enabled());
        assertFalse(t.tracepoint("kmem", "mm_page_free").enabled());
        assertEquals(10, t.setEnabled("kmem:*", true));
        assertFalse(t.tracepoint("vmscan", "mm_vmscan_kswapd_wake").enabled());
        assertEquals(12, t.setEnabled("*:*", true));
        assertEquals(1, t.setEnabled("mm_page_free", false));
        assertFalse(t.tracepoint("kmem", "mm_page_free").enabled());
        assertEquals(6, t.setEnabled("mm_page_*", false));
        assertEquals(0, t.setEnabled("nosuch:*", true));
        assertEquals(1, t.setEnabled("*:mm_vmscan_kswapd_wake", false));
        assertThrows(IllegalArgumentException.class, () -> t.setEnabled(" ", true));
    }

    /** matching: what setEnabled would select, changing nothing. */
    @Test
    void matchingSelectsWithoutEnabling() {
        assertEquals(List.of("kmem:mm_page_alloc", "kmem:mm_page_alloc_extfrag", "kmem:mm_page_alloc_zone_locked"),
                t.matching("mm_page_alloc*"));
        assertEquals(List.of("vmscan:mm_vmscan_wakeup_kswapd"), t.matching("vmscan:"));
        assertEquals(t.events(), t.matching("*:*"));
        assertEquals(List.of(), t.matching("nosuch:*"));
        for (String e : t.events()) {
            String[] se = e.split(":");
            assertFalse(t.tracepoint(se[0], se[1]).enabled(), e);
        }
        assertThrows(IllegalArgumentException.class, () -> t.matching(""));
    }

    @Test
    void recordsCarryClockCpuAndTask() {
        Tracepoint p = t.tracepoint("kmem", "kfree");
        now.set(1_234_567_000L);
        p.emit("call_site=x+0x0/0x0 ptr=0000000000000010");
        List<TraceRecord> r = t.records();
        assertEquals(1, r.size());
        assertEquals("      mm-console-0       [001] .....     1.234567: kfree: call_site=x+0x0/0x0 ptr=0000000000000010",
                r.get(0).format());
    }

    @Test
    void theRingOverwritesItsOldest() {
        t.setBufferSizeKb(1);
        int cap = t.capacity();
        assertEquals(1024 / TracerImpl.ENTRY_BYTES * 2, cap);
        Tracepoint p = t.tracepoint("kmem", "kfree");
        for (int i = 0; i < cap + 5; i++) {
            p.emit("n=" + i);
        }
        List<TraceRecord> r = t.records();
        assertEquals(cap, r.size());
        assertEquals("n=5", r.get(0).args());
        assertEquals("n=" + (cap + 4), r.get(cap - 1).args());
        assertEquals(cap + 5, t.entriesWritten());
        t.clear();
        assertEquals(0, t.records().size());
        assertEquals(0, t.entriesWritten());
    }

    @Test
    void sinksSeeEveryRecord() throws Exception {
        List<TraceRecord> seen = new ArrayList<>();
        AutoCloseable h = t.addSink(seen::add);
        t.tracepoint("kmem", "kfree").emit("a");
        h.close();
        t.tracepoint("kmem", "kfree").emit("b");
        assertEquals(1, seen.size());
    }

    /** The machine's tracer: the kernel's default buffer_size_kb per CPU, for each of the machine's CPUs. */
    @Test
    void theMachineOwnsOne() {
        MachineImpl m = MachineImpl.boot(MachineConfig.DEFAULT.withMem(MachineConfig.parseSize("256M")).withCpus(3));
        assertEquals(TracerImpl.DEFAULT_BUFFER_SIZE_KB, m.tracer().bufferSizeKb());
        assertEquals(TracerImpl.DEFAULT_BUFFER_SIZE_KB * 1024 / TracerImpl.ENTRY_BYTES * 3, m.tracer().capacity());
    }
}

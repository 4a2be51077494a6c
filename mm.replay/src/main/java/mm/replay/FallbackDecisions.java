package mm.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import mm.api.trace.TraceRecord;
import mm.api.trace.TraceSink;

/**
 * The kernel's fallback decisions of a trace set beside the simulator's. When an allocation finds
 * no free block of its own migratetype, the kernel takes one of another type
 * ({@code __rmqueue_claim}, which may claim the whole pageblock in {@code try_to_claim_block}, or
 * {@code __rmqueue_steal}, mm/page_alloc.c) and prints {@code mm_page_alloc_extfrag} while it
 * does, before the {@code mm_page_alloc} line of that allocation, on the same CPU. A per-CPU
 * refill ({@code rmqueue_bulk}) may fall back more than once for one allocation: the first
 * fallback is the one compared. The simulator's buddy allocator prints the same event through the
 * replay machine's tracer, where this sink hears it.
 *
 * <p>An allocation of the trace is a fallback decision when its CPU printed an extfrag line since
 * its last {@code mm_page_alloc} with the same order and migratetype as the allocation
 * ({@code alloc_order}, {@code alloc_migratetype}); an extfrag line followed by another allocation
 * (one the kernel did not print, or a lost event) is counted as unpaired. The decision is
 * reproduced when the re-enacted allocation fell back too, for the same alloc_migratetype from the
 * same fallback_migratetype; the ownership matches too when change_ownership (the pageblock
 * claimed) is the same. The simulator's fallbacks for allocations the kernel served without one
 * are counted apart; they mean something only if the trace has extfrag lines at all (the event
 * enabled).
 */
final class FallbackDecisions implements TraceSink {

    /** The event's name as the kernel prints it. */
    static final String EVENT = EventType.MM_PAGE_ALLOC_EXTFRAG.eventName();
    /** CONFIG_NR_CPUS's largest value on x86_64: CPUs beyond are read but not paired. */
    private static final int MAX_CPUS = 8192;

    private final int kept;
    // per trace CPU: the first extfrag line since that CPU's last mm_page_alloc
    private TraceEvent[] pending = new TraceEvent[8];
    // the first extfrag the simulator printed since beforeAlloc()
    private TraceRecord simulated;
    private final TraceParser simParser = new TraceParser();

    private boolean inTrace;
    private long total;
    private long reproduced;
    private long ownership;
    private long simulatorOnly;
    private long unpaired;
    private final List<String> differences = new ArrayList<>();

    /** @param kept how many differences to keep, with their line numbers */
    FallbackDecisions(int kept) {
        this.kept = kept;
    }

    /** An extfrag line of the trace: pending on its CPU until that CPU's next mm_page_alloc. */
    void kernel(TraceEvent extfrag) {
        inTrace = true;
        int cpu = extfrag.cpu();
        if (cpu < 0 || cpu >= MAX_CPUS) {
            unpaired++;
            return;
        }
        if (cpu >= pending.length) {
            pending = Arrays.copyOf(pending, Math.min(MAX_CPUS, Math.max(cpu + 1, pending.length * 2)));
        }
        if (pending[cpu] == null) {
            pending[cpu] = extfrag;
        }
    }

    /** Before the simulator re-enacts an mm_page_alloc: forget fallbacks of earlier work (slab refills). */
    void beforeAlloc() {
        simulated = null;
    }

    /** After the simulator re-enacted {@code alloc}: the kernel's decision, if any, and the simulator's compared. */
    void afterAlloc(TraceEvent alloc) {
        int cpu = alloc.cpu();
        TraceEvent k = null;
        if (cpu >= 0 && cpu < pending.length) {
            k = pending[cpu];
            pending[cpu] = null;
        }
        if (k != null && (k.get(Slot.ALLOC_ORDER) != alloc.get(Slot.ORDER)
                || k.get(Slot.ALLOC_MIGRATETYPE) != alloc.get(Slot.MIGRATETYPE))) {
            unpaired++;
            k = null;
        }
        TraceRecord s = simulated;
        simulated = null;
        if (k == null) {
            if (s != null) {
                simulatorOnly++;
            }
            return;
        }
        total++;
        TraceEvent sim = s == null ? null : simParser.parse(s.format());
        if (sim != null && sim.get(Slot.ALLOC_MIGRATETYPE) == k.get(Slot.ALLOC_MIGRATETYPE)
                && sim.get(Slot.FALLBACK_MIGRATETYPE) == k.get(Slot.FALLBACK_MIGRATETYPE)) {
            reproduced++;
            if (sim.get(Slot.CHANGE_OWNERSHIP) == k.get(Slot.CHANGE_OWNERSHIP)) {
                ownership++;
                return;
            }
        }
        if (differences.size() < kept) {
            differences.add("line " + k.lineNo() + ": order " + alloc.get(Slot.ORDER) + " " + decision(k) + " in the kernel, "
                    + (sim == null ? "no fallback" : decision(sim)) + " in the simulator");
        }
    }

    /** {@code alloc_migratetype=0 fallback_migratetype=1 change_ownership=1}, as the event prints them. */
    private static String decision(TraceEvent e) {
        return "alloc_migratetype=" + e.get(Slot.ALLOC_MIGRATETYPE) + " fallback_migratetype=" + e.get(Slot.FALLBACK_MIGRATETYPE)
                + " change_ownership=" + e.get(Slot.CHANGE_OWNERSHIP);
    }

    /** The simulator's mm_page_alloc_extfrag records, as the replay machine's tracer emits them. */
    @Override
    public void accept(TraceRecord record) {
        if (simulated == null && EVENT.equals(record.event())) {
            simulated = record;
        }
    }

    /** The figures so far; extfrag lines still pending at the end of the trace count as unpaired. */
    ReplayReport.Fallbacks report() {
        long left = unpaired;
        for (TraceEvent e : pending) {
            if (e != null) {
                left++;
            }
        }
        return new ReplayReport.Fallbacks(inTrace, new ReplayReport.Decisions(total, reproduced, differences), ownership,
                simulatorOnly, left);
    }
}

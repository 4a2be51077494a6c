package mm.console.replay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mm.console.proc.Table;
import mm.core.page.FragmentationIndex;
import mm.replay.ParseStats;
import mm.replay.ReplayReport;

/**
 * {@code mm:replay}'s report and {@code mm:replaycmp}'s table.
 *
 * <pre>
 * replay of trace.txt on buddy + slub, a fresh x86_64, 4 GiB RAM, 4 CPUs, 1 node
 * lines               20110 (12 comments and headers)
 * events              20098
 *   mm_page_alloc      4714
 * ...
 * </pre>
 */
public final class ReplayFormatter {

    private ReplayFormatter() {
    }

    /** The report of one replay; events per second only with {@code timing}. */
    public static String report(String source, ReplayReport r, boolean timing) {
        StringBuilder sb = new StringBuilder();
        ParseStats s = r.parse();
        sb.append("replay of ").append(source).append(" on ").append(r.frameImpl())
                .append(r.cacheImpl() == null ? " (no object cache: object events not re-enacted)" : " + " + r.cacheImpl())
                .append(", a fresh ").append(r.machine()).append('\n');
        row(sb, "lines", s.lines() + " (" + s.skipped() + " comments and headers)");
        row(sb, "events", Long.toString(s.events()));
        int w = 0;
        for (String name : s.eventsByName().keySet()) {
            w = Math.max(w, name.length());
        }
        for (Map.Entry<String, Long> e : s.eventsByName().entrySet()) {
            sb.append("  ").append(pad(e.getKey(), w)).append(' ').append(String.format(Locale.ROOT, "%7d", e.getValue())).append('\n');
        }
        if (s.lostNotices() > 0) {
            row(sb, "lost events", s.lostEvents() + " (" + s.lostNotices() + " CPU:N [LOST M EVENTS] lines)");
        }
        row(sb, "unparsed lines", unparsed(s));
        if (r.readError() != null) {
            row(sb, "incomplete", r.readError() + "; the lines before it are replayed");
        }
        ReplayReport.PageEvents p = r.pages();
        row(sb, "pages", "allocated " + p.allocs() + ", failed " + p.failures()
                + (p.kernelFailures() > 0 ? ", failed by the kernel " + p.kernelFailures() + " (not re-enacted)" : "") + ", freed " + p.frees() + ", frees of unknown pages "
                + p.unknownFrees() + ", batched frees confirming a free " + p.batchedConfirmations()
                + (p.orderMismatches() > 0 ? ", order mismatches " + p.orderMismatches() : "")
                + (p.reallocated() > 0 ? ", pfns handed out again unfreed " + p.reallocated() : ""));
        row(sb, "fallback decisions", fallbacks(r.fallbacks()));
        for (String d : r.fallbacks().decisions().firstDifferences()) {
            sb.append("  ").append(d).append('\n');
        }
        if (r.cacheImpl() != null) {
            ReplayReport.ObjectEvents o = r.objects();
            row(sb, "objects", "allocated " + o.allocs() + ", failed " + o.failures() + ", freed " + o.frees() + ", frees of unknown objects "
                    + o.unknownFrees() + (o.nullFrees() > 0 ? ", kfree(NULL) " + o.nullFrees() : "") + ", caches created "
                    + o.cachesCreated() + (o.reallocated() > 0 ? ", pointers handed out again unfreed " + o.reallocated() : ""));
            row(sb, "kmalloc decisions", decisions(r.kmalloc()) + " reproduced (the kernel's bytes_alloc = the simulator's ksize)");
            for (String d : r.kmalloc().firstDifferences()) {
                sb.append("  ").append(d).append('\n');
            }
        }
        row(sb, "allocation failures", Long.toString(p.failures() + r.objects().failures()));
        row(sb, "not re-enacted", r.notReenacted() + " (per-CPU refills and drains, other events)");
        if (r.errors() > 0) {
            row(sb, "errors", r.errors() + " calls threw");
            for (String e : r.firstErrors()) {
                sb.append("  ").append(e).append('\n');
            }
        }
        sb.append("fragmentation: unusable free space index, order ").append(r.fragOrder()).append(", sampled every ").append(r.sampleEvery())
                .append(" events (mm/vmstat.c unusable_free_index)\n");
        int zw = 0;
        for (ReplayReport.ZoneFragmentation z : r.zones()) {
            zw = Math.max(zw, z.zone().length());
        }
        for (ReplayReport.ZoneFragmentation z : r.zones()) {
            sb.append("  ").append(pad(z.zone(), zw)).append("  start ").append(FragmentationIndex.format(z.start())).append("  worst ")
                    .append(FragmentationIndex.format(z.worst())).append(" (after event ").append(z.worstAtEvent()).append(")  end ")
                    .append(FragmentationIndex.format(z.end())).append('\n');
        }
        row(sb, "free pages", "at start " + r.freeAtStart() + " = at end " + r.freeAtEnd() + " + held by the replay " + r.pagesHeld()
                + " + slab pages " + r.slabPagesHeld() + (r.balanced() ? "" : "  (UNBALANCED)"));
        if (timing) {
            row(sb, "events/s", String.format(Locale.ROOT, "%.0f (%d events in %.1f ms)", r.eventsPerSecond(), s.events(),
                    r.elapsedNanos() / 1e6));
        }
        return sb.toString().stripTrailing();
    }

    /** The side-by-side table of one trace replayed on several implementations. */
    public static String compare(String source, List<ReplayReport> reports, boolean timing) {
        ReplayReport first = reports.get(0);
        ReplayReport.ZoneFragmentation mz = first.mainZone();
        StringBuilder sb = new StringBuilder();
        sb.append("replay of ").append(source).append(", each on a fresh ").append(first.machine())
                .append(first.cacheImpl() == null ? ", no object cache" : ", object caches " + first.cacheImpl()).append('\n');
        sb.append(first.parse().events()).append(" events, ").append(first.parse().unparsed()).append(" unparsed lines")
                .append(first.readError() == null ? "" : " (" + first.readError() + ")").append("; fragmentation: ")
                .append("unusable free space index, order ").append(first.fragOrder()).append(", ")
                .append(mz == null ? "no zone" : mz.zone().replace("Node 0, zone ", "zone ")).append('\n');
        List<String[]> rows = new ArrayList<>();
        List<String> head = new ArrayList<>(List.of("IMPL", "FAILURES", "UNKNOWN FREES", "FRAG WORST", "FRAG END",
                "FALLBACKS REPRODUCED", "KMALLOC REPRODUCED"));
        if (timing) {
            head.add("EVENTS/S");
        }
        rows.add(head.toArray(String[]::new));
        for (ReplayReport r : reports) {
            ReplayReport.ZoneFragmentation z = r.mainZone();
            List<String> row = new ArrayList<>(List.of(r.frameImpl(),
                    Long.toString(r.pages().failures() + r.objects().failures()),
                    Long.toString(r.pages().unknownFrees() + r.objects().unknownFrees()),
                    z == null ? "-" : FragmentationIndex.format(z.worst()),
                    z == null ? "-" : FragmentationIndex.format(z.end()),
                    fallbackCell(r.fallbacks()),
                    r.cacheImpl() == null ? "-" : decisions(r.kmalloc())));
            if (timing) {
                row.add(String.format(Locale.ROOT, "%.0f", r.eventsPerSecond()));
            }
            rows.add(row.toArray(String[]::new));
        }
        Table.Align[] align = new Table.Align[head.size()];
        Arrays.fill(align, Table.Align.RIGHT);
        align[0] = Table.Align.LEFT;
        sb.append(Table.format(rows, align));
        return sb.toString().stripTrailing();
    }

    private static String decisions(ReplayReport.Decisions d) {
        return d.reproduced() + "/" + d.total();
    }

    /**
     * {@code 12/14 reproduced (ownership 11/14); simulator fell back 3 more times}, or "not in
     * trace" when the trace has no mm_page_alloc_extfrag line: then the simulator's own fallbacks
     * compare with nothing.
     */
    private static String fallbacks(ReplayReport.Fallbacks f) {
        if (!f.inTrace()) {
            return "not in trace (no mm_page_alloc_extfrag line)";
        }
        ReplayReport.Decisions d = f.decisions();
        return decisions(d) + " reproduced (ownership " + f.ownershipReproduced() + "/" + d.total() + "); simulator fell back "
                + f.simulatorOnly() + (f.simulatorOnly() == 1 ? " more time" : " more times")
                + (f.unpaired() > 0 ? "; extfrag lines without their mm_page_alloc " + f.unpaired() : "");
    }

    /** {@code 12/14}, {@code 12/14 +3} when the simulator fell back 3 more times, {@code -} when not in the trace. */
    private static String fallbackCell(ReplayReport.Fallbacks f) {
        if (!f.inTrace()) {
            return "-";
        }
        return decisions(f.decisions()) + (f.simulatorOnly() > 0 ? " +" + f.simulatorOnly() : "");
    }

    private static String unparsed(ParseStats s) {
        if (s.unparsed() == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder(Long.toString(s.unparsed())).append(", first at");
        String sep = " ";
        for (ParseStats.BadLine b : s.firstUnparsed()) {
            sb.append(sep).append("line ").append(b.lineNo()).append(" (").append(b.reason()).append(')');
            sep = ", ";
        }
        if (s.parserErrors() > 0) {
            sb.append("; ").append(s.parserErrors()).append(" of them the parser's own errors (a bug: please report)");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String label, String value) {
        sb.append(pad(label, 20)).append(value).append('\n');
    }

    private static String pad(String s, int w) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < w) {
            sb.append(' ');
        }
        return sb.toString();
    }
}

package mm.console.compact;

import java.util.List;
import mm.api.frame.CompactResult;
import mm.console.proc.Seq;

/**
 * What {@code mm:compact} prints: one row per zone compacted, with how it ended, the
 * /proc/vmstat counters of the run, and the free blocks of the order asked for (pageblock order for
 * the whole zone) before and after.
 */
public final class CompactFormatter {

    private CompactFormatter() {
    }

    /** One zone's run and its free blocks of at least {@code order} before and after. */
    public record Row(CompactResult result, long blocksBefore, long blocksAfter) {
    }

    /** The header, then a row per zone; {@code order} is the order the block columns count. */
    public static String format(List<Row> rows, int order) {
        Seq m = new Seq();
        m.printf("%-21s %-17s %9s %7s %15s %12s %9s  %s\n", "", "result", "migrated", "failed", "migrate_scanned", "free_scanned",
                "isolated", "free blocks >= order " + order);
        for (Row r : rows) {
            CompactResult c = r.result();
            m.printf("Node %d, zone %8s %-17s %9d %7d %15d %12d %9d  %d -> %d\n", c.zone().nid(), c.zone().name(),
                    c.status().kernelName(), c.migrated(), c.failed(), c.migrateScanned(), c.freeScanned(), c.isolated(),
                    r.blocksBefore(), r.blocksAfter());
        }
        return m.toString();
    }
}

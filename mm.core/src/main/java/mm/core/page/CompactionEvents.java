package mm.core.page;

import java.util.concurrent.atomic.LongAdder;
import mm.api.frame.CompactResult;

/**
 * The compaction counters of /proc/vmstat ({@code enum vm_event_item}, mm/vmstat.c's
 * {@code vmstat_text}): {@code compact_migrate_scanned}, {@code compact_free_scanned},
 * {@code compact_isolated}, {@code compact_stall}, {@code compact_fail}, {@code compact_success},
 * {@code pgmigrate_success}, {@code pgmigrate_fail}.
 */
public final class CompactionEvents {

    private final LongAdder migrateScanned = new LongAdder();
    private final LongAdder freeScanned = new LongAdder();
    private final LongAdder isolated = new LongAdder();
    private final LongAdder stall = new LongAdder();
    private final LongAdder fail = new LongAdder();
    private final LongAdder success = new LongAdder();
    private final LongAdder migrateSuccess = new LongAdder();
    private final LongAdder migrateFail = new LongAdder();

    void add(CompactResult r) {
        migrateScanned.add(r.migrateScanned());
        freeScanned.add(r.freeScanned());
        isolated.add(r.isolated());
        migrateSuccess.add(r.migrated());
        migrateFail.add(r.failed());
    }

    void countStall() {
        stall.increment();
    }

    void countFail() {
        fail.increment();
    }

    void countSuccess() {
        success.increment();
    }

    /** {@code compact_migrate_scanned}. */
    public long migrateScanned() {
        return migrateScanned.sum();
    }

    /** {@code compact_free_scanned}. */
    public long freeScanned() {
        return freeScanned.sum();
    }

    /** {@code compact_isolated}. */
    public long isolated() {
        return isolated.sum();
    }

    /** {@code compact_stall}: direct compactions. */
    public long stall() {
        return stall.sum();
    }

    /** {@code compact_fail}: direct compactions after which the allocation still failed. */
    public long fail() {
        return fail.sum();
    }

    /** {@code compact_success}: direct compactions after which the allocation succeeded. */
    public long success() {
        return success.sum();
    }

    /** {@code pgmigrate_success}. */
    public long migrateSuccess() {
        return migrateSuccess.sum();
    }

    /** {@code pgmigrate_fail}. */
    public long migrateFail() {
        return migrateFail.sum();
    }

    /** The lines /proc/vmstat prints for them, in its order. */
    @Override
    public String toString() {
        return "pgmigrate_success " + migrateSuccess() + "\npgmigrate_fail " + migrateFail() + "\ncompact_migrate_scanned "
                + migrateScanned() + "\ncompact_free_scanned " + freeScanned() + "\ncompact_isolated " + isolated()
                + "\ncompact_stall " + stall() + "\ncompact_fail " + fail() + "\ncompact_success " + success() + "\n";
    }
}

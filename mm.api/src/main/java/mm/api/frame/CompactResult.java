package mm.api.frame;

import mm.api.machine.Zone;

/**
 * What one run of compaction over a zone did ({@code compact_zone}, mm/compaction.c), with the
 * counters the kernel adds to /proc/vmstat for it.
 *
 * @param zone the zone
 * @param status how it ended
 * @param migrateScanned frames the migrate scanner looked at ({@code compact_migrate_scanned})
 * @param freeScanned frames the free scanner looked at ({@code compact_free_scanned})
 * @param isolated frames isolated, free ones and ones to migrate ({@code compact_isolated})
 * @param migrated frames moved ({@code pgmigrate_success})
 * @param failed frames isolated to move that did not ({@code pgmigrate_fail})
 */
public record CompactResult(Zone zone, Status status, long migrateScanned, long freeScanned, long isolated, long migrated,
        long failed) {

    /**
     * {@code enum compact_result}, named as the compaction tracepoints print them
     * ({@code compaction_status_string}), in the kernel's order: a later one is a better result.
     */
    public enum Status {
        /** COMPACT_NOT_SUITABLE_ZONE: the zone cannot serve the request (empty). */
        NOT_SUITABLE_ZONE("not_suitable_zone"),
        /** COMPACT_SKIPPED: too few free pages to migrate into, or the failure is lack of memory. */
        SKIPPED("skipped"),
        /** COMPACT_DEFERRED: recent compaction for this order failed; this attempt is skipped. */
        DEFERRED("deferred"),
        /** COMPACT_COMPLETE: the scanners met; the whole zone was compacted. */
        COMPLETE("complete"),
        /** COMPACT_PARTIAL_SKIPPED: the scanners met but part of the zone was skipped. */
        PARTIAL_SKIPPED("partial_skipped"),
        /** COMPACT_CONTENDED: the free scanner found too few free pages (the zone is at its min watermark). */
        CONTENDED("contended"),
        /** COMPACT_SUCCESS: a free block of the requested order is available now. */
        SUCCESS("success");

        private final String kernelName;

        Status(String kernelName) {
            this.kernelName = kernelName;
        }

        /** As the kernel prints it. */
        public String kernelName() {
            return kernelName;
        }
    }

    /** A run that did nothing. */
    public static CompactResult of(Zone zone, Status status) {
        return new CompactResult(zone, status, 0, 0, 0, 0, 0);
    }
}

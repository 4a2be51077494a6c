package mm.api.lmk;

/**
 * One kill, with what lmkd logs ({@code Kill 'name' (pid), uid U, oom_score_adj A to free R kB rss, S kB swap; reason: ...}).
 *
 * @param nanos simulated time of the kill
 * @param pid the victim
 * @param comm its name
 * @param uid its uid
 * @param oomScoreAdj its oom_score_adj
 * @param rssKb resident memory freed
 * @param swapKb swap freed
 * @param reason lmkd's reason text
 */
public record KillRecord(long nanos, int pid, String comm, int uid, int oomScoreAdj, long rssKb, long swapKb,
        String reason) {

    /** The logcat line lmkd writes under the tag {@code lowmemorykiller}. */
    public String logLine() {
        return "Kill '" + comm + "' (" + pid + "), uid " + uid + ", oom_score_adj " + oomScoreAdj + " to free " + rssKb
                + "kB rss, " + swapKb + "kB swap; reason: " + reason;
    }
}

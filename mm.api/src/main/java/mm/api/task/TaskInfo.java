package mm.api.task;

/**
 * A snapshot of a task.
 *
 * @param pid the process id
 * @param comm the name ({@code task->comm}, at most 15 characters)
 * @param uid the user id
 * @param oomScoreAdj -1000 to 1000 ({@code /proc/PID/oom_score_adj})
 * @param memcgPath the memory cgroup, {@code /} for the root
 * @param kernelThread true for kernel threads (never OOM victims)
 * @param rssFilePages resident file pages ({@code MM_FILEPAGES})
 * @param rssAnonPages resident anonymous pages ({@code MM_ANONPAGES})
 * @param rssShmemPages resident shmem pages ({@code MM_SHMEMPAGES})
 * @param swapEntries swapped-out pages ({@code MM_SWAPENTS})
 * @param pageTableBytes bytes of page tables ({@code mm_pgtables_bytes})
 * @param totalVmPages mapped pages ({@code total_vm})
 */
public record TaskInfo(int pid, String comm, int uid, int oomScoreAdj, String memcgPath, boolean kernelThread,
        long rssFilePages, long rssAnonPages, long rssShmemPages, long swapEntries, long pageTableBytes,
        long totalVmPages) {

    /** OOM_SCORE_ADJ_MIN: never killed. */
    public static final int OOM_SCORE_ADJ_MIN = -1000;
    /** OOM_SCORE_ADJ_MAX: killed first. */
    public static final int OOM_SCORE_ADJ_MAX = 1000;

    /** Validates the fields. */
    public TaskInfo {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid " + pid + " is not positive");
        }
        if (oomScoreAdj < OOM_SCORE_ADJ_MIN || oomScoreAdj > OOM_SCORE_ADJ_MAX) {
            throw new IllegalArgumentException("oom_score_adj " + oomScoreAdj + " is out of range: accepted are -1000 to 1000");
        }
    }

    /** Resident pages: file + anon + shmem ({@code get_mm_rss}). */
    public long rssPages() {
        return rssFilePages + rssAnonPages + rssShmemPages;
    }
}

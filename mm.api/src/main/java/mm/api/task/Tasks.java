package mm.api.task;

import java.util.List;
import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The task list: creating, listing and killing simulated processes. Implemented beside the
 * address spaces ({@code mm.vm}); the OOM killer and lmkd choose victims from it.
 */
@ProviderType
public interface Tasks {

    /**
     * Starts a process with an empty address space ({@code fork} + {@code exec}).
     *
     * @throws IllegalArgumentException for an empty name or an oom_score_adj out of range
     */
    TaskInfo spawn(String comm, int uid, int oomScoreAdj);

    /** Every live task, by pid. */
    List<TaskInfo> list();

    /** The task with this pid. */
    Optional<TaskInfo> find(int pid);

    /** Sets {@code /proc/PID/oom_score_adj}. */
    void setOomScoreAdj(int pid, int oomScoreAdj);

    /**
     * Kills a task with SIGKILL: its address space is torn down and its memory freed
     * ({@code do_exit} → {@code exit_mm}).
     *
     * @return true if the task existed
     */
    boolean kill(int pid, String reason);
}

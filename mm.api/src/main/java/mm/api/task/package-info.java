/**
 * Simulated tasks (processes): pid, name, uid, {@code oom_score_adj}, memory cgroup, and what the
 * OOM killer and lmkd need to choose and kill a victim (include/linux/sched.h, kernel/fork.c,
 * kernel/exit.c).
 */
@Export
@Version("1.0.0")
package mm.api.task;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The low-memory-killer policy: Android's lmkd (system/memory/lmkd) and the legacy in-kernel
 * lowmemorykiller (drivers/staging/android/lowmemorykiller.c), which kill cached apps by
 * {@code oom_score_adj} before the kernel's OOM killer has to.
 */
@Export
@Version("1.0.0")
package mm.api.lmk;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The {@code Reclaimer} contract: LRU lists, kswapd, direct reclaim, swap and the OOM killer
 * (mm/vmscan.c, mm/workingset.c, mm/swap.c, mm/swapfile.c, mm/oom_kill.c). The reference
 * implementation is {@code mm.reclaim}.
 */
@Export
@Version("1.0.0")
package mm.api.reclaim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * The {@code MemCgroup} contract: the cgroup v2 memory controller and its v1 view
 * (mm/memcontrol.c, mm/page_counter.c, Documentation/admin-guide/cgroup-v2.rst). The reference
 * implementation is {@code mm.cgroup}.
 */
@Export
@Version("1.0.0")
package mm.api.memcg;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

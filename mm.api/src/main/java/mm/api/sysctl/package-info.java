/**
 * Tunables under /proc/sys ({@code vm.min_free_kbytes}, {@code vm.swappiness}...). Each subsystem
 * registers its own {@link mm.api.sysctl.Sysctl} services, as kernel subsystems register
 * {@code ctl_table}s; the console finds them by name (the whiteboard pattern).
 */
@Export
@Version("1.0.0")
package mm.api.sysctl;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/**
 * Pressure stall information (kernel/sched/psi.c): how much of the time tasks were stalled on
 * memory, I/O or CPU, as averages over 10, 60 and 300 seconds and a running total, and triggers
 * that fire when a stall exceeds a threshold within a window.
 */
@Export
@Version("1.0.0")
package mm.api.psi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

package mm.api.psi;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Pressure accounting. Reclaim, compaction, throttling and refaults mark the stalls of the
 * simulated tasks ({@code psi_memstall_enter}/{@code psi_memstall_leave}); readers get the
 * kernel's averages computed on the simulated clock.
 */
@ProviderType
public interface Psi {

    /** A task on a CPU starts a memory stall ({@code psi_memstall_enter}). */
    void memstallEnter(int cpu, int pid);

    /** The stall ends ({@code psi_memstall_leave}). */
    void memstallLeave(int cpu, int pid);

    /**
     * The pressure of a resource for a cgroup ({@code /} for the whole system), as
     * /proc/pressure/memory and {@code memory.pressure} show it.
     */
    PsiStats pressure(PsiResource resource, String cgroupPath);

    /**
     * Adds a trigger, like writing {@code some 150000 1000000} to a pressure file
     * ({@code psi_trigger_create}).
     *
     * @param full true for the {@code full} line, false for {@code some}
     * @param thresholdUs stall time within a window that fires the trigger
     * @param windowUs the window, 500 ms to 10 s
     * @throws IllegalArgumentException for a window out of range or a threshold above it
     */
    AutoCloseable addTrigger(PsiResource resource, String cgroupPath, boolean full, long thresholdUs, long windowUs,
            PressureListener listener);
}

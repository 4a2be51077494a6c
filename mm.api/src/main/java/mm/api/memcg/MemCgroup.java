package mm.api.memcg;

import java.util.List;
import java.util.Optional;
import mm.api.subsystem.Subsystem;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Memory cgroups: a hierarchy of groups that tasks belong to, charged for the pages their tasks
 * use and held to limits ({@code memory.max}, {@code memory.high}) and protections
 * ({@code memory.min}, {@code memory.low}). Files are read and written by their cgroupfs names,
 * in the kernel's formats.
 *
 * <p>Hand-over keys: none; the hierarchy, settings and charges are exported by {@link #groups()}
 * and {@link #read}.
 */
@ProviderType
public interface MemCgroup extends Subsystem {

    /** The contract's name. */
    String CONTRACT = "MemCgroup";

    /** The root group ({@code /}). */
    Memcg root();

    /**
     * Creates a group ({@code mkdir} in cgroupfs): {@code /app/web}.
     *
     * @throws IllegalArgumentException if it exists, the parent does not, or the name is bad
     */
    Memcg create(String path);

    /**
     * Removes an empty group ({@code rmdir}).
     *
     * @throws IllegalStateException if it has tasks or children
     */
    void remove(String path);

    /** The group at a path. */
    Optional<Memcg> lookup(String path);

    /** Every group, parents before children. */
    List<Memcg> groups();

    /** Moves a task into a group (writing {@code cgroup.procs}); charges stay where they were made. */
    void attach(int pid, Memcg group);

    /** The group of a task (the root if none was set). */
    Memcg memcgOf(int pid);

    /**
     * Charges pages to a group and its ancestors ({@code try_charge_memcg}), reclaiming and
     * OOM-killing within the group as the kernel does when a limit is hit.
     *
     * @return 0, or -ENOMEM (-12) if the charge could not be made
     */
    int tryCharge(Memcg group, int gfp, int nrPages);

    /** Uncharges pages ({@code page_counter_uncharge}). */
    void uncharge(Memcg group, int nrPages);

    /**
     * Reads a file of a group ({@code memory.current}, {@code memory.stat}, {@code memory.events},
     * {@code memory.pressure}, v1 {@code memory.usage_in_bytes}...), in the kernel's format.
     *
     * @throws IllegalArgumentException for an unknown file, listing the known ones
     */
    String read(Memcg group, String file);

    /**
     * Writes a file ({@code memory.max} = {@code 100M} or {@code max}, {@code memory.reclaim}...).
     *
     * @throws IllegalArgumentException for an unknown or read-only file or a bad value
     */
    void write(Memcg group, String file, String value);
}

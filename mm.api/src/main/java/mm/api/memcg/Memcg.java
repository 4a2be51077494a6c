package mm.api.memcg;

import org.osgi.annotation.versioning.ProviderType;

/** A memory cgroup ({@code struct mem_cgroup}). */
@ProviderType
public interface Memcg {
    /** The id recorded in the frames charged to it ({@code mem_cgroup_id}); the root is 1. */
    int id();

    /** The path: {@code /} for the root, {@code /app/web} below it. */
    String path();

    /** Pages charged to the group and its descendants ({@code memory.current} / PAGE_SIZE). */
    long usagePages();
}

package mm.api.reclaim;

/**
 * What an OOM kill is for ({@code struct oom_control}, include/linux/oom.h).
 *
 * @param gfp the failing allocation's flags
 * @param order its order
 * @param nid its preferred node
 * @param memcgId the memory cgroup over its limit, 0 for a global OOM
 */
public record OomControl(int gfp, int order, int nid, int memcgId) {

    /** The constraint the OOM killer applies ({@code enum oom_constraint}). */
    public enum Constraint { NONE, CPUSET, MEMORY_POLICY, MEMCG }

    /** CONSTRAINT_MEMCG for a memcg OOM, else CONSTRAINT_NONE. */
    public Constraint constraint() {
        return memcgId != 0 ? Constraint.MEMCG : Constraint.NONE;
    }
}

package mm.api.lmk;

import java.util.List;
import java.util.Map;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A low-memory-killer policy. The framework tells it about processes and their importance
 * (lmkd's socket commands), it watches pressure and memory, and it kills.
 */
@ProviderType
public interface LowMemoryKiller {

    /** The minfree/adj table ({@code LMK_TARGET}): kill at or above {@code adj[i]} when free memory is below {@code minfreePages[i]}. */
    void setTarget(long[] minfreePages, int[] adj);

    /** Registers or updates a process's priority ({@code LMK_PROCPRIO}). */
    void procPrio(int pid, int uid, int oomScoreAdj);

    /** Forgets a process ({@code LMK_PROCREMOVE}). */
    void procRemove(int pid);

    /** The kills made so far, oldest first. */
    List<KillRecord> kills();

    /** The {@code ro.lmk.*} properties and their values. */
    Map<String, String> properties();

    /**
     * Sets a property ({@code LMK_UPDATE_PROPS} after {@code setprop}).
     *
     * @throws IllegalArgumentException for an unknown property or a bad value
     */
    void setProperty(String name, String value);
}

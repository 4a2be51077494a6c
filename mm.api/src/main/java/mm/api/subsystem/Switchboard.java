package mm.api.subsystem;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Which implementation of each contract is active, and the hand-over from one to another while
 * the machine runs. The active implementation of a contract is registered as a service of the
 * contract's interface with the property {@link #PROP_ACTIVE}{@code =true}; consumers target it
 * ({@code @Reference(target = "(mm.active=true)")}) and are rebound when it changes. The choice is
 * kept in the configuration {@link #PID} (one property per contract), so that it survives a
 * restart.
 */
@ProviderType
public interface Switchboard {

    /** The configuration that records the active implementation of each contract: {@code FrameAllocator=buddy}. */
    String PID = "mm.switchboard";

    /** Service property of the registration of a contract's active implementation. */
    String PROP_ACTIVE = "mm.active";

    /** The contracts the platform knows, in the card's order. */
    List<String> CONTRACTS = List.of("FrameAllocator", "ObjectCache", "PageTable", "Reclaimer", "MemCgroup");

    /** An installed implementation of a contract. */
    enum State { ACTIVE, DORMANT, FAILED }

    /**
     * An implementation and where it comes from.
     *
     * @param contract the contract
     * @param impl the implementation's name ({@code mm.impl})
     * @param bundle the providing bundle's symbolic name
     * @param version the bundle's version
     * @param state active, dormant, or failed (deactivated after misbehaving)
     * @param reference true for the contract's reference implementation, restored when another fails
     * @param problem why it failed, or null
     */
    record Candidate(String contract, String impl, String bundle, String version, State state, boolean reference,
            String problem) {
    }

    /**
     * What a hand-over did.
     *
     * @param contract the contract
     * @param from the implementation that was active
     * @param to the implementation now active
     * @param pauseNanos how long callers were held: from the old one's quiesce to the new one taking calls
     */
    record Swap(String contract, String from, String to, long pauseNanos) {
    }

    /** Every installed implementation of every contract. */
    List<Candidate> candidates();

    /** Jars of the watched directory that could not become implementations, one line each (not a bundle, unresolved imports). */
    List<String> problems();

    /** The installed reference implementation of a contract (restored when another fails), or null if none is installed. */
    default String reference(String contract) {
        for (Candidate c : candidates()) {
            if (c.contract().equals(contract) && c.reference()) {
                return c.impl();
            }
        }
        return null;
    }

    /** The active implementation of a contract, or null if none is. */
    String active(String contract);

    /**
     * Makes {@code impl} the active implementation of {@code contract}: the active one quiesces
     * and hands over, the new one adopts and its invariants are checked; callers that arrive
     * meanwhile wait. If anything fails the old one takes the machine back.
     *
     * @return what happened; {@code from} equals {@code to}, and nothing changed, if {@code impl}
     *     was already active
     * @throws IllegalArgumentException for an unknown contract or implementation, listing the valid ones
     * @throws IllegalStateException if the hand-over failed; the old implementation is active again
     *     and the message says why
     */
    Swap use(String contract, String impl);

    /**
     * Reports a misbehaving active implementation (it threw, blocked, or broke an invariant): it is
     * marked failed and the contract's reference implementation adopts the machine.
     *
     * @return what happened, one line
     */
    String fail(String contract, String reason);
}

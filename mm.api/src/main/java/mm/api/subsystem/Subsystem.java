package mm.api.subsystem;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An implementation of one of the contracts ({@code FrameAllocator}, {@code ObjectCache},
 * {@code PageTable}, {@code Reclaimer}, {@code MemCgroup}). Exactly one implementation of a
 * contract is active at a time; the others stay installed and dormant.
 *
 * <p>Implementations register their contract interface as a service with the properties
 * {@link #PROP_CONTRACT} and {@link #PROP_IMPL}. Replacing the active one is a transaction: the old
 * one {@link #quiesce() quiesces} and exports what the frame table cannot say, the new one
 * {@link #adopt adopts} it and its {@link #check() invariants} are checked; if anything fails, the
 * old one adopts the machine again. Calls that reach the old one meanwhile wait, then go on to
 * its successor ({@link #forwardTo}).
 */
@ProviderType
public interface Subsystem {

    /** Service property: the implementation's short name ({@code buddy}, {@code bitmap}, {@code slub}). */
    String PROP_IMPL = "mm.impl";

    /** Service property: the contract's name ({@code FrameAllocator}, {@code ObjectCache}...). */
    String PROP_CONTRACT = "mm.contract";

    /** The implementation's short name, as in {@link #PROP_IMPL}. */
    String implName();

    /**
     * Builds the implementation's own indexes from the machine's frame table and from what the
     * previous implementation handed over ({@link Handover#BOOT} right after boot).
     *
     * @throws IllegalStateException if the state cannot be adopted; the caller then restores the previous implementation
     */
    void adopt(Handover from);

    /**
     * Stops taking new work, lets calls in flight finish, drains per-CPU caches into the shared
     * state and exports what the frame table cannot express. After it returns, the implementation
     * answers no calls until it adopts again.
     */
    Handover quiesce();

    /**
     * Checks the implementation's invariants against the frame table: each broken one is a line
     * of the returned list; an empty list means all hold. Never changes state.
     */
    List<String> check();

    /**
     * After a hand-over that succeeded: calls that still reach this (quiesced) implementation,
     * through a reference not yet rebound, are passed on to its successor, which must implement
     * the same contract. Callers that arrived during the hand-over wait for this or for a
     * rollback ({@link #adopt}).
     */
    default void forwardTo(Subsystem successor) {
    }
}

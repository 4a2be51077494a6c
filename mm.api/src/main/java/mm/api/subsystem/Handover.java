package mm.api.subsystem;

import java.util.Map;

/**
 * What one implementation of a contract hands to the next, beyond the frame table: named values
 * the frame table cannot express (a reserve's size, a tunable, a cache's geometry). Keys are
 * documented by each contract.
 *
 * @param contract the contract's name
 * @param fromImpl the implementation that exported it, or {@code "boot"}
 * @param state named values
 * @param objects what cannot be written as text and is passed by reference: a cache's
 *     constructor, the bytes of slab memory; empty for most contracts
 */
public record Handover(String contract, String fromImpl, Map<String, String> state, Map<String, Object> objects) {

    /** The hand-over at boot: nothing but the frame table. */
    public static final Handover BOOT = new Handover("", "boot", Map.of());

    /** A hand-over of named values only. */
    public Handover(String contract, String fromImpl, Map<String, String> state) {
        this(contract, fromImpl, state, Map.of());
    }

    /** Validates and copies. */
    public Handover {
        if (contract == null || fromImpl == null) {
            throw new IllegalArgumentException("a hand-over needs a contract and the implementation it comes from");
        }
        state = Map.copyOf(state);
        objects = Map.copyOf(objects);
    }

    /** True for the hand-over at boot. */
    public boolean atBoot() {
        return "boot".equals(fromImpl);
    }
}

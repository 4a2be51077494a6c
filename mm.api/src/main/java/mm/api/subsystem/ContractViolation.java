package mm.api.subsystem;

/**
 * An implementation broke its contract: it handed out a frame that is already allocated,
 * reserved or outside the machine, in the manner of the kernel's {@code bad_page} ("BUG: Bad page
 * state"). Thrown by the code every implementation shares when it catches one; the platform then
 * deactivates the implementation and restores the contract's reference one. Not for bad input,
 * which is an {@link IllegalArgumentException}.
 */
public class ContractViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A violation, with one line saying what the implementation did. */
    public ContractViolation(String message) {
        super(message);
    }
}

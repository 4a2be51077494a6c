package mm.console.commands;

/**
 * A command that could not do what it was asked, with one line saying what was wrong and what is
 * accepted. Its {@link #toString()} is just that line, so that the interactive shell (which prints
 * {@code e.toString()}) shows no class name and no stack trace.
 */
public final class CommandError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** An error with its message. */
    public CommandError(String message) {
        super(message, null, false, false);
    }

    @Override
    public String toString() {
        return getMessage();
    }
}

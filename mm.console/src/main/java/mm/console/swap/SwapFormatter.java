package mm.console.swap;

import java.util.Locale;
import mm.api.subsystem.Switchboard;

/** {@code mm:use}'s line: what changed and how long callers waited. */
public final class SwapFormatter {

    private SwapFormatter() {
    }

    /**
     * {@code FrameAllocator: buddy -> bitmap}, with {@code (callers paused 3.1 ms)} when asked (a
     * time differs from run to run, and a script's output must not), or that nothing changed.
     */
    public static String format(Switchboard.Swap s, boolean withPause) {
        if (s.from().equals(s.to())) {
            return s.contract() + ": " + s.to() + " is already active; nothing changed";
        }
        if ("none".equals(s.from())) {
            return s.contract() + ": " + s.to() + " is active (none was)";
        }
        String line = s.contract() + ": " + s.from() + " -> " + s.to();
        return withPause ? line + String.format(Locale.ROOT, " (callers paused %.1f ms)", s.pauseNanos() / 1e6) : line;
    }
}

package mm.console.swap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mm.api.subsystem.Switchboard;
import mm.console.proc.Table;

/**
 * {@code mm:impls}: every contract with its installed implementations, the active one marked
 * with {@code *}, then the jars of the watched directory that did not become implementations.
 *
 * <pre>
 *   CONTRACT        IMPL    STATE    BUNDLE     VERSION
 * * FrameAllocator  buddy   active   mm.buddy   1.0.0.SNAPSHOT  reference
 *   FrameAllocator  bitmap  dormant  mm.bitmap  1.0.0.SNAPSHOT
 *   ObjectCache     -       none installed
 * </pre>
 */
public final class ImplsFormatter {

    private ImplsFormatter() {
    }

    /** The table, and the problems under it. */
    public static String format(List<Switchboard.Candidate> candidates, List<String> problems) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"  CONTRACT", "IMPL", "STATE", "BUNDLE", "VERSION", ""});
        List<String> notes = new ArrayList<>();
        for (String contract : Switchboard.CONTRACTS) {
            boolean any = false;
            for (Switchboard.Candidate c : candidates) {
                if (!c.contract().equals(contract)) {
                    continue;
                }
                any = true;
                boolean active = c.state() == Switchboard.State.ACTIVE;
                rows.add(new String[] {(active ? "* " : "  ") + contract, c.impl(), c.state().name().toLowerCase(Locale.ROOT), c.bundle(),
                    c.version(), c.reference() ? "reference" : ""});
                if (c.problem() != null) {
                    notes.add(contract + " " + c.impl() + ": " + c.problem());
                }
            }
            if (!any) {
                rows.add(new String[] {"  " + contract, "-", "none installed", "", "", ""});
            }
        }
        StringBuilder sb = new StringBuilder(Table.format(rows, Table.Align.LEFT, Table.Align.LEFT, Table.Align.LEFT,
                Table.Align.LEFT, Table.Align.LEFT, Table.Align.LEFT));
        if (!notes.isEmpty()) {
            sb.append("\nWhy failed:\n");
            notes.forEach(n -> sb.append("  ").append(n).append('\n'));
        }
        if (!problems.isEmpty()) {
            sb.append("\nNot loaded:\n");
            problems.forEach(p -> sb.append("  ").append(p).append('\n'));
        }
        return sb.toString();
    }
}

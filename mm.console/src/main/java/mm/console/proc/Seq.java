package mm.console.proc;

import java.util.Formatter;
import java.util.Locale;

/**
 * The text buffer a /proc view is printed into, like the kernel's {@code struct seq_file}:
 * {@code seq_printf} with C-like formats ({@code %lu} is written {@code %d} in Java), always in the
 * root locale so that digits and signs are ASCII whatever the JVM's default locale. Shared by
 * the formatters of every view package.
 */
public final class Seq {

    private final StringBuilder text = new StringBuilder();
    private final Formatter formatter = new Formatter(text, Locale.ROOT);

    /** {@code seq_printf}. */
    public Seq printf(String format, Object... args) {
        formatter.format(format, args);
        return this;
    }

    /** {@code seq_puts}. */
    public Seq puts(String s) {
        text.append(s);
        return this;
    }

    /** {@code seq_putc}. */
    public Seq putc(char c) {
        text.append(c);
        return this;
    }

    /** Spaces to a column, like C's {@code "%*s", n, ""}. */
    public Seq pad(int n) {
        text.append(" ".repeat(Math.max(0, n)));
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

package mm.console.proc;

import java.util.List;

/**
 * Columns two spaces apart, each as wide as its widest cell and aligned left or right, without
 * trailing blanks: the tables of the console's own reports ({@code mm:impls}, {@code mm:replaycmp}).
 * Shared by the formatters of every view package, as {@link Seq} is.
 */
public final class Table {

    /** How a column's cells sit in it. */
    public enum Align { LEFT, RIGHT }

    private Table() {
    }

    /**
     * The rows, one line each.
     *
     * @param rows the cells, the same number in every row (the header is a row)
     * @param align one per column
     */
    public static String format(List<String[]> rows, Align... align) {
        int cols = align.length;
        int[] width = new int[cols];
        for (String[] r : rows) {
            if (r.length != cols) {
                throw new IllegalArgumentException("a row of " + r.length + " cells in a table of " + cols + " columns");
            }
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    line.append("  ");
                }
                String pad = " ".repeat(width[c] - r[c].length());
                if (align[c] == Align.RIGHT) {
                    line.append(pad).append(r[c]);
                } else {
                    line.append(r[c]).append(pad);
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}

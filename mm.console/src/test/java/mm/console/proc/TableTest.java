package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import mm.console.proc.Table.Align;
import org.junit.jupiter.api.Test;

/** Columns as wide as their widest cell, two spaces apart, aligned each its own way, no trailing blanks. */
class TableTest {

    @Test
    void leftAndRightAlignedColumns() {
        List<String[]> rows = List.of(
                new String[] {"IMPL", "FAILURES", "NOTE"},
                new String[] {"buddy", "0", "reference"},
                new String[] {"bitmap", "12", ""});
        assertEquals("""
                IMPL    FAILURES  NOTE
                buddy          0  reference
                bitmap        12
                """, Table.format(rows, Align.LEFT, Align.RIGHT, Align.LEFT));
    }

    @Test
    void aRowOfAnotherWidthIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> Table.format(List.of(new String[] {"a", "b"}, new String[] {"c"}), Align.LEFT, Align.LEFT));
    }
}

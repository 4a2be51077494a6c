package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** mm:extfrag FILE takes the two debugfs file names, and says so in one line otherwise. */
class ProcCommandsTest {

    @Test
    void onlyTheDebugfsFileNamesAreAccepted() {
        for (String file : new String[] {"index", "unusable", "foo"}) {
            CommandError e = assertThrows(CommandError.class, () -> new ProcCommands().extfrag(file));
            assertEquals("no file '" + file + "': accepted are extfrag_index and unusable_index", e.getMessage());
        }
    }
}

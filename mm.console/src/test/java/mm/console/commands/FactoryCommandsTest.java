package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which installed factory the commands pick, and how they list the installed ones. */
class FactoryCommandsTest {

    private static final List<Map.Entry<String, String>> INSTALLED = List.of(Map.entry("bitmap", "B"), Map.entry("buddy", "U"));

    @Test
    void theFirstPreferredThatHasAFactoryElseTheFirstInstalled() {
        assertEquals("U", FactoryCommands.firstOf(INSTALLED, "none", null, "buddy", "bitmap"));
        assertEquals("B", FactoryCommands.firstOf(INSTALLED, "slab"));
        assertEquals("B", FactoryCommands.firstOf(INSTALLED));
        assertNull(FactoryCommands.firstOf(List.<Map.Entry<String, String>>of(), "buddy"));
    }

    @Test
    void listedSortedOrNone() {
        assertEquals("bitmap, buddy", FactoryCommands.listed(List.of(INSTALLED.get(1), INSTALLED.get(0)), "none"));
        assertEquals("none is installed", FactoryCommands.listed(List.of(), "none is installed"));
    }
}

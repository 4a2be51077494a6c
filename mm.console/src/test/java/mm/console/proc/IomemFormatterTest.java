package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import mm.api.machine.IomemResource;
import org.junit.jupiter.api.Test;

class IomemFormatterTest {

    @Test
    void reproducesTheCapturedIomemByteForByte() {
        String captured = KernelData.read("proc/proc_iomem.txt");
        List<IomemResource> tree = ProcParsers.iomem(captured);

        assertEquals(9, tree.size(), "top-level resources of the capture");
        assertEquals(captured, IomemFormatter.format(tree));
    }

    @Test
    void printsAtLeastEightLowerCaseHexDigitsAndLongerAddressesInFull() {
        List<IomemResource> tree = List.of(
                new IomemResource(0xabc, 0xfff, "Reserved"),
                new IomemResource(0xABCDEF000L, 0xFFFFFFFFFFL, "PCI Bus 0000:00",
                        List.of(new IomemResource(0xABCDEF000L, 0xABCDEFFFFL, "0000:00:01.0"))),
                new IomemResource(0, Long.MAX_VALUE, "everything"));

        assertEquals("00000abc-00000fff : Reserved\n"
                + "abcdef000-ffffffffff : PCI Bus 0000:00\n"
                + "  abcdef000-abcdeffff : 0000:00:01.0\n"
                + "00000000-7fffffffffffffff : everything\n", IomemFormatter.format(tree));
    }

    @Test
    void indentationStopsAtTheKernelsMaximumLevel() {
        IomemResource r = new IomemResource(7, 7, "level 7");
        for (int level = 6; level >= 0; level--) {
            r = new IomemResource(level, 7, "level " + level, List.of(r));
        }

        String out = IomemFormatter.format(List.of(r));

        assertEquals("00000000-00000007 : level 0\n"
                + "  00000001-00000007 : level 1\n"
                + "    00000002-00000007 : level 2\n"
                + "      00000003-00000007 : level 3\n"
                + "        00000004-00000007 : level 4\n"
                + "          00000005-00000007 : level 5\n"
                + "          00000006-00000007 : level 6\n"
                + "          00000007-00000007 : level 7\n", out);
    }

    @Test
    void anEmptyTreePrintsNothing() {
        assertEquals("", IomemFormatter.format(List.of()));
    }
}

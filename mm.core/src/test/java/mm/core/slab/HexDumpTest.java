package mm.core.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HexDumpTest {

    private static String format(String prefix, long addr, byte[] b) {
        StringBuilder sb = new StringBuilder();
        HexDump.lines(prefix, addr, b, 0, b.length).forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }


    @Test
    void sixteenBytesALineWithAddressesAndTheAsciiColumn() {
        byte[] b = new byte[20];
        Arrays.fill(b, 0, 16, (byte) 0x6b);
        b[15] = (byte) 0xa5;
        b[16] = 'A';
        b[17] = 0x00;
        b[18] = (byte) 0xcc;
        b[19] = '~';

        assertEquals(""
                + "ffff888004a1c080: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b a5  kkkkkkkkkkkkkkk.\n"
                + "ffff888004a1c090: 41 00 cc 7e                                      A..~\n",
                format("", 0xffff888004a1c080L, b));
    }

    @Test
    void thePrefixComesFirstAsInSlubReports() {
        byte[] b = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertEquals("Object   ffff888004a1c000: 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66  0123456789abcdef\n",
                format("Object   ", 0xffff888004a1c000L, b));
    }

    @Test
    void theAsciiColumnIsAlwaysAt49() {
        for (int len = 1; len <= 16; len++) {
            String line = HexDump.line(new byte[len], 0, len);
            assertEquals(49 + len, line.length(), "length " + len);
            assertEquals(".".repeat(len), line.substring(49));
        }
    }

    @Test
    void aSliceOfTheBytesAtItsOwnAddress() {
        byte[] b = new byte[48];
        b[32] = 'Z';
        assertEquals(java.util.List.of("Redzone  ffff888000000020: 5a 00 00 00                                      Z..."),
                HexDump.lines("Redzone  ", 0xffff888000000020L, b, 32, 4));
    }

    @Test
    void nothingToDumpIsNoLine() {
        assertEquals("", format("", 0xffff888000000000L, new byte[0]));
    }
}

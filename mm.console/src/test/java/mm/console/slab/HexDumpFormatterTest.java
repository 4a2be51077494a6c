package mm.console.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HexDumpFormatterTest {

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
                HexDumpFormatter.format("", 0xffff888004a1c080L, b));
    }

    @Test
    void thePrefixComesFirstAsInSlubReports() {
        byte[] b = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

        assertEquals("Object   ffff888004a1c000: 30 31 32 33 34 35 36 37 38 39 61 62 63 64 65 66  0123456789abcdef\n",
                HexDumpFormatter.format("Object   ", 0xffff888004a1c000L, b));
    }

    @Test
    void theAsciiColumnIsAlwaysAt49() {
        for (int len = 1; len <= 16; len++) {
            String line = HexDumpFormatter.line(new byte[len], 0, len);
            assertEquals(49 + len, line.length(), "length " + len);
            assertEquals(".".repeat(len), line.substring(49));
        }
    }

    @Test
    void nothingToDumpIsNoLine() {
        assertEquals("", HexDumpFormatter.format("", 0xffff888000000000L, new byte[0]));
    }
}

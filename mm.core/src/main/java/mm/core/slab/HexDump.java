package mm.core.slab;

import java.util.ArrayList;
import java.util.List;

/**
 * Bytes as the kernel's {@code print_hex_dump(level, prefix, DUMP_PREFIX_ADDRESS, 16, 1, buf, len,
 * true)} prints them (lib/hexdump.c), as SLUB's reports show objects and red zones and
 * {@code mm:peek} shows slab memory: 16 bytes a line, the address, the bytes in hex, then at
 * column 49 of the hex part the printable ones.
 */
public final class HexDump {

    /** Bytes a line ({@code rowsize}). */
    static final int ROW = 16;

    private HexDump() {
    }

    /**
     * {@code print_hex_dump}: the lines for {@code len} bytes of {@code bytes} from {@code from},
     * which are at kernel address {@code addr}, each {@code PREFIX + "%016lx: " + hex_dump_to_buffer(...)},
     * e.g. {@code ffff888004a1c080: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk}.
     */
    public static List<String> lines(String prefix, long addr, byte[] bytes, int from, int len) {
        List<String> out = new ArrayList<>((len + ROW - 1) / ROW);
        for (int k = 0; k < len; k += ROW) {
            out.add(String.format("%s%016x: %s", prefix, addr + k, line(bytes, from + k, Math.min(ROW, len - k))));
        }
        return out;
    }

    /** {@code hex_dump_to_buffer(buf, len, 16, 1, ..., true)}: "xx xx ... xx", spaces to column 49, the ASCII. */
    static String line(byte[] bytes, int from, int len) {
        StringBuilder sb = new StringBuilder(ROW * 4 + 2);
        for (int j = 0; j < len; j++) {
            if (j > 0) {
                sb.append(' ');
            }
            int b = bytes[from + j] & 0xff;
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        int asciiColumn = ROW * 2 + ROW + 1;
        while (sb.length() < asciiColumn) {
            sb.append(' ');
        }
        for (int j = 0; j < len; j++) {
            int b = bytes[from + j] & 0xff;
            sb.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        return sb.toString();
    }
}

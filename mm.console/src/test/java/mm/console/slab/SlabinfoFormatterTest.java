package mm.console.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mm.api.slab.SlabInfo;
import mm.console.proc.KernelData;
import org.junit.jupiter.api.Test;

class SlabinfoFormatterTest {

    private static final Pattern ROW = Pattern.compile(
            "(\\S+) +(\\d+) +(\\d+) +(\\d+) +(\\d+) +(\\d+) : tunables +0 +0 +0 : slabdata +(\\d+) +(\\d+) +0");

    /** /proc/slabinfo's rows, strictly: a line not in the SLUB layout is an error. */
    static List<SlabInfo> parse(String text) {
        String[] lines = text.split("\n");
        assertEquals(SlabinfoFormatter.VERSION_LINE, lines[0]);
        assertEquals(SlabinfoFormatter.COLUMNS_LINE, lines[1]);
        List<SlabInfo> rows = new ArrayList<>();
        for (int i = 2; i < lines.length; i++) {
            Matcher m = ROW.matcher(lines[i]);
            if (!m.matches()) {
                throw new IllegalArgumentException("not a slabinfo row: '" + lines[i] + "'");
            }
            rows.add(new SlabInfo(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)),
                    Long.parseLong(m.group(7)), Long.parseLong(m.group(8))));
        }
        return rows;
    }

    @Test
    void reproducesTheCapturedSlabinfoByteForByte() {
        String captured = KernelData.read("proc/proc_slabinfo_sample.txt");
        List<SlabInfo> rows = parse(captured);

        assertEquals(26, rows.size());
        assertEquals(captured, SlabinfoFormatter.format(rows));
    }

    @Test
    void longNamesAndLargeCountsPushTheColumnsRightAsSeqPrintfDoes() {
        String text = SlabinfoFormatter.format(List.of(
                new SlabInfo("a_cache_name_longer_than_17", 1234567, 12345678, 8, 512, 1, 24113, 24113),
                new SlabInfo("x", 0, 0, 8192, 4, 8, 0, 0)));

        assertEquals(SlabinfoFormatter.VERSION_LINE + "\n" + SlabinfoFormatter.COLUMNS_LINE + "\n"
                + "a_cache_name_longer_than_17 1234567 12345678      8  512    1 : tunables    0    0    0 : slabdata  24113  24113      0\n"
                + "x                      0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0\n",
                text);
    }

    @Test
    void noCacheMeansNoHeaderEither() {
        assertEquals("", SlabinfoFormatter.format(List.of()));
    }
}

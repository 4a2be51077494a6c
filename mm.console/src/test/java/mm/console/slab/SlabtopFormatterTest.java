package mm.console.slab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import mm.api.slab.SlabInfo;
import org.junit.jupiter.api.Test;

class SlabtopFormatterTest {

    private static final List<SlabInfo> ROWS = List.of(
            new SlabInfo("kmalloc-128", 14, 32, 128, 32, 1, 1, 1),
            new SlabInfo("dentry", 12537, 12537, 192, 21, 1, 597, 597),
            new SlabInfo("ext4_inode_cache", 9436, 9436, 1128, 14, 4, 674, 674),
            new SlabInfo("msg_msg-8k", 0, 0, 8192, 4, 8, 0, 0),
            new SlabInfo("bio-96", 10, 42, 96, 42, 1, 1, 1));

    @Test
    void summaryThenTheBiggestCachesFirstTiesByName() {
        // objects 14+12537+9436+0+10 = 21997 of 32+12537+9436+0+42 = 22047 (99.77 %)
        // size: active 14*128 + 12537*192 + 9436*1128 + 10*96 = 13053664 B = 12747.72K,
        //       total 32*128 + 12537*192 + 9436*1128 + 42*96 = 13059040 B = 12752.97K (99.96 %)
        // objects: min 96 B (0.09K), average 13059040 / 22047 = 592 B (0.58K), max 8192 B
        // cache size: ext4_inode_cache 674 slabs * 4 pages = 10784K, dentry 597 * 1 = 2388K, bio-96 and kmalloc-128 4K
        // USE: (int) (100 * (14 / 32f)) = 43, (int) (100 * (10 / 42f)) = 23; 128 B prints 0.12K (C rounds half to even)
        String expected = ""
                + " Active / Total Objects (% used)    : 21997 / 22047 (99.8%)\n"
                + " Active / Total Slabs (% used)      : 1273 / 1273 (100.0%)\n"
                + " Active / Total Caches (% used)     : 4 / 5 (80.0%)\n"
                + " Active / Total Size (% used)       : 12747.72K / 12752.97K (100.0%)\n"
                + " Minimum / Average / Maximum Object : 0.09K / 0.58K / 8.00K\n"
                + "\n"
                + "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                   \n"
                + "  9436   9436 100%    1.10K    674       14     10784K ext4_inode_cache       \n"
                + " 12537  12537 100%    0.19K    597       21      2388K dentry                 \n"
                + "    42     10  23%    0.09K      1       42         4K bio-96                 \n"
                + "    32     14  43%    0.12K      1       32         4K kmalloc-128            \n"
                + "     0      0   0%    8.00K      0        4         0K msg_msg-8k             \n";

        assertEquals(expected, SlabtopFormatter.format(ROWS, 20));
    }

    @Test
    void atMostTheRowsAskedForTheSummaryStillCountsEveryCache() {
        String text = SlabtopFormatter.format(ROWS, 2);
        String[] lines = text.split("\n");

        assertEquals(9, lines.length);
        assertEquals(" Active / Total Caches (% used)     : 4 / 5 (80.0%)", lines[2]);
        assertTrue(lines[7].endsWith("ext4_inode_cache       "), lines[7]);
        assertTrue(lines[8].endsWith("dentry                 "), lines[8]);
    }

    @Test
    void headingIsPaddedTo78ColumnsAndAlignedWithTheRows() {
        String[] lines = SlabtopFormatter.format(ROWS, 1).split("\n");

        assertEquals(78, lines[6].length());
        assertEquals(lines[6].indexOf("NAME"), lines[7].indexOf("ext4_inode_cache"));
        assertEquals(lines[6].indexOf("USE") + 3, lines[7].indexOf('%') + 1);
    }

    @Test
    void noCachesPrintZerosRatherThanNaN() {
        assertEquals(""
                + " Active / Total Objects (% used)    : 0 / 0 (0.0%)\n"
                + " Active / Total Slabs (% used)      : 0 / 0 (0.0%)\n"
                + " Active / Total Caches (% used)     : 0 / 0 (0.0%)\n"
                + " Active / Total Size (% used)       : 0.00K / 0.00K (0.0%)\n"
                + " Minimum / Average / Maximum Object : 0.00K / 0.00K / 0.00K\n"
                + "\n"
                + "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME                   \n",
                SlabtopFormatter.format(List.of(), 20));
    }

    @Test
    void roundsAsGlibcPrintfDoes() {
        assertEquals("0.12", SlabtopFormatter.fixed(0.125, 2));
        assertEquals("0.38", SlabtopFormatter.fixed(0.375, 2));
        assertEquals("0.62", SlabtopFormatter.fixed(0.625, 2)); // ties go to the even digit
        assertEquals("1.10", SlabtopFormatter.fixed(1128 / 1024.0, 2));
        assertEquals("100.0", SlabtopFormatter.fixed(99.96, 1));
        assertEquals("0.1", SlabtopFormatter.fixed(0.15, 1)); // the double is 0.14999999999999999445
    }
}

package mm.core.page;

import static org.junit.jupiter.api.Assertions.assertEquals;

import mm.core.page.FragmentationIndex.ContigPageInfo;
import org.junit.jupiter.api.Test;

class FragmentationIndexTest {

    /** 4 free blocks of order 0, 2 of order 1, 1 of order 2: 12 free pages in 7 blocks. */
    private static final long[] SMALL = {4, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0};

    @Test
    void fillContigPageInfoSumsPagesBlocksAndSuitableBlocks() {
        assertEquals(new ContigPageInfo(12, 7, 12), FragmentationIndex.fillContigPageInfo(SMALL, 0));
        assertEquals(new ContigPageInfo(12, 7, 4), FragmentationIndex.fillContigPageInfo(SMALL, 1));
        assertEquals(new ContigPageInfo(12, 7, 1), FragmentationIndex.fillContigPageInfo(SMALL, 2));
        assertEquals(new ContigPageInfo(12, 7, 0), FragmentationIndex.fillContigPageInfo(SMALL, 3));
    }

    @Test
    void unusableFreeIndexByHand() {
        int[] expected = {
            0,    // (12 - 12) * 1000 / 12
            333,  // (12 - 4 * 2) * 1000 / 12 = 333.3
            666,  // (12 - 1 * 4) * 1000 / 12 = 666.6
            1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000,
        };
        for (int order = 0; order < expected.length; order++) {
            assertEquals(expected[order], FragmentationIndex.unusableFreeIndex(order,
                    FragmentationIndex.fillContigPageInfo(SMALL, order)), "order " + order);
        }
        // 1536 free pages, one block of 512 suitable: (1536 - 512) * 1000 / 1536 = 666
        assertEquals(666, FragmentationIndex.unusableFreeIndex(9, new ContigPageInfo(1536, 2, 1)));
        // nothing free: 1000
        assertEquals(1000, FragmentationIndex.unusableFreeIndex(0, new ContigPageInfo(0, 0, 0)));
    }

    @Test
    void fragmentationIndexByHand() {
        // a request that would succeed: -1000
        for (int order = 0; order <= 2; order++) {
            assertEquals(-1000, FragmentationIndex.fragmentationIndex(order, FragmentationIndex.fillContigPageInfo(SMALL, order)));
        }
        // 1000 - (1000 + 12 * 1000 / 8) / 7 = 1000 - 2500 / 7 = 1000 - 357 = 643
        assertEquals(643, FragmentationIndex.fragmentationIndex(3, FragmentationIndex.fillContigPageInfo(SMALL, 3)));
        // 1000 - (1000 + 12000 / 16) / 7 = 1000 - 1750 / 7 = 750
        assertEquals(750, FragmentationIndex.fragmentationIndex(4, FragmentationIndex.fillContigPageInfo(SMALL, 4)));
        // 1000 - (1000 + 12000 / 1024) / 7 = 1000 - 1011 / 7 = 1000 - 144 = 856
        assertEquals(856, FragmentationIndex.fragmentationIndex(10, FragmentationIndex.fillContigPageInfo(SMALL, 10)));
        // one free block of 512 pages, asking for order 10: 1000 - (1000 + 512000 / 1024) / 1 = -500,
        // which the kernel's "%d.%03d" prints as 0.-500
        assertEquals(-500, FragmentationIndex.fragmentationIndex(10, new ContigPageInfo(512, 1, 0)));
        assertEquals("0.-500", FragmentationIndex.format(-500));
        // nothing free: 0
        assertEquals(0, FragmentationIndex.fragmentationIndex(5, new ContigPageInfo(0, 0, 0)));
        // out of range order: 0, as the kernel's WARN_ON_ONCE path
        assertEquals(0, FragmentationIndex.fragmentationIndex(11, new ContigPageInfo(12, 7, 0)));
    }

    @Test
    void printsAsTheKernelDoes() {
        assertEquals("0.666", FragmentationIndex.format(666));
        assertEquals("1.000", FragmentationIndex.format(1000));
        assertEquals("0.000", FragmentationIndex.format(0));
        assertEquals("0.066", FragmentationIndex.format(66));
        assertEquals("-1.000", FragmentationIndex.format(-1000));
    }
}

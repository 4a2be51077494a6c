package mm.hw.memmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.LongConsumer;
import mm.api.machine.FrameTable;
import mm.api.machine.MigrateType;
import mm.api.machine.PageFlags;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;

/**
 * The frame table as primitive arrays: field packing, the {@code struct page} union of list links
 * with refcount/private, the lazily allocated {@code page_ext}, range checks and the messages a
 * caller sees.
 */
class MemMapTest {

    /** Two memory sections (2 x 32768 frames) starting at pfn 0x40000, like arm64's RAM at 1 GiB. */
    static final long BASE = 0x40000;
    static final long END = BASE + 2 * MemMap.SECTION_FRAMES;

    private final MemMap mm = new MemMap(BASE, END);

    @Test
    void aNewTableIsZeroed() {
        assertEquals(BASE, mm.startPfn());
        assertEquals(END, mm.endPfn());
        for (long pfn : new long[] {BASE, BASE + 12345, END - 1}) {
            assertEquals(0, mm.flags(pfn));
            assertEquals(0, mm.refcount(pfn));
            assertEquals(0, mm.mapcount(pfn));
            assertEquals(0, mm.privateWord(pfn));
            assertEquals(0, mm.order(pfn));
            assertEquals(0, mm.owner(pfn));
            assertEquals(0, mm.memcg(pfn));
            assertEquals(0, mm.contentToken(pfn));
            assertEquals(MigrateType.UNMOVABLE.ordinal(), mm.pageblockMigratetype(pfn));
        }
    }

    @Test
    void flagBitsAreIndependent() {
        long pfn = BASE + 7;
        mm.set(pfn, PageFlags.PG_reserved);
        mm.set(pfn, PageFlags.PG_hwpoison);
        assertTrue(mm.test(pfn, PageFlags.PG_reserved));
        assertTrue(mm.test(pfn, PageFlags.PG_hwpoison));
        assertFalse(mm.test(pfn, PageFlags.PG_lru));
        assertFalse(mm.test(pfn + 1, PageFlags.PG_reserved), "neighbours untouched");
        mm.clear(pfn, PageFlags.PG_reserved);
        assertFalse(mm.test(pfn, PageFlags.PG_reserved));
        assertEquals(1 << PageFlags.PG_hwpoison, mm.pageFlags(pfn));
        assertEquals("hwpoison", PageFlags.format(mm.pageFlags(pfn)));
    }

    @Test
    void orderZoneAndNodeArePackedBesideTheFlags() {
        long pfn = BASE + 100;
        for (int bit = 0; bit < PageFlags.NR_PAGEFLAGS; bit++) {
            mm.set(pfn, bit);
        }
        mm.setOrder(pfn, 15);
        mm.setLinks(pfn, ZoneType.DEVICE.ordinal(), 7);
        assertEquals(15, mm.order(pfn));
        assertEquals(ZoneType.DEVICE.ordinal(), mm.zoneIndex(pfn));
        assertEquals(7, mm.nid(pfn));
        assertEquals((1 << PageFlags.NR_PAGEFLAGS) - 1, mm.pageFlags(pfn), "pageFlags leaves order, zone and node out");
        // page->flags layout: 22 flag bits, then 4 of order, 3 of zone, 3 of node
        int expected = ((1 << 22) - 1) | (15 << 22) | (ZoneType.DEVICE.ordinal() << 26) | (7 << 29);
        assertEquals(expected, mm.flags(pfn));

        // each field can change without disturbing the others
        mm.setOrder(pfn, 3);
        mm.setLinks(pfn, ZoneType.DMA32.ordinal(), 2);
        mm.clear(pfn, PageFlags.PG_buddy);
        assertEquals(3, mm.order(pfn));
        assertEquals(ZoneType.DMA32.ordinal(), mm.zoneIndex(pfn));
        assertEquals(2, mm.nid(pfn));
        assertEquals(((1 << PageFlags.NR_PAGEFLAGS) - 1) & ~(1 << PageFlags.PG_buddy), mm.pageFlags(pfn));
        assertTrue(mm.test(pfn, PageFlags.PG_hwpoison));
    }

    @Test
    void orderMustFitItsFourBits() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mm.setOrder(BASE, 16));
        assertTrue(e.getMessage().contains("order 16") && e.getMessage().contains("0 to 15"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mm.setOrder(BASE, -1));
        assertEquals(0, mm.order(BASE), "a rejected order leaves the field alone");
    }

    @Test
    void refcountMapcountAndPrivate() {
        long pfn = BASE + 1;
        mm.setRefcount(pfn, 3);
        mm.setMapcount(pfn, 2);
        mm.setPrivate(pfn, 0x1234);
        assertEquals(3, mm.refcount(pfn));
        assertEquals(2, mm.mapcount(pfn));
        assertEquals(0x1234, mm.privateWord(pfn));
        mm.setMapcount(pfn, Short.MAX_VALUE);
        assertEquals(32767, mm.mapcount(pfn));
    }

    @Test
    void mapcountOutOfRangeIsRejected() {
        for (int bad : new int[] {-1, 32768, Integer.MAX_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mm.setMapcount(BASE, bad));
            assertTrue(e.getMessage().contains("map count " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("0 to 32767"), e.getMessage());
        }
        assertEquals(0, mm.mapcount(BASE));
    }

    @Test
    void whileOnAFreeListRefcountAndPrivateReadZero() {
        long pfn = BASE + 512;
        mm.setRefcount(pfn, 5);
        mm.setPrivate(pfn, 9);
        mm.set(pfn, PageFlags.PG_buddy);
        mm.setListLinks(pfn, 7, FrameTable.NO_PFN);
        assertEquals(0, mm.refcount(pfn), "page_ref_count of a free page");
        assertEquals(0, mm.privateWord(pfn), "page_private of a free page");
        assertEquals(7, mm.listNext(pfn));
        assertEquals(FrameTable.NO_PFN, mm.listPrev(pfn));
        mm.setListNext(pfn, 1000);
        mm.setListPrev(pfn, 2000);
        assertEquals(1000, mm.listNext(pfn));
        assertEquals(2000, mm.listPrev(pfn));
        assertEquals(0, mm.refcount(pfn));

        // taken off the list: the words are the allocator's to set again
        mm.clear(pfn, PageFlags.PG_buddy);
        assertEquals(1000, mm.refcount(pfn), "the union: the same word held the link");
        mm.setRefcount(pfn, 1);
        mm.setPrivate(pfn, 0);
        assertEquals(1, mm.refcount(pfn));
        assertEquals(1, mm.listNext(pfn));
        assertEquals(0, mm.privateWord(pfn));
    }

    @Test
    void pageblockMigratetypeCoversWholeAlignedBlocks() {
        mm.setPageblockMigratetype(BASE + 512 + 17, MigrateType.MOVABLE.ordinal());
        assertEquals(MigrateType.MOVABLE.ordinal(), mm.pageblockMigratetype(BASE + 512));
        assertEquals(MigrateType.MOVABLE.ordinal(), mm.pageblockMigratetype(BASE + 1023));
        assertEquals(MigrateType.UNMOVABLE.ordinal(), mm.pageblockMigratetype(BASE + 511));
        assertEquals(MigrateType.UNMOVABLE.ordinal(), mm.pageblockMigratetype(BASE + 1024));
        mm.setPageblockMigratetype(END - 1, MigrateType.ISOLATE.ordinal());
        assertEquals(MigrateType.ISOLATE.ordinal(), mm.pageblockMigratetype(END - 512));
    }

    @Test
    void pageblocksFollowAbsolutePfnsWhenTheTableIsNotAligned() {
        // x86_64's DMA zone starts at pfn 1; pageblocks are aligned to absolute pfns, not to the table
        MemMap odd = new MemMap(1, 2049);
        odd.setPageblockMigratetype(511, MigrateType.RECLAIMABLE.ordinal());
        assertEquals(MigrateType.RECLAIMABLE.ordinal(), odd.pageblockMigratetype(1));
        assertEquals(MigrateType.UNMOVABLE.ordinal(), odd.pageblockMigratetype(512));
        odd.setPageblockMigratetype(2048, MigrateType.HIGHATOMIC.ordinal());
        assertEquals(MigrateType.HIGHATOMIC.ordinal(), odd.pageblockMigratetype(2048));
        assertEquals(MigrateType.UNMOVABLE.ordinal(), odd.pageblockMigratetype(2047));
    }

    @Test
    void pageExtIsAllocatedOnFirstRealWrite() {
        long base = mm.heapBytes();
        long pfn = BASE + 3;
        // writing the default value into a section without an extension allocates nothing
        mm.setOwner(pfn, 0);
        mm.setMemcg(pfn, 0);
        mm.setContentToken(pfn, 0);
        assertEquals(base, mm.heapBytes());

        mm.setOwner(pfn, 42);
        long oneSection = mm.heapBytes() - base;
        assertTrue(oneSection >= MemMap.SECTION_FRAMES * (4L + 2 + 8), "owner, memcg and token for 32768 frames: " + oneSection);
        mm.setMemcg(pfn + 1, 7);
        mm.setContentToken(BASE + MemMap.SECTION_FRAMES - 1, 99L);
        assertEquals(base + oneSection, mm.heapBytes(), "the same section's extension is reused");

        mm.setContentToken(BASE + MemMap.SECTION_FRAMES, 5L);
        assertEquals(base + 2 * oneSection, mm.heapBytes(), "the second section gets its own");

        assertEquals(42, mm.owner(pfn));
        assertEquals(7, mm.memcg(pfn + 1));
        assertEquals(99L, mm.contentToken(BASE + MemMap.SECTION_FRAMES - 1));
        assertEquals(5L, mm.contentToken(BASE + MemMap.SECTION_FRAMES));
        assertEquals(0, mm.owner(pfn + 1));
        assertEquals(0, mm.contentToken(pfn));
        // clearing writes through once the extension exists
        mm.setOwner(pfn, 0);
        assertEquals(0, mm.owner(pfn));
    }

    @Test
    void heapBytesCountsFourteenBytesAFrame() {
        long frames = END - BASE;
        long bytes = mm.heapBytes();
        assertTrue(bytes >= 14 * frames && bytes < 14 * frames + 4096, "about 14 bytes a frame: " + bytes);
    }

    @Test
    void memcgIdsAreUnsignedSixteenBit() {
        mm.setMemcg(BASE, 65535);
        assertEquals(65535, mm.memcg(BASE));
        for (int bad : new int[] {-1, 65536}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> mm.setMemcg(BASE, bad));
            assertTrue(e.getMessage().contains("memcg id " + bad), e.getMessage());
            assertTrue(e.getMessage().contains("0 to 65535"), e.getMessage());
        }
        assertEquals(65535, mm.memcg(BASE));
    }

    @Test
    void ownersAndTokensKeepTheirFullRange() {
        mm.setOwner(BASE, -5);
        mm.setOwner(BASE + 1, Integer.MAX_VALUE);
        mm.setContentToken(BASE, Long.MIN_VALUE);
        assertEquals(-5, mm.owner(BASE));
        assertEquals(Integer.MAX_VALUE, mm.owner(BASE + 1));
        assertEquals(Long.MIN_VALUE, mm.contentToken(BASE));
    }

    @Test
    void pfnValidFollowsPresentSections() {
        assertFalse(mm.pfnValid(BASE), "no section is present yet");
        mm.markSectionPresent(BASE + MemMap.SECTION_FRAMES + 5);
        assertFalse(mm.pfnValid(BASE + MemMap.SECTION_FRAMES - 1));
        assertTrue(mm.pfnValid(BASE + MemMap.SECTION_FRAMES));
        assertTrue(mm.pfnValid(END - 1));
        assertFalse(mm.pfnValid(END), "outside the table is never valid, and does not throw");
        assertFalse(mm.pfnValid(BASE - 1));
        assertFalse(mm.pfnValid(Long.MIN_VALUE));
    }

    @Test
    void everyPfnAccessorRejectsPfnsOutsideTheTable() {
        List<LongConsumer> accessors = List.of(
                mm::flags, p -> mm.test(p, 0), p -> mm.set(p, 0), p -> mm.clear(p, 0), mm::pageFlags, mm::zoneIndex, mm::nid,
                mm::order, p -> mm.setOrder(p, 1), mm::refcount, p -> mm.setRefcount(p, 1), mm::mapcount,
                p -> mm.setMapcount(p, 1), mm::privateWord, p -> mm.setPrivate(p, 1), mm::listNext, mm::listPrev,
                p -> mm.setListLinks(p, 1, 2), p -> mm.setListNext(p, 1), p -> mm.setListPrev(p, 1),
                mm::pageblockMigratetype, p -> mm.setPageblockMigratetype(p, 1), mm::owner, p -> mm.setOwner(p, 1),
                mm::memcg, p -> mm.setMemcg(p, 1), mm::contentToken, p -> mm.setContentToken(p, 1),
                p -> mm.setLinks(p, 1, 1), mm::markSectionPresent);
        for (long bad : new long[] {BASE - 1, END, -1}) {
            for (LongConsumer a : accessors) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> a.accept(bad));
                assertTrue(e.getMessage().contains("pfn " + bad), e.getMessage());
                assertTrue(e.getMessage().contains("outside the frame table"), e.getMessage());
            }
        }
    }

    @Test
    void theOutOfRangeMessageNamesTheValidRange() {
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> mm.refcount(END));
        assertEquals("pfn " + END + " (0x50000) is outside the frame table [0x40000, 0x50000)", e.getMessage());
    }

    @Test
    void emptyOrHugeTablesAreRejected() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> new MemMap(10, 10));
        assertTrue(empty.getMessage().contains("[10, 10)") && empty.getMessage().contains("empty"), empty.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new MemMap(10, 5));
        assertThrows(IllegalArgumentException.class, () -> new MemMap(0, 1L << 40));
    }
}

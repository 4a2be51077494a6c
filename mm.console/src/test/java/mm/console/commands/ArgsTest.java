package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import mm.api.slab.SlabFlags;
import org.junit.jupiter.api.Test;

class ArgsTest {

    private static String error(Runnable r) {
        return assertThrows(CommandError.class, r::run).getMessage();
    }

    @Test
    void sizesInDecimalHexAndWithBinarySuffixes() {
        assertEquals(100, Args.size("size", "100", 0, 1 << 22));
        assertEquals(0, Args.size("size", "0", 0, 1 << 22));
        assertEquals(128, Args.size("size", "0x80", 0, 1 << 22));
        assertEquals(4096, Args.size("size", "4K", 0, 1 << 22));
        assertEquals(4096, Args.size("size", "4k", 0, 1 << 22));
        assertEquals(2 << 20, Args.size("size", " 2M ", 0, 1 << 22));
        assertEquals(1L << 30, Args.size("size", "1G", 0, 1L << 30));
    }

    @Test
    void sizesOutOfRangeOrMalformedSayWhatIsAccepted() {
        String accepted = "accepted are 0 to 4194304 (4M) bytes, e.g. 100, 0x80, 4K, 2M";
        assertEquals("size '5M' is not valid: " + accepted, error(() -> Args.size("size", "5M", 0, 1 << 22)));
        assertEquals("size '4194305' is not valid: " + accepted, error(() -> Args.size("size", "4194305", 0, 1 << 22)));
        assertEquals("size '-1' is not valid: " + accepted, error(() -> Args.size("size", "-1", 0, 1 << 22)));
        assertEquals("size 'ten' is not valid: " + accepted, error(() -> Args.size("size", "ten", 0, 1 << 22)));
        assertEquals("size '4KB' is not valid: " + accepted, error(() -> Args.size("size", "4KB", 0, 1 << 22)));
        assertEquals("size '99999999999999999999999' is not valid: " + accepted,
                error(() -> Args.size("size", "99999999999999999999999", 0, 1 << 22)));
        assertEquals("size '9999999999999G' is not valid: " + accepted, error(() -> Args.size("size", "9999999999999G", 0, 1 << 22)));
        assertEquals("align '8' is not valid: accepted are 16 to 4096 (4K) bytes, e.g. 100, 0x80, 4K, 2M",
                error(() -> Args.size("align", "8", 16, 4096)));
    }

    @Test
    void addressesInHexOrAsALongOrAsWhatKmallocReturned() {
        assertEquals(0xffff888004a1c080L, Args.address("0xffff888004a1c080"));
        assertEquals(0xffff888004a1c080L, Args.address("0xFFFF888004A1C080"));
        assertEquals(0xffff888004a1c080L, Args.address(Long.toString(0xffff888004a1c080L)));
        assertEquals(0xffff888004a1c080L, Args.address(new SlabObject(0xffff888004a1c080L, "kmalloc-128").toString()));
        assertEquals(16, Args.address("0x10"));
        assertEquals(0, Args.address("0"));
    }

    @Test
    void badAddressesSayWhatIsAccepted() {
        for (String bad : new String[] {"0x", "0xffff888004a1c080f", "ffff888004a1c080", "0xzz", "+5", ""}) {
            assertEquals("address '" + bad + "' is not a kernel address: accepted are 0xffff888004a1c080 (hex, as mm:kmalloc "
                    + "prints it) or a variable holding what mm:kmalloc returned", error(() -> Args.address(bad)), bad);
        }
    }

    @Test
    void hexBytesFirstByteFirst() {
        assertArrayEquals(new byte[] {0x78}, Args.hexBytes("78"));
        assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad, (byte) 0xbe, (byte) 0xef}, Args.hexBytes("deadbeef"));
        assertArrayEquals(new byte[] {0x6b, 0x6b}, Args.hexBytes("0x6B6B"));
        for (String bad : new String[] {"7", "xyz1", "", "0x", "12 34"}) {
            assertEquals("bytes '" + bad + "' are not hexadecimal: accepted are pairs of hex digits, first byte first, "
                    + "e.g. 78 or deadbeef", error(() -> Args.hexBytes(bad)), bad);
        }
    }

    @Test
    void slabFlagsByNameOrSlubDebugLetters() {
        assertEquals(0, Args.slabFlags("0"));
        assertEquals(SlabFlags.SLAB_HWCACHE_ALIGN | SlabFlags.SLAB_POISON, Args.slabFlags("SLAB_HWCACHE_ALIGN+poison"));
        assertEquals(SlabFlags.SLAB_RED_ZONE | SlabFlags.SLAB_POISON | SlabFlags.SLAB_CONSISTENCY_CHECKS,
                Args.slabFlags("slub_debug=FZP"));
        assertEquals(SlabFlags.SLAB_DEBUG_FLAGS | SlabFlags.SLAB_HWCACHE_ALIGN, Args.slabFlags("hwcache_align+slub_debug="));
        String unknown = error(() -> Args.slabFlags("SLAB_BOGUS"));
        assertEquals(true, unknown.startsWith("unknown slab flag 'SLAB_BOGUS': accepted are SLAB_CONSISTENCY_CHECKS, "), unknown);
        assertEquals(true, unknown.endsWith(", or slub_debug=LETTERS (e.g. slub_debug=FZP)"), unknown);
        assertEquals("unknown slub_debug option 'Q': accepted are F (sanity checks), Z (red zones), P (poisoning), "
                + "U (user tracking), T (trace), - (none)", error(() -> Args.slabFlags("slub_debug=Q")));
    }
}

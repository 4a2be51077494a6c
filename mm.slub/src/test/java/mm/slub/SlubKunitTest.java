package mm.slub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.api.slab.KmemCache;
import mm.api.slab.SlabFlags;
import mm.api.subsystem.Handover;
import mm.buddy.BuddyAllocator;
import mm.core.slab.SlabGeometry;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/**
 * The kernel's SLUB KUnit suite ({@code slub_test}, lib/tests/slub_kunit.c), case by case. The
 * kernel counts errors as reports ({@code slab_bug}) plus repairs ({@code slab_fix}); here they are
 * the {@code BUG} and {@code FIX} lines {@code validate} returns.
 */
class SlubKunitTest {

    private static final MachineConfig SMALL = new MachineConfig(Arch.X86_64, 256L << 20, 2, 1, 0);

    private static SlubAllocator slub(long slubDebug, String... caches) {
        MachineImpl m = MachineImpl.boot(SMALL);
        SlubAllocator s = new SlubAllocator(m, new BuddyAllocator(m), SlabGeometry.Tunables.DEFAULT);
        s.setSlubDebug(slubDebug, List.of(caches));
        s.adopt(Handover.BOOT);
        return s;
    }

    private static long slabErrors(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("BUG ") || l.startsWith("FIX ")).count();
    }

    private static byte[] fill(int n, int b) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }

    @Test
    void test_clobber_zone() {
        SlubAllocator s = slub(0);
        KmemCache c = s.kmemCacheCreate("TestSlub_RZ_alloc", 64, 0, SlabFlags.SLAB_RED_ZONE, null);
        long p = s.kmemCacheAlloc(c, Gfp.GFP_KERNEL);
        s.poke(p + 64, new byte[] {0x12});
        List<String> errors = s.validate(c);
        assertEquals(2, slabErrors(errors), errors.toString());
        assertTrue(errors.contains("BUG TestSlub_RZ_alloc (Not tainted): Right Redzone overwritten"));
        s.kmemCacheFree(c, p);
        s.kmemCacheDestroy(c);
    }

    /**
     * The kernel also finds the slab's in-use count wrong (its free chain is the corrupted pointer
     * itself) and corrects it, 3 errors then 2; here the chain is kept beside the memory, so the
     * corrupted pointer is reported and restored: 2 errors, then none.
     */
    @Test
    void test_next_pointer() {
        SlubAllocator s = slub(0);
        KmemCache c = s.kmemCacheCreate("TestSlub_next_ptr_free", 64, 0, SlabFlags.SLAB_POISON, null);
        long p = s.kmemCacheAlloc(c, Gfp.GFP_KERNEL);
        s.kmemCacheFree(c, p);
        int offset = Integer.parseInt(s.sysfs(c).get("slab_size")) - 8; // the free pointer follows the object (poisoning)
        assertEquals(64, offset);
        byte[] fp = s.peek(p + offset, 1);
        s.poke(p + offset, new byte[] {(byte) ~fp[0]});
        List<String> errors = s.validate(c);
        assertEquals(2, slabErrors(errors), errors.toString());
        assertTrue(errors.contains("BUG TestSlub_next_ptr_free (Not tainted): Freechain corrupt"), errors.toString());
        assertEquals(0, slabErrors(s.validate(c)));
        s.kmemCacheDestroy(c);
    }

    @Test
    void test_first_word() {
        SlubAllocator s = slub(0);
        KmemCache c = s.kmemCacheCreate("TestSlub_1th_word_free", 64, 0, SlabFlags.SLAB_POISON, null);
        long p = s.kmemCacheAlloc(c, Gfp.GFP_KERNEL);
        s.kmemCacheFree(c, p);
        s.poke(p, new byte[] {0x78});
        List<String> errors = s.validate(c);
        assertEquals(2, slabErrors(errors), errors.toString());
        assertTrue(errors.contains("BUG TestSlub_1th_word_free (Not tainted): Poison overwritten"));
        s.kmemCacheDestroy(c);
    }

    @Test
    void test_clobber_50th_byte() {
        SlubAllocator s = slub(0);
        KmemCache c = s.kmemCacheCreate("TestSlub_50th_word_free", 64, 0, SlabFlags.SLAB_POISON, null);
        long p = s.kmemCacheAlloc(c, Gfp.GFP_KERNEL);
        s.kmemCacheFree(c, p);
        s.poke(p + 50, new byte[] {(byte) 0x9a});
        List<String> errors = s.validate(c);
        assertEquals(2, slabErrors(errors), errors.toString());
        assertTrue(errors.contains(String.format("0x%016x-0x%016x @offset=50. First byte 0x9a instead of 0x6b", p + 50, p + 50)),
                errors.toString());
        s.kmemCacheDestroy(c);
    }

    @Test
    void test_clobber_redzone_free() {
        SlubAllocator s = slub(0);
        KmemCache c = s.kmemCacheCreate("TestSlub_RZ_free", 64, 0, SlabFlags.SLAB_RED_ZONE, null);
        long p = s.kmemCacheAlloc(c, Gfp.GFP_KERNEL);
        s.kmemCacheFree(c, p);
        s.poke(p + 64, new byte[] {(byte) 0xab});
        List<String> errors = s.validate(c);
        assertEquals(2, slabErrors(errors), errors.toString());
        assertTrue(errors.contains(String.format("0x%016x-0x%016x @offset=72. First byte 0xab instead of 0xbb", p + 64, p + 64)),
                errors.toString());
        s.kmemCacheDestroy(c);
    }

    /** kmalloc(18) from a 32-byte kmalloc cache with SLAB_STORE_USER|SLAB_RED_ZONE: bytes 18.. are a red zone. */
    @Test
    void test_kmalloc_redzone_access() {
        SlubAllocator s = slub(SlabFlags.SLAB_STORE_USER | SlabFlags.SLAB_RED_ZONE, "kmalloc-32");
        long p = s.kmalloc(18, Gfp.GFP_KERNEL);
        KmemCache c = s.cacheOf(p).orElseThrow();
        assertEquals("kmalloc-32", c.name());
        s.poke(p + 18, new byte[] {(byte) 0xab, (byte) 0xab});
        List<String> errors = s.validate(c);
        assertEquals(2, slabErrors(errors), errors.toString());
        assertTrue(errors.contains("BUG kmalloc-32 (Not tainted): kmalloc Redzone overwritten"), errors.toString());
        s.kfree(p);
    }

    @Test
    void test_leak_destroy() {
        SlubAllocator s = slub(0);
        KmemCache c = s.kmemCacheCreate("TestSlub_leak_destroy", 64, 0, SlabFlags.SLAB_NO_MERGE, null);
        s.kmemCacheAlloc(c, Gfp.GFP_KERNEL);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> s.kmemCacheDestroy(c));
        assertTrue(e.getMessage().startsWith("Objects remaining in TestSlub_leak_destroy on __kmem_cache_shutdown()"));
    }

    @Test
    void test_krealloc_redzone_zeroing() {
        SlubAllocator s = slub(SlabFlags.SLAB_STORE_USER | SlabFlags.SLAB_RED_ZONE, "kmalloc-64", "kmalloc-128");
        int zero = Gfp.GFP_KERNEL | Gfp.__GFP_ZERO;
        long p = s.kmalloc(48, Gfp.GFP_KERNEL);
        s.poke(p, fill(48, 0xff));
        // shrink
        p = s.krealloc(p, 40, zero);
        byte[] b = s.peek(p, 64);
        for (int i = 40; i < 64; i++) {
            assertEquals((byte) 0xcc, b[i], "byte " + i);
        }
        // grow within the same 64-byte object
        p = s.krealloc(p, 56, zero);
        b = s.peek(p, 64);
        for (int i = 40; i < 56; i++) {
            assertEquals(0, b[i], "byte " + i);
        }
        for (int i = 56; i < 64; i++) {
            assertEquals((byte) 0xcc, b[i], "byte " + i);
        }
        assertEquals(0, slabErrors(s.validate(s.cacheOf(p).orElseThrow())));
        s.poke(p, fill(56, 0xff));
        // grow into a 128-byte object
        p = s.krealloc(p, 112, zero);
        assertEquals("kmalloc-128", s.cacheOf(p).orElseThrow().name());
        b = s.peek(p, 112);
        for (int i = 0; i < 56; i++) {
            assertEquals((byte) 0xff, b[i], "byte " + i);
        }
        for (int i = 56; i < 112; i++) {
            assertEquals(0, b[i], "byte " + i);
        }
        s.kfree(p);
        assertTrue(s.check().isEmpty());
    }
}

package mm.tck;

import java.util.List;
import java.util.Random;
import mm.api.frame.Gfp;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabCorruptionException;
import mm.api.slab.SlabFlags;

/**
 * The checks of slab debugging (slub_debug=FZPU, mm/slub.c), after the kernel's own KUnit suite
 * {@code lib/tests/slub_kunit.c}: test_clobber_zone and test_clobber_redzone_free (a byte written
 * just past a live or a freed object is found in the right red zone), test_first_word and
 * test_clobber_50th_byte (a byte written into a freed object of a SLAB_POISON cache is found in
 * its poison), and a double free ({@code free_consistency_checks()}: "Object already free").
 * Reports are the kernel's: the first line {@code BUG NAME (Not tainted): WHAT} ({@code slab_bug()}),
 * "Right Redzone overwritten" and "Poison overwritten" from {@code check_bytes_and_report()}. The
 * patterns are {@code init_object()}'s: POISON_FREE 0x6b with POISON_END 0xa5 as the last byte of
 * an object of a SLAB_POISON cache (allocated or free), SLUB_RED_ACTIVE 0xcc / SLUB_RED_INACTIVE
 * 0xbb in the right red zone of an allocated / free object. Not checked, because the contract does
 * not expose what they need: test_next_pointer (the free pointer's offset),
 * test_kmalloc_redzone_access and test_krealloc_redzone_zeroing (kmalloc caches with debugging),
 * the kfree_rcu tests.
 *
 * @param subject the implementation graded, the machines and frame allocator it runs on, the reference and the time limit
 */
record SlabDebugChecks(SlabSubject subject) {

    private static final byte POISON_FREE = 0x6b;
    private static final byte POISON_END = (byte) 0xa5;
    private static final byte RED_ACTIVE = (byte) 0xcc;
    private static final byte RED_INACTIVE = (byte) 0xbb;

    /** {@code debug-double-free-reported}: with SLAB_DEBUG_FLAGS a double free is a SlabCorruptionException "BUG NAME (Not tainted): ...". */
    void debugDoubleFreeReported() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        KmemCache kc = c.kmemCacheCreate("tck-debug-df", 64, 0, SlabFlags.SLAB_DEBUG_FLAGS, null);
        long keep = rig.alloc(kc, Gfp.GFP_KERNEL);
        long p = rig.alloc(kc, Gfp.GFP_KERNEL);
        rig.free(kc, p);
        String call = "kmemCacheFree(tck-debug-df, " + SlabRig.hex(p) + ") of an object already freed";
        String prefix = "BUG tck-debug-df (Not tainted): ";
        try {
            c.kmemCacheFree(kc, p);
            throw Expect.fail("%s was accepted: with SLAB_CONSISTENCY_CHECKS it is reported (\"%sObject already free\")", call,
                    prefix);
        } catch (SlabCorruptionException e) {
            Expect.that(e.getMessage() != null && e.getMessage().startsWith(prefix), "%s threw SlabCorruptionException(\"%s\"), "
                    + "whose message does not start with \"%s\" (slab_bug())", call, e.getMessage(), prefix);
            Expect.that(e.report() != null && e.report().contains(e.getMessage()), "%s threw a SlabCorruptionException whose "
                    + "report() does not hold its message line", call);
        } catch (RuntimeException e) {
            throw Expect.fail("%s threw %s: with debugging flags the contract requires SlabCorruptionException", call,
                    ConformanceCheck.reason(e));
        }
        long inUse = SlabRig.inUse(c, kc);
        Expect.that(inUse == 1, "after the reported double free, slabinfo(tck-debug-df) shows %d active objects, not 1", inUse);
        expectClean(c, kc, "after the reported double free");
        rig.expectLiveIntact(c, "after the reported double free");
        // the object was not put on the freelist twice: two allocations are two objects (the rig checks overlaps)
        for (int i = 0; i < 2 * kc.objectsPerSlab(); i++) {
            rig.alloc(kc, Gfp.GFP_KERNEL);
        }
        rig.free(kc, keep);
        rig.freeAll(c, new Random(Workload.SEED + 51));
        c.kmemCacheDestroy(kc);
        rig.expectBackToBoot("the reported double free");
    }

    /**
     * {@code debug-redzone-overwrite-reported}: a byte written just past a live object, and past a
     * freed one, of a SLAB_RED_ZONE cache is found by validate() ("Redzone"), and by the free of
     * the object when SLAB_CONSISTENCY_CHECKS is on too.
     */
    void debugRedzoneOverwriteReported() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        KmemCache rz = c.kmemCacheCreate("tck-rz-alloc", 64, 0, SlabFlags.SLAB_RED_ZONE, null);
        long keep = rig.alloc(rz, Gfp.GFP_KERNEL);
        long p = rig.alloc(rz, Gfp.GFP_KERNEL);
        clobber(c, rz, p + 64, (byte) 0x12, "Redzone", "byte 64 of the live 64-byte object " + SlabRig.hex(p));
        rig.free(rz, p);
        long q = rig.alloc(rz, Gfp.GFP_KERNEL);
        rig.free(rz, q);
        clobber(c, rz, q + 64, (byte) 0xab, "Redzone", "byte 64 of the freed 64-byte object " + SlabRig.hex(q));
        rig.free(rz, keep);
        c.kmemCacheDestroy(rz);

        KmemCache full = c.kmemCacheCreate("tck-rz-free", 64, 0, SlabFlags.SLAB_DEBUG_FLAGS, null);
        long other = rig.alloc(full, Gfp.GFP_KERNEL);
        long r = rig.alloc(full, Gfp.GFP_KERNEL);
        byte[] orig = c.peek(r + 64, 1);
        c.poke(r + 64, new byte[] {0x12});
        rig.forget(r);
        String call = "kmemCacheFree(tck-rz-free, " + SlabRig.hex(r) + ") after byte 64 of the object was overwritten";
        try {
            c.kmemCacheFree(full, r);
            throw Expect.fail("%s was accepted: with SLAB_CONSISTENCY_CHECKS and SLAB_RED_ZONE the free checks the red zone "
                    + "(\"Right Redzone overwritten\")", call);
        } catch (SlabCorruptionException e) {
            String prefix = "BUG tck-rz-free (";
            Expect.that(e.getMessage() != null && e.getMessage().startsWith(prefix), "%s threw SlabCorruptionException(\"%s\"), "
                    + "whose message does not start with \"%s\"", call, e.getMessage(), prefix);
            Expect.that(mentions(e.report(), "Redzone") || e.getMessage().contains("Redzone"), "%s threw "
                    + "SlabCorruptionException(\"%s\"), whose report does not mention \"Redzone\"", call, e.getMessage());
        } catch (RuntimeException e) {
            throw Expect.fail("%s threw %s: the contract requires SlabCorruptionException", call, ConformanceCheck.reason(e));
        }
        if (SlabRig.inUse(c, full) == 2) {
            // the kernel keeps the object ("Object at ... not freed"): repair it and free it
            c.poke(r + 64, orig);
            c.kmemCacheFree(full, r);
        }
        long inUse = SlabRig.inUse(c, full);
        Expect.that(inUse == 1, "after the reported free and its repair, slabinfo(tck-rz-free) shows %d active objects, not 1",
                inUse);
        expectClean(c, full, "after the reported free");
        rig.free(full, other);
        c.kmemCacheDestroy(full);
        rig.expectBackToBoot("the red zone checks");
    }

    /** {@code debug-poison-overwrite-reported}: a byte written into a freed object of a SLAB_POISON cache (first word, 50th byte) is found by validate() ("Poison"). */
    void debugPoisonOverwriteReported() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        KmemCache kc = c.kmemCacheCreate("tck-poison", 64, 0, SlabFlags.SLAB_POISON, null);
        long keep = rig.alloc(kc, Gfp.GFP_KERNEL);
        long p = rig.alloc(kc, Gfp.GFP_KERNEL);
        rig.free(kc, p);
        clobber(c, kc, p, (byte) 0x78, "Poison", "the first byte of the freed object " + SlabRig.hex(p));
        clobber(c, kc, p + 50, (byte) 0x9a, "Poison", "byte 50 of the freed object " + SlabRig.hex(p));
        clobber(c, kc, p + 63, (byte) 0x6b, "Poison", "the last byte (POISON_END) of the freed object " + SlabRig.hex(p));
        rig.free(kc, keep);
        c.kmemCacheDestroy(kc);
        rig.expectBackToBoot("the poison checks");
    }

    /** {@code debug-poison-and-redzone-patterns}: peek shows init_object()'s patterns on allocated, freed and __GFP_ZERO objects. */
    void debugPoisonAndRedzonePatterns() {
        SlabRig rig = subject.rig();
        ObjectCache c = rig.active;
        for (int size : new int[] {64, 60}) {
            String name = "tck-pattern-" + size;
            KmemCache kc = c.kmemCacheCreate(name, size, 0, SlabFlags.SLAB_POISON | SlabFlags.SLAB_RED_ZONE, null);
            int rzBytes = size % 8 == 0 ? 8 : 8 - size % 8;
            long keep = rig.alloc(kc, Gfp.GFP_KERNEL);
            long p = rig.alloc(kc, Gfp.GFP_KERNEL);
            expectPoison(c, p, size, "a freshly allocated object of " + name);
            expectFill(c, p + size, rzBytes, RED_ACTIVE, "the right red zone of a live object of " + name + " (SLUB_RED_ACTIVE)");
            rig.free(kc, p);
            expectPoison(c, p, size, "a freed object of " + name);
            expectFill(c, p + size, rzBytes, RED_INACTIVE, "the right red zone of a freed object of " + name
                    + " (SLUB_RED_INACTIVE)");
            long z = rig.alloc(kc, Gfp.GFP_KERNEL | Gfp.__GFP_ZERO);
            expectFill(c, z, size, (byte) 0, "an object of " + name + " allocated with __GFP_ZERO");
            expectFill(c, z + size, rzBytes, RED_ACTIVE, "the right red zone of a live object of " + name);
            expectClean(c, kc, "with objects allocated, freed and zeroed");
            rig.free(kc, z);
            rig.free(kc, keep);
            c.kmemCacheDestroy(kc);
        }
        rig.expectBackToBoot("the pattern checks");
    }

    /** Writes one byte, expects validate() to report {@code word}, writes the old byte back, expects validate() clean. */
    private static void clobber(ObjectCache c, KmemCache kc, long addr, byte value, String word, String what) {
        byte[] orig = c.peek(addr, 1);
        Expect.that(orig != null && orig.length == 1, "peek(%s, 1) returned %s", SlabRig.hex(addr),
                orig == null ? "null" : orig.length + " bytes");
        c.poke(addr, new byte[] {value});
        List<String> report = c.validate(kc);
        c.poke(addr, orig);
        Expect.that(report != null && !report.isEmpty(), "validate(%s) found nothing after 0x%02x was written at %s (%s)",
                kc.name(), value & 0xff, SlabRig.hex(addr), what);
        Expect.that(mentions(report, word), "validate(%s) after 0x%02x was written at %s (%s) reports \"%s\", which does not "
                + "mention \"%s\"", kc.name(), value & 0xff, SlabRig.hex(addr), what, report.get(0), word);
        expectClean(c, kc, "after the byte written at " + SlabRig.hex(addr) + " was restored");
    }

    private static boolean mentions(List<String> lines, String word) {
        return lines != null && lines.stream().anyMatch(l -> l != null && l.contains(word));
    }

    /** validate() and check() find nothing. */
    private static void expectClean(ObjectCache c, KmemCache kc, String when) {
        List<String> v = c.validate(kc);
        Expect.that(v != null && v.isEmpty(), "validate(%s) %s reports: %s", kc.name(), when,
                v == null ? "null" : v.isEmpty() ? "" : v.get(0));
        Expect.noProblems(c.check(), when);
    }

    /** POISON_FREE in every byte but the last, which is POISON_END. */
    private static void expectPoison(ObjectCache c, long addr, int size, String what) {
        byte[] b = c.peek(addr, size);
        Expect.that(b != null && b.length == size, "peek(%s, %d) returned %s", SlabRig.hex(addr), size,
                b == null ? "null" : b.length + " bytes");
        for (int i = 0; i < size; i++) {
            byte want = i == size - 1 ? POISON_END : POISON_FREE;
            Expect.that(b[i] == want, "byte %d of %s at %s is 0x%02x, not 0x%02x (SLAB_POISON fills the object with POISON_FREE "
                    + "0x6b and ends it with POISON_END 0xa5)", i, what, SlabRig.hex(addr), b[i] & 0xff, want & 0xff);
        }
    }

    private static void expectFill(ObjectCache c, long addr, int n, byte value, String what) {
        byte[] b = c.peek(addr, n);
        Expect.that(b != null && b.length == n, "peek(%s, %d) returned %s", SlabRig.hex(addr), n,
                b == null ? "null" : b.length + " bytes");
        for (int i = 0; i < n; i++) {
            Expect.that(b[i] == value, "byte %d of %s at %s is 0x%02x, not 0x%02x", i, what, SlabRig.hex(addr), b[i] & 0xff,
                    value & 0xff);
        }
    }
}

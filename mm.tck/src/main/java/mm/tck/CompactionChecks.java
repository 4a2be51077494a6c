package mm.tck;

import static mm.tck.Expect.hex;
import static mm.tck.Machines.SMALL;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MovableOps;
import mm.api.machine.Zone;

/**
 * The check of compaction (mm/compaction.c): movable pages move with their frames' state and
 * content token, their owner is told, the free pages stay as many, and freeing every page gives
 * the zones back.
 *
 * @param subject the implementation graded, the machines it runs on, the reference and the time limit
 */
record CompactionChecks(Subject subject) {

    /** An owner id for the check's pages, as a process's pid would be. */
    private static final int OWNER = 7777;

    /** Order-2 movable blocks allocated before the machine is filled, so that compaction moves blocks above order 0 too. */
    private static final int ORDER2_BLOCKS = 64;

    /**
     * The check's blocks as their owner knows them: first pfn to order. Problems seen in the
     * callbacks are kept, not thrown into the implementation's code, and checked afterwards.
     */
    private static final class Owner implements MovableOps {
        final Map<Long, Integer> blocks = new HashMap<>();
        final Map<Long, Long> tokens = new HashMap<>();
        long moved;
        String problem;

        void hold(FrameTable ft, long pfn, int order) {
            blocks.put(pfn, order);
            for (long p = pfn; p < pfn + (1L << order); p++) {
                ft.setContentToken(p, 0x7c0000000000L | p);
                tokens.put(p, 0x7c0000000000L | p);
            }
        }

        @Override
        public synchronized boolean isolatePage(long pfn, int order) {
            Integer held = blocks.get(pfn);
            if (held == null || held != order) {
                problem(String.format("isolatePage(%s, %d) for a block the owner does not hold at that order", hex(pfn), order));
                return false;
            }
            return true;
        }

        @Override
        public synchronized void migratePage(long src, long dst, int order) {
            Integer held = blocks.remove(src);
            if (held == null || held != order || blocks.containsKey(dst)) {
                problem(String.format("migratePage(%s, %s, %d): the owner holds %s at order %s, and %s %s", hex(src), hex(dst), order,
                        hex(src), held, hex(dst), blocks.containsKey(dst) ? "already" : "not"));
                return;
            }
            blocks.put(dst, order);
            for (long i = 0; i < (1L << order); i++) {
                tokens.put(dst + i, tokens.remove(src + i));
            }
            moved += 1L << order;
        }

        @Override
        public void putbackPage(long pfn, int order) {
            // stays where it is
        }

        private void problem(String p) {
            if (problem == null) {
                problem = p;
            }
        }
    }

    /**
     * {@code compaction-keeps-every-page}: a machine filled with movable pages (order 2, then order
     * 0), every other order-0 page freed, compacted zone by zone; skipped for an implementation
     * whose first {@code compactZone} says it does not compact, before changing anything.
     */
    void compactionKeepsEveryPage() throws Exception {
        AllocatorRig rig = subject.rig(SMALL);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        Owner owner = new Owner();
        try (AutoCloseable registration = m.registerMovableOps(OWNER, owner)) {
            for (int i = 0; i < ORDER2_BLOCKS; i++) {
                long p = a.allocPages(Gfp.GFP_HIGHUSER_MOVABLE, 2);
                Expect.that(p != FrameAllocator.NO_PAGE, "allocPages(GFP_HIGHUSER_MOVABLE, 2) failed on a fresh machine");
                ft.setOwner(p, OWNER);
                owner.hold(ft, p, 2);
            }
            for (long p : Fragmentation.everyOtherPageFree(a, ft, OWNER)) {
                owner.hold(ft, p, 0);
            }
            long[] before = rig.figures();
            long migrated = 0;
            boolean first = true;
            for (Zone z : rig.zones) {
                CompactResult r;
                try {
                    r = a.compactZone(z, -1);
                } catch (IllegalStateException e) {
                    if (first && owner.moved == 0 && Arrays.equals(before, rig.figures())) {
                        ConformanceCheck.skip(a.implName() + " does not compact memory: " + e.getMessage());
                    }
                    throw Expect.fail("compactZone(%s, -1) threw %s after compaction had begun", FrameCensus.name(z), e);
                }
                first = false;
                Expect.that(owner.problem == null, "compactZone(%s, -1): %s", FrameCensus.name(z), owner.problem);
                Expect.that(r != null && r.zone() == z, "compactZone(%s, -1) returned %s", FrameCensus.name(z), r);
                // the whole zone, until the scanners meet; or contended, when no free block of a source's order was left
                Expect.that(r.status() == CompactResult.Status.COMPLETE || r.status() == CompactResult.Status.CONTENDED
                        || r.status() == CompactResult.Status.NOT_SUITABLE_ZONE, "compactZone(%s, -1) ended '%s': compacting a "
                        + "whole zone ends 'complete' (or 'contended' when free blocks run out)", FrameCensus.name(z),
                        r.status().kernelName());
                migrated += r.migrated();
            }
            Expect.that(migrated > 0 && migrated == owner.moved, "compaction migrated %d pages and told the owner of %d; "
                    + "with every other page of the machine free, pages must move", migrated, owner.moved);
            a.drainAllPages();
            long[] after = rig.figures();
            for (Zone z : rig.zones) {
                Expect.that(after[z.id()] == before[z.id()], "%s had %d free pages before compaction and %d after: compaction "
                        + "neither frees nor allocates", FrameCensus.name(z), before[z.id()], after[z.id()]);
            }
            for (Map.Entry<Long, Integer> e : owner.blocks.entrySet()) {
                long p = e.getKey();
                Expect.that(ft.owner(p) == OWNER && ft.refcount(p) == 1 && ft.order(p) == e.getValue(),
                        "the order-%d block the owner holds at %s has owner %d, count %d, order %d", e.getValue(), hex(p), ft.owner(p),
                        ft.refcount(p), ft.order(p));
            }
            for (Map.Entry<Long, Long> e : owner.tokens.entrySet()) {
                long p = e.getKey();
                Expect.that(ft.contentToken(p) == e.getValue(), "the frame at %s holds token %x; the owner wrote %x there before "
                        + "it moved", hex(p), ft.contentToken(p), e.getValue());
            }
            Expect.noProblems(a.check(), "after compaction");
            for (Map.Entry<Long, Integer> e : owner.blocks.entrySet()) {
                a.freePages(e.getKey(), e.getValue());
            }
            a.drainAllPages();
            for (Zone z : rig.zones) {
                Expect.that(rig.free(a, z) == rig.adoptedFree(z), "%s has %d free pages once every page is freed, %d after "
                        + "adoption", FrameCensus.name(z), rig.free(a, z), rig.adoptedFree(z));
            }
        }
    }
}

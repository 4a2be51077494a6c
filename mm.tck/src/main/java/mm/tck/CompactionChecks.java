package mm.tck;

import static mm.tck.Expect.hex;
import static mm.tck.Machines.SMALL;

import java.util.HashMap;
import java.util.Map;
import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
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

    /** The check's pages as their owner knows them: pfn to content token. */
    private static final class Owner implements MovableOps {
        final Map<Long, Long> tokens = new HashMap<>();
        long moved;

        @Override
        public synchronized boolean isolatePage(long pfn, int order) {
            return order == 0 && tokens.containsKey(pfn);
        }

        @Override
        public synchronized void migratePage(long src, long dst, int order) {
            Long t = tokens.remove(src);
            Expect.that(t != null, "migratePage(%s, %s, %d) for a block the owner did not hold", hex(src), hex(dst), order);
            Expect.that(!tokens.containsKey(dst), "migratePage moved %s onto %s, which the owner holds already", hex(src), hex(dst));
            tokens.put(dst, t);
            moved++;
        }

        @Override
        public void putbackPage(long pfn, int order) {
            // stays where it is
        }
    }

    /**
     * {@code compaction-keeps-every-page}: a machine filled with movable pages, every other one
     * freed, compacted zone by zone; skipped for an implementation that does not compact.
     */
    void compactionKeepsEveryPage() throws Exception {
        AllocatorRig rig = subject.rig(SMALL);
        Machine m = rig.machine;
        FrameAllocator a = rig.allocator;
        FrameTable ft = rig.ft;
        Owner owner = new Owner();
        try (AutoCloseable registration = m.registerMovableOps(OWNER, owner)) {
            for (long p : Fragmentation.everyOtherPageFree(a, ft, OWNER)) {
                ft.setContentToken(p, 0x7c0000000000L | p);
                owner.tokens.put(p, 0x7c0000000000L | p);
            }
            long[] before = rig.figures();
            long migrated = 0;
            for (Zone z : rig.zones) {
                CompactResult r;
                try {
                    r = a.compactZone(z, -1);
                } catch (IllegalStateException e) {
                    ConformanceCheck.skip(a.implName() + " does not compact memory: " + e.getMessage());
                    return;
                }
                Expect.that(r != null && r.zone() == z, "compactZone(%s, -1) returned %s", FrameCensus.name(z), r);
                Expect.that(r.status() == CompactResult.Status.COMPLETE || r.status() == CompactResult.Status.NOT_SUITABLE_ZONE,
                        "compactZone(%s, -1) ended '%s': the whole zone is compacted until the scanners meet", FrameCensus.name(z),
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
            for (Map.Entry<Long, Long> e : owner.tokens.entrySet()) {
                long p = e.getKey();
                Expect.that(ft.owner(p) == OWNER && ft.refcount(p) == 1 && ft.contentToken(p) == e.getValue(),
                        "the page the owner holds at %s has owner %d, count %d, token %x; expected %d, 1, %x", hex(p), ft.owner(p),
                        ft.refcount(p), ft.contentToken(p), OWNER, e.getValue());
            }
            Expect.noProblems(a.check(), "after compaction");
            for (long p : owner.tokens.keySet()) {
                a.freePages(p, 0);
            }
            a.drainAllPages();
            for (Zone z : rig.zones) {
                Expect.that(rig.free(a, z) == rig.adoptedFree(z), "%s has %d free pages once every page is freed, %d after "
                        + "adoption", FrameCensus.name(z), rig.free(a, z), rig.adoptedFree(z));
            }
        }
    }
}

package mm.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mm.api.machine.Arch;
import mm.api.machine.MachineConfig;
import mm.bitmap.BitmapFactory;
import mm.buddy.BuddyFactory;
import mm.hw.machine.MachineFactoryImpl;
import mm.slub.SlubFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real capture re-enacted on a fresh machine with the buddy allocator and SLUB, and with the bitmap allocator. */
class ReplayTest {

    /** The default machine's shape: x86_64, 4 GiB, 4 CPUs, one node. */
    static final MachineConfig SHAPE = MachineConfig.DEFAULT;

    @TempDir
    Path tmp;

    static ReplayReport replay(Path file, mm.api.frame.FrameAllocatorFactory f, List<String> progress) throws IOException {
        Replay r = Replay.prepare(new MachineFactoryImpl(), SHAPE, f, new SlubFactory(), ReplayOptions.DEFAULT);
        return r.run(file, progress::add);
    }

    @Test
    void buddyAndSlubOnTheRealCapture() throws IOException {
        Path file = Capture.copyTo(tmp);
        List<String> progress = new ArrayList<>();
        ReplayReport r = replay(file, new BuddyFactory(), progress);
        ParseStats s = r.parse();
        assertEquals(20098, s.events());
        assertEquals(0, s.unparsed());
        assertEquals("buddy", r.frameImpl());
        assertEquals(0, r.errors(), () -> "errors: " + r.firstErrors());
        // pages: every mm_page_alloc re-enacted, none failed on a 4 GiB machine
        assertEquals(4714, r.pages().allocs());
        assertEquals(0, r.pages().failures());
        // every mm_page_free_batched follows the mm_page_free of its page in this capture: one free each
        assertEquals(4371, r.pages().batchedConfirmations());
        assertEquals(4511, r.pages().frees() + r.pages().unknownFrees());
        // every page is accounted for: free at the end + held by the replay = free at the start
        assertTrue(r.balanced(), () -> "start " + r.freeAtStart() + " end " + r.freeAtEnd() + " held " + r.pagesHeld() + " slab "
                + r.slabPagesHeld());
        long liveBlocks = r.pages().allocs() - r.pages().failures() - r.pages().frees() - r.pages().reallocated();
        assertEquals(liveBlocks, r.pagesHeld(), "only order-0 blocks in this capture");
        // objects
        assertEquals(136 + 1584, r.objects().allocs());
        assertEquals(0, r.objects().failures());
        assertEquals(487 + 1162, r.objects().frees() + r.objects().unknownFrees() + r.objects().nullFrees());
        // the kernel's kmalloc decisions: bytes_alloc of each of the 136 kmalloc events
        assertEquals(136, r.kmalloc().total());
        assertTrue(r.kmalloc().reproduced() * 100 >= 95 * r.kmalloc().total(),
                () -> r.kmalloc().reproduced() + "/136: " + r.kmalloc().firstDifferences());
        // fragmentation: sampled, within range, worst at least the end
        assertTrue(r.zones().size() >= 2);
        for (ReplayReport.ZoneFragmentation z : r.zones()) {
            assertTrue(z.worst() >= z.end() && z.worst() >= z.start() && z.end() >= 0 && z.worst() <= 1000, z.toString());
        }
        assertEquals("Normal", r.mainZone().zone().substring(r.mainZone().zone().lastIndexOf(' ') + 1));
        // progress every 10 % of a 2.8 MB trace, the same lines every time
        assertEquals(9, progress.size(), progress.toString());
        assertEquals(progress, replayProgress(file));
        System.out.println("kmalloc reproduced " + r.kmalloc().reproduced() + "/" + r.kmalloc().total() + " " + r.kmalloc().firstDifferences()
                + "; unknown page frees " + r.pages().unknownFrees() + "; unknown object frees " + r.objects().unknownFrees()
                + "; Normal unusable index worst " + r.mainZone().worst() + " end " + r.mainZone().end()
                + "; " + Math.round(r.eventsPerSecond()) + " events/s");
    }

    private List<String> replayProgress(Path file) throws IOException {
        List<String> progress = new ArrayList<>();
        replay(file, new BuddyFactory(), progress);
        return progress;
    }

    @Test
    void bitmapOnTheSameTraffic() throws IOException {
        Path file = Capture.copyTo(tmp);
        ReplayReport r = replay(file, new BitmapFactory(), new ArrayList<>());
        assertEquals("bitmap", r.frameImpl());
        assertEquals(0, r.errors(), () -> "errors: " + r.firstErrors());
        assertEquals(0, r.pages().failures());
        assertTrue(r.balanced());
    }

    @Test
    void withoutObjectCacheObjectEventsAreNotReenacted() throws IOException {
        Replay rp = Replay.prepare(new MachineFactoryImpl(), new MachineConfig(Arch.X86_64, 512L << 20, 2, 1, 0), new BuddyFactory(), null,
                ReplayOptions.DEFAULT);
        ReplayReport r = rp.run(TraceInput.of(Capture.bytes()), "capture", null);
        assertEquals(0, r.objects().allocs());
        assertTrue(r.balanced());
        assertEquals(0, r.slabPagesHeld());
    }

    /** A truncated .xz: the lines read before the damage are replayed and the report says where it stopped. */
    @Test
    void truncatedXzIsReplayedAsFarAsItGoes() throws IOException {
        Path xz = tmp.resolve("t.xz");
        try (java.io.OutputStream out = new org.tukaani.xz.XZOutputStream(java.nio.file.Files.newOutputStream(xz),
                new org.tukaani.xz.LZMA2Options(1))) {
            out.write(Capture.bytes());
        }
        byte[] all = java.nio.file.Files.readAllBytes(xz);
        // damage the middle of the compressed data; the index at the end still says how long the text is
        for (int i = all.length / 2; i < all.length / 2 + 64; i++) {
            all[i] ^= 0x5a;
        }
        java.nio.file.Files.write(xz, all);
        Replay rp = Replay.prepare(new MachineFactoryImpl(), SHAPE, new BuddyFactory(), new SlubFactory(), ReplayOptions.DEFAULT);
        ReplayReport r = rp.run(xz, null);
        assertTrue(r.readError() != null && r.readError().startsWith("the trace could not be read after line "), r.readError());
        assertTrue(r.parse().events() > 1000 && r.parse().events() < 20098, Long.toString(r.parse().events()));
        assertTrue(r.balanced());
    }

}

package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.subsystem.Switchboard;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Live hand-over of the frame allocator between the buddy and the bitmap allocators, in Felix with
 * the real bundles: under load from two threads, a hundred times in a row, from the shell, after
 * the active bundle goes away, and across a restart of the switchboard.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SwapIT extends SwapTestBase {

    static final String FA = FrameAllocator.CONTRACT;

    @org.ops4j.pax.exam.Configuration
    @Override
    public Option[] config() {
        return ItOptions.platform("2G", 4, 1);
    }

    @After
    public void buddyAgain() {
        switchboard().use(FA, "buddy");
    }

    /** The operations each load thread completes before a swap, and again after it. */
    private static final int OPS = 200;

    /** The one registration of the active frame allocator. */
    private FrameAllocator active() throws Exception {
        return active(FrameAllocator.class);
    }

    /** Free pages once the per-CPU lists are drained. */
    private long freePages() throws Exception {
        active().drainAllPages();
        return machine.zoneState(ZoneStat.NR_FREE_PAGES);
    }

    /** The free blocks per zone and order, as /proc/buddyinfo shows them. */
    private String buddyinfoShape() throws Exception {
        FrameAllocator fa = active();
        fa.drainAllPages();
        List<Long> counts = new ArrayList<>();
        for (Zone z : machine.zones()) {
            for (int o = 0; o < FrameAllocator.NR_PAGE_ORDERS; o++) {
                counts.add(fa.nrFree(z, o));
            }
        }
        return counts.toString();
    }

    @Test
    public void aSwapUnderLoadFromTwoThreadsLosesNoFrame() throws Exception {
        long bootFree = freePages();
        String bootShape = buddyinfoShape();
        FrameAllocator before = active();
        List<long[]> held = Collections.synchronizedList(new ArrayList<>());
        Switchboard.Swap swap;
        // through the reference taken before the swap: calls during it wait, calls after it are forwarded
        try (LoadThreads load = LoadThreads.start(machine, new int[] {0, 1}, cpu -> new LoadThreads.Load() {
            private final List<long[]> mine = new ArrayList<>();

            @Override
            public void step(int i) {
                int order = i % 4;
                long pfn = before.allocPages(Gfp.GFP_KERNEL, order);
                assertNotEquals(FrameAllocator.NO_PAGE, pfn);
                mine.add(new long[] {pfn, order});
                if (i % 3 == 2) {
                    long[] b = mine.remove(mine.size() / 2);
                    before.freePages(b[0], (int) b[1]);
                }
            }

            @Override
            public void finish() {
                held.addAll(mine);
            }
        })) {
            load.awaitOps(OPS);
            swap = switchboard().use(FA, "bitmap");
            load.awaitOps(OPS);
            load.stop();
        }
        assertEquals("buddy", swap.from());
        assertEquals("bitmap", swap.to());
        FrameAllocator after = active();
        assertEquals("bitmap", after.implName());
        assertTrue("blocks were held across the swap", held.size() > 0);
        assertEquals(List.of(), after.check());
        for (long[] b : held) {
            after.freePages(b[0], (int) b[1]);
        }
        assertEquals("every frame is free again", bootFree, machine.zoneState(ZoneStat.NR_FREE_PAGES));
        switchboard().use(FA, "buddy");
        assertEquals(bootFree, freePages());
        assertEquals("the buddy lists are back in their boot shape", bootShape, buddyinfoShape());
        assertEquals(List.of(), active().check());
    }

    @Test
    public void aHundredSwapsInARow() throws Exception {
        long bootFree = freePages();
        String bootShape = buddyinfoShape();
        List<long[]> held = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            FrameAllocator fa = active();
            for (int k = 0; k < 5; k++) {
                int order = (i + k) % 5;
                held.add(new long[] {fa.allocPages(k % 2 == 0 ? Gfp.GFP_KERNEL : Gfp.GFP_HIGHUSER_MOVABLE, order), order});
            }
            if (i % 4 == 3) {
                for (int k = 0; k < 6; k++) {
                    long[] b = held.remove(held.size() / 3);
                    fa.freePages(b[0], (int) b[1]);
                }
            }
            String next = i % 2 == 0 ? "bitmap" : "buddy";
            Switchboard.Swap s = switchboard().use(FA, next);
            assertEquals(next, s.to());
            assertEquals(next, switchboard().active(FA));
            assertEquals(next, active().implName());
        }
        FrameAllocator fa = active();
        assertEquals(List.of(), fa.check());
        for (long[] b : held) {
            fa.freePages(b[0], (int) b[1]);
        }
        switchboard().use(FA, "buddy");
        assertEquals(bootFree, freePages());
        assertEquals(bootShape, buddyinfoShape());
    }

    @Test
    public void theShellSwapsAndSaysWhatHappened() throws Exception {
        try (Shell sh = new Shell(processor)) {
            String buddyinfo = sh.run("mm:buddyinfo");
            sh.run("p = (mm:alloc 3)");
            assertEquals("FrameAllocator: buddy -> bitmap", sh.run("mm:use FrameAllocator bitmap"));
            String impls = sh.run("mm:impls");
            assertTrue(impls, impls.contains("* FrameAllocator  bitmap  active"));
            assertTrue(impls, impls.contains("  FrameAllocator  buddy   dormant"));
            assertEquals("FrameAllocator: bitmap is already active; nothing changed", sh.run("mm:use FrameAllocator bitmap"));
            assertEquals("ok", sh.run("mm:check"));
            String e = sh.error("mm:use FrameAllocator nope");
            assertTrue(e, e.contains("no FrameAllocator implementation named 'nope': installed are buddy, bitmap"));
            e = sh.error("mm:use Nope buddy");
            assertTrue(e, e.contains("unknown contract 'Nope': the contracts are FrameAllocator, ObjectCache, PageTable, Reclaimer, MemCgroup"));
            assertEquals("bitmap", switchboard().active(FA));
            sh.run("mm:free $p");
            assertEquals("FrameAllocator: bitmap -> buddy", sh.run("mm:use buddy"));
            assertTrue(sh.run("mm:use -t FrameAllocator bitmap").matches("FrameAllocator: buddy -> bitmap \\(callers paused [0-9.]+ ms\\)"));
            sh.run("mm:use FrameAllocator buddy");
            assertEquals(buddyinfo, sh.run("mm:buddyinfo"));
            assertEquals("ok", sh.run("mm:check"));
        }
    }

    @Test
    public void whenTheActiveBundleGoesAwayTheReferenceTakesTheMachine() throws Exception {
        long bootFree = freePages();
        switchboard().use(FA, "bitmap");
        FrameAllocator bitmap = active();
        long a = bitmap.allocPages(Gfp.GFP_KERNEL, 2);
        long b = bitmap.allocPages(Gfp.GFP_KERNEL, 0);
        Bundle bundle = bundle("mm.bitmap");
        bundle.stop();
        try {
            assertEquals("buddy", switchboard().active(FA));
            FrameAllocator buddy = active();
            assertEquals(List.of(), buddy.check());
            buddy.freePages(a, 2);
            buddy.freePages(b, 0);
            assertEquals(bootFree, freePages());
        } finally {
            bundle.start();
        }
        Await.until("bitmap is installed again", () -> switchboard().candidates().stream().anyMatch(c -> c.impl().equals("bitmap")));
        assertEquals("buddy", switchboard().active(FA));
    }

    @Test
    public void theChoiceIsKeptInConfigurationAdminAndRestoredWhenTheSwitchboardRestarts() throws Exception {
        switchboard().use(FA, "bitmap");
        ConfigurationAdmin cm = Await.service(context, ConfigurationAdmin.class, null);
        Await.until("the choice is saved", () -> "bitmap".equals(saved(cm)), () -> lastSeen);
        Bundle swap = bundle("mm.swap");
        swap.stop();
        assertEquals(0, context.getServiceReferences(FrameAllocator.class, "(mm.active=true)").size());
        swap.start();
        Await.until("the switchboard restores bitmap", () -> "bitmap".equals(switchboard().active(FA)));
        assertEquals("bitmap", active().implName());
        assertEquals(List.of(), active().check());
        switchboard().use(FA, "buddy");
        Await.until("the choice is saved", () -> "buddy".equals(saved(cm)), () -> lastSeen);
    }

    private static volatile String lastSeen;

    private static String saved(ConfigurationAdmin cm) {
        try {
            Configuration[] cs = cm.listConfigurations("(service.pid=" + Switchboard.PID + ")");
            lastSeen = cs == null ? "no configuration " + Switchboard.PID : String.valueOf(cs[0].getProperties());
            return cs == null ? null : (String) cs[0].getProperties().get(FA);
        } catch (Exception e) {
            lastSeen = e.toString();
            return null;
        }
    }

    private Bundle bundle(String bsn) {
        return Arrays.stream(context.getBundles()).filter(b -> bsn.equals(b.getSymbolicName())).findFirst()
                .orElseThrow(() -> new AssertionError("no bundle " + bsn));
    }
}

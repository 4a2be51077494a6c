package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import mm.api.frame.Gfp;
import mm.api.machine.NodeStat;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Switchboard;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Live hand-over of the object cache between SLUB and SLAB, in Felix with the real bundles: under
 * load from two CPUs with objects held across both swaps, and from the shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SlabSwapIT extends SwapTestBase {

    static final String OC = ObjectCache.CONTRACT;

    /** The operations each load thread completes before the first swap, between the swaps and after the last. */
    private static final int OPS = 200;

    @After
    public void slubAgain() {
        switchboard().use(OC, "slub");
    }

    /** The one registration of the active object cache. */
    private ObjectCache active() throws Exception {
        return active(ObjectCache.class);
    }

    private long slabPages() {
        return machine.nodeState(NodeStat.NR_SLAB_RECLAIMABLE) + machine.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);
    }

    private static void shrinkAll(ObjectCache c) {
        for (KmemCache k : c.caches()) {
            c.kmemCacheShrink(k);
        }
    }

    @Test
    public void slubToSlabAndBackUnderLoadLosesNoObject() throws Exception {
        assertEquals("slub", switchboard().active(OC));
        ObjectCache before = active();
        shrinkAll(before);
        long bootSlabPages = slabPages();
        KmemCache c = before.kmemCacheCreate("it-swap", 300, 0, 0, addr -> { });
        List<long[]> held = Collections.synchronizedList(new ArrayList<>()); // {addr, 1 for the cache, 0 for kmalloc}
        Switchboard.Swap toSlab;
        Switchboard.Swap back;
        // through the reference taken before the swaps: calls during one wait, calls after it are forwarded
        try (LoadThreads load = LoadThreads.start(machine, new int[] {0, 1}, cpu -> new LoadThreads.Load() {
            private final List<long[]> mine = new ArrayList<>();

            @Override
            public void step(int i) {
                boolean fromCache = i % 2 == 0;
                long a = fromCache ? before.kmemCacheAlloc(c, Gfp.GFP_KERNEL) : before.kmalloc(1 + (i * 31) % 3000, Gfp.GFP_KERNEL);
                assertTrue(a != 0);
                mine.add(new long[] {a, fromCache ? 1 : 0});
                if (i % 3 == 2) {
                    long[] o = mine.remove(mine.size() / 2);
                    if (o[1] == 1) {
                        before.kmemCacheFree(c, o[0]);
                    } else {
                        before.kfree(o[0]);
                    }
                }
            }

            @Override
            public void finish() {
                held.addAll(mine);
            }
        })) {
            load.awaitOps(OPS);
            toSlab = switchboard().use(OC, "slab");
            load.awaitOps(OPS);
            back = switchboard().use(OC, "slub");
            load.awaitOps(OPS);
            load.stop();
        }
        assertEquals("slab", toSlab.to());
        assertEquals("slab", back.from());
        assertTrue("objects were held across the swaps", held.size() > 0);
        assertEquals("SLAB again, for the frees", "slab", switchboard().use(OC, "slab").to());
        ObjectCache slab = active();
        assertEquals("slab", slab.implName());
        assertEquals(List.of(), slab.check());
        for (long[] o : held) {
            if (o[1] == 1) {
                slab.kmemCacheFree(c, o[0]); // the handle SLUB made, found by name
            } else {
                slab.kfree(o[0]);
            }
        }
        slab.kmemCacheDestroy(c);
        shrinkAll(slab);
        assertEquals(List.of(), slab.check());
        assertEquals("every slab page is back", bootSlabPages, slabPages());
    }

    @Test
    public void theShellSwapsToSlabAndShowsItsTunables() throws Exception {
        try (Shell sh = new Shell(processor)) {
            sh.run("p = (mm:kmalloc 100)");
            assertEquals("ObjectCache: slub -> slab", sh.run("mm:use ObjectCache slab"));
            String impls = sh.run("mm:impls");
            assertTrue(impls, impls.contains("* ObjectCache     slab    active"));
            String slabinfo = sh.run("mm:slabinfo");
            assertTrue(slabinfo, slabinfo.contains(": tunables  120   60    8 :"));
            String describe = sh.run("mm:slab kmalloc-128");
            assertTrue(describe, describe.contains("tunables: limit 120, batchcount 60, shared 8"));
            sh.run("mm:kfree $p"); // SLUB's object, freed through SLAB
            assertEquals("ok", sh.run("mm:check"));
            assertEquals("ObjectCache: slab -> slub", sh.run("mm:use ObjectCache slub"));
            assertEquals("ok", sh.run("mm:check"));
        }
    }
}

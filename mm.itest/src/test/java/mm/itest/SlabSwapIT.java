package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import javax.inject.Inject;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Switchboard;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Live hand-over of the object cache between SLUB and SLAB, in Felix with the real bundles: under
 * load from two CPUs with objects held across both swaps, and from the shell.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SlabSwapIT {

    static final String OC = ObjectCache.CONTRACT;

    @Inject
    BundleContext context;

    @Inject
    Machine machine;

    @Inject
    CommandProcessor processor;

    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        return ItOptions.platform("1G", 2, 1);
    }

    @After
    public void slubAgain() {
        switchboard().use(OC, "slub");
    }

    private Switchboard switchboard() {
        return Await.service(context, Switchboard.class, null);
    }

    /** The one registration of the active object cache. */
    private ObjectCache active() throws Exception {
        Collection<ServiceReference<ObjectCache>> refs = context.getServiceReferences(ObjectCache.class, "(mm.active=true)");
        assertEquals("exactly one active ObjectCache registration", 1, refs.size());
        return context.getService(refs.iterator().next());
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
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            final int cpu = t;
            Thread th = new Thread(() -> machine.runOn(cpu, () -> {
                // through the reference taken before the swaps: calls during one wait, calls after it are forwarded
                List<long[]> mine = new ArrayList<>();
                int i = 0;
                try {
                    while (!stop.get()) {
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
                        i++;
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
                held.addAll(mine);
                return null;
            }), "load-" + t);
            threads.add(th);
            th.start();
        }
        Thread.sleep(100);
        Switchboard.Swap toSlab = switchboard().use(OC, "slab");
        Thread.sleep(100);
        Switchboard.Swap back = switchboard().use(OC, "slub");
        Thread.sleep(50);
        stop.set(true);
        for (Thread th : threads) {
            th.join(30_000);
        }
        assertNull("the load threads failed: " + failure.get(), failure.get());
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

package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.inject.Inject;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.ZoneStat;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Switchboard;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Objects through twenty hand-overs of the object cache between SLUB and SLAB, in Felix with the
 * real bundles: every object stays valid at its address (ksize answers for it after each swap),
 * each implementation's invariants hold after each adoption, and once everything is freed through
 * the last one and the caches shrunk, no frame is left behind. (Swaps under load: SlabSwapIT.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ObjectCacheSwapIT {

    static final String OC = ObjectCache.CONTRACT;

    @Inject
    BundleContext context;

    @Inject
    Machine machine;

    @Configuration
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

    private <T> T active(Class<T> type) throws Exception {
        Collection<ServiceReference<T>> refs = context.getServiceReferences(type, "(mm.active=true)");
        assertEquals("exactly one active " + type.getSimpleName(), 1, refs.size());
        return context.getService(refs.iterator().next());
    }

    /** Free pages with the per-CPU lists drained, after every cache is shrunk. */
    private long freePagesAfterShrink() throws Exception {
        ObjectCache oc = active(ObjectCache.class);
        for (KmemCache c : oc.caches()) {
            oc.kmemCacheShrink(c);
        }
        active(FrameAllocator.class).drainAllPages();
        return machine.zoneState(ZoneStat.NR_FREE_PAGES);
    }

    @Test
    public void objectsSurviveTwentySwapsBackAndForth() throws Exception {
        ObjectCache first = active(ObjectCache.class);
        long bootFree = freePagesAfterShrink();
        List<Long> objs = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            for (int i = 0; i < 200; i++) {
                objs.add(first.kmalloc(8 + (round * 200 + i) % 2000, Gfp.GFP_KERNEL | (i % 5 == 0 ? Gfp.__GFP_RECLAIMABLE : 0)));
            }
            switchboard().use(OC, round % 2 == 0 ? "slab" : "slub");
            ObjectCache now = active(ObjectCache.class);
            assertTrue(now.implName() + " after swap " + round + ": " + now.check(), now.check().isEmpty());
            for (int i = 0; i < objs.size(); i += 3) {
                assertTrue(now.ksize(objs.get(i)) >= 8);
            }
        }
        ObjectCache last = active(ObjectCache.class);
        for (long p : objs) {
            last.kfree(p);
        }
        assertEquals(bootFree, freePagesAfterShrink());
    }
}

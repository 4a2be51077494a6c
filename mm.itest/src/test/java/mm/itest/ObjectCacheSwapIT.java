package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.ZoneStat;
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
 * Objects through twenty hand-overs of the object cache between SLUB and SLAB, in Felix with the
 * real bundles: every object stays valid at its address (its ksize and cacheOf() after each swap are those at its allocation),
 * each implementation's invariants hold after each adoption, and once everything is freed through
 * the last one and the caches shrunk, no frame is left behind. (Swaps under load: SlabSwapIT.)
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ObjectCacheSwapIT extends SwapTestBase {

    static final String OC = ObjectCache.CONTRACT;

    @After
    public void slubAgain() {
        switchboard().use(OC, "slub");
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
        List<Long> sizes = new ArrayList<>();
        List<String> caches = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            // allocated through the first instance (forwarded), described by the active one
            ObjectCache at = active(ObjectCache.class);
            for (int i = 0; i < 200; i++) {
                long p = first.kmalloc(8 + (round * 200 + i) % 2000, Gfp.GFP_KERNEL | (i % 5 == 0 ? Gfp.__GFP_RECLAIMABLE : 0));
                objs.add(p);
                sizes.add(at.ksize(p));
                caches.add(cacheName(at, p));
            }
            switchboard().use(OC, round % 2 == 0 ? "slab" : "slub");
            ObjectCache now = active(ObjectCache.class);
            assertTrue(now.implName() + " after swap " + round + ": " + now.check(), now.check().isEmpty());
            for (int i = 0; i < objs.size(); i++) {
                long p = objs.get(i);
                String what = "object " + Long.toHexString(p) + " after swap " + round + " to " + now.implName();
                assertEquals("ksize of " + what, (long) sizes.get(i), now.ksize(p));
                assertEquals("cacheOf " + what, caches.get(i), cacheName(now, p));
            }
        }
        ObjectCache last = active(ObjectCache.class);
        for (long p : objs) {
            last.kfree(p);
        }
        assertEquals(bootFree, freePagesAfterShrink());
    }

    private static String cacheName(ObjectCache c, long addr) {
        return c.cacheOf(addr).map(KmemCache::name).orElse("(no cache)");
    }
}

package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;

import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.machine.ZoneStat;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabCorruptionException;
import mm.api.slab.SlabFlags;
import mm.api.subsystem.Switchboard;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/** SLUB as the active ObjectCache service: slab pages from the active frame allocator, across a swap of that allocator. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ObjectCacheIT {

    @Inject
    @Filter("(mm.active=true)")
    ObjectCache slab;

    @Inject
    @Filter("(mm.active=true)")
    FrameAllocator frames;

    @Inject
    Machine machine;

    @Inject
    Switchboard switchboard;

    @Configuration
    public Option[] config() {
        return ItOptions.platformWith("1G", 2, 1, frameworkProperty("mm.slub_debug").value("FZPU,it-debug"));
    }

    private long slabPages() {
        return machine.nodeState(NodeStat.NR_SLAB_RECLAIMABLE) + machine.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);
    }

    @Test
    public void slubIsTheActiveObjectCache() {
        assertEquals("slub", slab.implName());
        assertEquals("slub", switchboard.active(ObjectCache.CONTRACT));
        assertTrue(slab.findCache("kmalloc-96").isPresent());
    }

    @Test
    public void slabPagesSurviveASwapOfTheFrameAllocator() {
        long before = slabPages();
        KmemCache c = slab.kmemCacheCreate("it-objects", 500, 0, SlabFlags.SLAB_RECLAIM_ACCOUNT, null);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            objs.add(slab.kmemCacheAlloc(c, Gfp.GFP_KERNEL));
            objs.add(slab.kmalloc(1 + i % 5000, Gfp.GFP_KERNEL));
        }
        assertTrue(slabPages() > before);
        assertEquals("bitmap", switchboard.use("FrameAllocator", "bitmap").to());
        String backTo;
        try {
            for (int i = 0; i < objs.size(); i += 2) {
                slab.kmemCacheFree(c, objs.get(i));
                slab.kfree(objs.get(i + 1));
            }
            slab.kmemCacheDestroy(c);
            for (KmemCache k : slab.caches()) {
                slab.kmemCacheShrink(k);
            }
            assertEquals(before, slabPages());
            assertTrue(slab.check().toString(), slab.check().isEmpty());
        } finally {
            backTo = switchboard.use("FrameAllocator", "buddy").to(); // no assertion here: it would hide a failure above
        }
        assertEquals("buddy", backTo);
    }

    @Test
    public void theBootOptionTurnsDebuggingOnForTheNamedCache() {
        long freeBefore = freePagesAfterShrink();
        KmemCache dbg = slab.kmemCacheCreate("it-debug", 64, 0, 0, null);
        KmemCache plain = slab.kmemCacheCreate("it-plain", 64, 0, 0, null);
        assertEquals(SlabFlags.SLAB_DEBUG_FLAGS, dbg.flags() & SlabFlags.SLAB_DEBUG_FLAGS);
        assertEquals(0, plain.flags() & SlabFlags.SLAB_DEBUG_FLAGS);
        long p = slab.kmemCacheAlloc(dbg, Gfp.GFP_KERNEL);
        assertNotEquals(0, p);
        slab.kmemCacheFree(dbg, p);
        try {
            slab.kmemCacheFree(dbg, p);
            fail("a double free in a debug cache is reported");
        } catch (SlabCorruptionException e) {
            assertEquals("BUG it-debug (Not tainted): Object already free", e.getMessage());
        }
        slab.kmemCacheDestroy(dbg);
        slab.kmemCacheDestroy(plain);
        assertTrue(slab.check().isEmpty());
        assertEquals("every page of the debug cache is given back", freeBefore, freePagesAfterShrink());
    }

    /** Free pages once every cache is shrunk and the frame allocator's per-CPU lists are drained. */
    private long freePagesAfterShrink() {
        for (KmemCache k : slab.caches()) {
            slab.kmemCacheShrink(k);
        }
        frames.drainAllPages();
        return machine.zoneState(ZoneStat.NR_FREE_PAGES);
    }
}

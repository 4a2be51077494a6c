package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import mm.api.slab.ObjectCache;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The slab commands through Gogo's real command processor, on the SLUB allocator, as a user types them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SlabConsoleIT extends ShellTestBase {

    private static final String ADDR = "0xffff888[0-9a-f]{9}";

    @After
    public void slubStaysActive() {
        assertEquals("slub", switchboard.active(ObjectCache.CONTRACT));
    }

    private static void oneLine(String error, String... parts) {
        for (String p : parts) {
            assertTrue("'" + p + "' in: " + error, error.contains(p));
        }
        assertFalse("one line: " + error, error.contains("\n"));
        assertFalse("no class name: " + error, error.contains("Exception"));
    }

    @Test
    public void kmallocNamesItsCacheAndKfreeTakesWhatItReturned() throws Exception {
        String got = sh.run("p = (mm:kmalloc 100)");
        assertTrue(got, got.matches(ADDR + " kmalloc-128"));
        assertEquals("128", sh.run("mm:ksize $p"));
        String grown = sh.run("p = (mm:krealloc $p 200)");
        assertTrue(grown, grown.matches(ADDR + " kmalloc-256"));
        sh.run("mm:kfree $p");

        assertEquals("0x0000000000000010 (ZERO_SIZE_PTR)", sh.run("z = (mm:kmalloc 0)"));
        sh.run("mm:kfree $z");

        String large = sh.run("q = (mm:kmalloc 16K)");
        assertTrue(large, large.matches(ADDR + " \\(order-2 pages\\)"));
        sh.run("mm:kfree $q");
    }

    @Test
    public void theShortNamesWithHyphensWorkLikeTheKernelNames() throws Exception {
        assertTrue(sh.run("mm:cache-create itest-alias 40").startsWith("itest-alias: object_size 40, size 40, "));
        String p = sh.run("a = (mm:cache-alloc itest-alias)");
        assertTrue(p, p.matches(ADDR + " itest-alias"));
        oneLine(sh.error("mm:cache-destroy itest-alias"), "Objects remaining in itest-alias on __kmem_cache_shutdown()");
        sh.run("mm:cache-free itest-alias $a");
        sh.run("mm:cache-shrink itest-alias");
        sh.run("mm:cache-destroy itest-alias");
        oneLine(sh.error("mm:cache-alloc itest-alias"), "no cache named 'itest-alias'");
    }

    @Test
    public void badInputAndBadFreesGiveOneLine() throws Exception {
        oneLine(sh.error("mm:kfree 0xffff888000001000"), "kfree(0xffff888000001000)");
        oneLine(sh.error("mm:kmalloc 5M"), "size '5M' is not valid: accepted are 0 to 4194304 (4M) bytes");
        oneLine(sh.error("mm:kmalloc 100 GFP_BOGUS"), "unknown GFP flag 'GFP_BOGUS'");
        oneLine(sh.error("mm:kfree zzz"), "address 'zzz' is not a kernel address");
        oneLine(sh.error("mm:kmem_cache_alloc no-such-cache"), "no cache named 'no-such-cache'", "mm:slabinfo");
        oneLine(sh.error("mm:kmem_cache_create bad 100 0 SLAB_BOGUS"), "unknown slab flag 'SLAB_BOGUS'");
    }

    @Test
    public void aCacheOfOnesOwnFromCreationToDestruction() throws Exception {
        String geometry = sh.run("mm:kmem_cache_create itest-obj 100 0 SLAB_HWCACHE_ALIGN");
        assertTrue(geometry, geometry.startsWith("itest-obj: object_size 100, size 128, align 64, order 0 (1 page), "));
        String p = sh.run("p = (mm:kmem_cache_alloc itest-obj)");
        assertTrue(p, p.matches(ADDR + " itest-obj"));
        assertTrue(sh.run("mm:slabinfo"), sh.run("mm:slabinfo").contains("\nitest-obj "));
        String slab = sh.run("mm:slab itest-obj");
        assertTrue(slab, slab.startsWith("name            itest-obj\nobject_size     100\n"));
        assertTrue(slab, slab.contains("\nslabs           1\n"));
        assertTrue(slab, slab.contains("\nstats:\n  alloc_fastpath "));

        oneLine(sh.error("mm:kmem_cache_destroy itest-obj"), "Objects remaining in itest-obj on __kmem_cache_shutdown()");
        assertTrue("the cache is kept", sh.run("mm:slabinfo").contains("\nitest-obj "));

        sh.run("mm:kmem_cache_free itest-obj $p");
        sh.run("mm:kmem_cache_destroy itest-obj");
        assertFalse(sh.run("mm:slabinfo").contains("\nitest-obj "));
        oneLine(sh.error("mm:kmem_cache_alloc itest-obj"), "no cache named 'itest-obj'");
    }

    @Test
    public void aRedZoneOverwrittenIsReportedAndTheFreeRefused() throws Exception {
        sh.run("mm:kmem_cache_create itest-rz 64 0 slub_debug=FZP");
        String p = sh.run("p = (mm:kmem_cache_alloc itest-rz)");
        long addr = Long.parseUnsignedLong(p.substring(2, 18), 16);
        sh.run("mm:poke $p 6d6d2d706c6174666f726d");
        String dump = sh.run("mm:peek $p 16");
        assertEquals(String.format("%016x: 6d 6d 2d 70 6c 61 74 66 6f 72 6d 6b 6b 6b 6b 6b  mm-platformkkkkk", addr), dump);
        sh.run("mm:poke " + String.format("0x%016x", addr + 64) + " 78");
        sh.printed();

        oneLine(sh.error("mm:kmem_cache_free itest-rz $p"), "kmem_cache_free: refused, see the report above");
        String report = sh.printed();
        assertTrue(report, report.contains("BUG itest-rz (Not tainted): "));
        assertTrue(report, report.contains("Redzone"));
        assertEquals("slub stays active after a corruption it caught", "slub", switchboard.active(ObjectCache.CONTRACT));

        // the red zone was restored: the free goes through now
        sh.run("mm:kmem_cache_free itest-rz $p");
        assertEquals("itest-rz: consistent, validate found no errors", sh.run("mm:validate itest-rz"));
        sh.run("mm:kmem_cache_destroy itest-rz");
    }

    @Test
    public void theViewsInTheKernelsLayouts() throws Exception {
        String[] slabinfo = sh.run("mm:slabinfo").split("\n");
        assertEquals("slabinfo - version: 2.1", slabinfo[0]);
        assertEquals("# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> "
                + "<batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>", slabinfo[1]);
        for (int i = 2; i < slabinfo.length; i++) {
            assertTrue(slabinfo[i], slabinfo[i].matches(
                    "\\S+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ : tunables +0 +0 +0 : slabdata +\\d+ +\\d+ +0"));
        }
        assertTrue(slabinfo[slabinfo.length - 1], slabinfo[slabinfo.length - 1].startsWith("kmalloc-"));

        String[] top = sh.run("mm:slabtop -n 5").split("\n");
        assertTrue(top[0], top[0].startsWith(" Active / Total Objects (% used)    : "));
        assertEquals("  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME", top[6].stripTrailing());
        assertEquals(12, top.length);

        assertEquals("8", sh.run("mm:sysfs kmalloc-8 object_size"));
        assertTrue(sh.run("mm:sysfs kmalloc-8").contains("\nobjs_per_slab: 512"));

    }
}

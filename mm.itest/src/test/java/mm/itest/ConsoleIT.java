package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The mm commands through Gogo's real command processor, as a user types them. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsoleIT extends ShellTestBase {

    @Inject
    BundleContext context;

    @Configuration
    @Override
    public Option[] config() {
        return ItOptions.platform("4G", 4, 1);
    }

    private String run(String command) throws Exception {
        return sh.run(command);
    }

    private static Map<String, Long> meminfo(String text) {
        Map<String, Long> m = new HashMap<>();
        for (String line : text.split("\n")) {
            String[] p = line.split(":\\s+");
            m.put(p[0], Long.parseLong(p[1].replace(" kB", "").trim()));
        }
        return m;
    }

    @Test
    public void meminfoAndBuddyinfoAgree() throws Exception {
        Map<String, Long> mem = meminfo(run("mm:meminfo"));
        long fromBuddyinfo = 0;
        for (String line : run("mm:buddyinfo").split("\n")) {
            assertTrue(line, line.matches("Node \\d+, zone +\\S+( +\\d+){11} "));
            String[] counts = line.substring(line.indexOf(',') + 1).trim().split("\\s+");
            for (int order = 0; order < 11; order++) {
                fromBuddyinfo += Long.parseLong(counts[order + 2]) << order;
            }
        }
        assertEquals(mem.get("MemFree").longValue(), fromBuddyinfo * 4);
        assertTrue(mem.get("MemTotal") > mem.get("MemFree") - 1);
        assertTrue("a 4 GiB machine has nearly 4 GiB of MemTotal", mem.get("MemTotal") > 3_900_000);
    }

    @Test
    public void allocAndFreeChangeTheFreePages() throws Exception {
        long before = meminfo(run("mm:meminfo")).get("MemFree");
        String got = run("p = (mm:alloc 3 'GFP_KERNEL|__GFP_ZERO')");
        assertTrue(got, got.matches("pfn=0x[0-9a-f]+ order=3 node=0 zone=\\w+ migratetype=\\w+"));
        assertEquals(before - 32, meminfo(run("mm:meminfo")).get("MemFree").longValue());
        run("mm:free $p");
        // the freed order-3 block waits on this CPU's per-CPU list until drained
        assertEquals(before - 32, meminfo(run("mm:meminfo")).get("MemFree").longValue());
        run("mm:drain");
        assertEquals(before, meminfo(run("mm:meminfo")).get("MemFree").longValue());
        run("p = (mm:alloc 0 GFP_ATOMIC+__GFP_ZERO)");
        run("mm:free $p");
        // with its order said again, as in ./mm --help's example
        run("p = (mm:alloc 2)");
        run("mm:free $p 2");
        assertEquals("ok", run("mm:check"));
    }

    @Test
    public void badInputGivesOneLineAndLeavesTheMachineIntact() throws Exception {
        String[][] cases = {
            {"mm:alloc 11", "order 11 is out of range: accepted are 0 to 10"},
            {"mm:alloc 0 GFP_BOGUS", "unknown GFP flag 'GFP_BOGUS'"},
            {"mm:free 0x5 0", "pfn 0x5 is reserved"},
            {"mm:free zzz 0", "is not a page frame number"},
            {"mm:sysctl vm.min_free_kbytes=-1", "vm.min_free_kbytes = -1 is negative"},
            {"mm:sysctl vm.bogus", "unknown sysctl 'vm.bogus': accepted are"},
        };
        String meminfo = run("mm:meminfo");
        for (String[] c : cases) {
            String shown = sh.error(c[0]);
            assertTrue(c[0] + " -> " + shown, shown.contains(c[1]));
            assertTrue(c[0] + " -> one line: " + shown, !shown.contains("\n"));
            assertTrue(c[0] + " -> no class name: " + shown, !shown.contains("Exception"));
        }
        assertEquals(meminfo, run("mm:meminfo"));
        assertEquals("ok", run("mm:check"));
    }

    @Test
    public void extfragPrintsBothDebugfsFilesInTheKernelsFormat() throws Exception {
        String index = run("mm:extfrag extfrag_index");
        String unusable = run("mm:extfrag unusable_index");
        String[] buddy = run("mm:buddyinfo").split("\n");
        String[] idx = index.split("\n");
        String[] unu = unusable.split("\n");
        assertEquals(buddy.length, idx.length);
        assertEquals(buddy.length, unu.length);
        for (int i = 0; i < buddy.length; i++) {
            String zone = buddy[i].substring(0, "Node 0, zone %8s ".length() + 2);
            assertTrue(idx[i], idx[i].startsWith(zone) && idx[i].matches("Node \\d+, zone +\\S+ (-?\\d\\.-?\\d{3} ){11}"));
            assertTrue(unu[i], unu[i].startsWith(zone) && unu[i].matches("Node \\d+, zone +\\S+ ([01]\\.\\d{3} ){11}"));
        }
        assertEquals("extfrag/extfrag_index:\n" + index + "\nextfrag/unusable_index:\n" + unusable, run("mm:extfrag"));
        String e = sh.error("mm:extfrag bogus");
        assertTrue(e, e.contains("accepted are extfrag_index and unusable_index"));
    }

    @Test
    public void doubleFreeIsRefused() throws Exception {
        run("q = (mm:alloc 0)");
        run("mm:free $q");
        String e = sh.error("mm:free $q");
        assertTrue(e, e.contains("is not allocated"));
        assertEquals("ok", run("mm:check"));
    }

    @Test
    public void sysctlWriteRecomputesTheWatermarks() throws Exception {
        String original = run("mm:sysctl vm.min_free_kbytes");
        assertTrue(original, original.matches("vm\\.min_free_kbytes = \\d+"));
        try {
            assertEquals("vm.min_free_kbytes = 65536", run("mm:sysctl vm.min_free_kbytes=65536"));
            long sumMin = 0;
            for (String line : run("mm:zoneinfo").split("\n")) {
                if (line.startsWith("        min ")) {
                    sumMin += Long.parseLong(line.trim().split("\\s+")[1]);
                }
            }
            // 65536 kB = 16384 pages split over the non-movable zones (rounding down each share); Movable and
            // Device are empty: Movable's min is clamped to 32, Device's is 0
            assertTrue("sum of min watermarks " + sumMin, sumMin >= 16384 - 3 + 32 && sumMin <= 16384 + 32);
        } finally {
            run("mm:sysctl " + original.replace(" = ", "="));
        }
    }

    /** Runs a script through ScriptRunner: its exit code, then what it printed to stdout and stderr. */
    private List<Object> script(String script) throws Exception {
        ServiceReference<?> ref = context.getServiceReference("mm.console.script.ScriptRunner");
        Object runner = context.getService(ref);
        Method run = runner.getClass().getMethod("run", String.class, String.class, boolean.class, List.class,
                PrintStream.class, PrintStream.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = (Integer) run.invoke(runner, script, "bad.gogo", true, List.of(), new PrintStream(out, true),
                new PrintStream(err, true));
        return List.of(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void scriptsStopAtTheFirstFailingCommandAndNameIt() throws Exception {
        List<Object> r = script("# a comment\nmm:check\n\nmm:free 0x5 0\nmm:meminfo\n");
        assertEquals(1, r.get(0));
        assertEquals("ok\n", r.get(1));
        String error = (String) r.get(2);
        assertTrue(error, error.startsWith("mm: bad.gogo:4: mm:free 0x5 0: pfn 0x5 is reserved"));
        assertEquals("one line", 1, error.split("\n").length);
    }

    @Test
    public void wrongArgumentsToAnAliasNameTheCommandItStandsFor() throws Exception {
        assertEquals(List.of(1, "", "mm: bad.gogo:1: mm:cache-create: wrong arguments: mm:cache-create is mm:kmem_cache_create: "
                + "'help mm:kmem_cache_create' shows what it takes\n"), script("mm:cache-create\n"));
    }

    @Test
    public void anUnquotedPatternMatchingNoFileSaysToQuoteIt() throws Exception {
        assertEquals(List.of(1, "", "mm: bad.gogo:1: mm:trace on mm_page_*: no file matches mm_page_*: Gogo takes an unquoted * "
                + "or ? as a file name pattern; quote it: 'mm_page_*'\n"), script("mm:trace on mm_page_*\n"));
    }
}

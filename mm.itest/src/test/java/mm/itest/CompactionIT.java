package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * mm:compact through Gogo's real command processor, on the real bundles: movable pages the console
 * allocated are moved by compaction, their blocks then merge, and mm:free still frees them where
 * they are; unmovable ones stay; an empty zone, a bad zone name and an allocator that does not
 * compact each get one line.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CompactionIT extends ShellTestBase {

    /** The number of a zone's free blocks of an order, from mm:buddyinfo. */
    private long buddyinfo(String zone, int order) throws Exception {
        for (String line : sh.run("mm:buddyinfo").split("\n")) {
            if (line.contains("zone " + String.format("%8s", zone))) {
                return Long.parseLong(line.substring(line.indexOf(zone) + zone.length()).trim().split(" +")[order]);
            }
        }
        throw new AssertionError("no zone " + zone);
    }

    @Test
    public void movablePagesMoveAndTheirBlocksMerge() throws Exception {
        String got = sh.run("b = (mm:alloc -c 4096 0 GFP_HIGHUSER_MOVABLE)");
        assertTrue(got, got.startsWith("4096 blocks of order 0 (4096 held), pfn 0x"));
        sh.run("k = (mm:alloc -c 64 0 GFP_KERNEL)");
        assertEquals("freed 2048 of 4096 blocks (2048 still held)", sh.run("mm:free -s 2 $b"));
        sh.run("mm:drain");
        long fragmented = buddyinfo("DMA32", 0);
        assertTrue("every other page freed leaves order-0 holes: " + sh.run("mm:buddyinfo"), fragmented >= 1024);

        String out = sh.run("mm:compact -z DMA32");
        String[] lines = out.split("\n");
        assertEquals(out, 2, lines.length);
        assertTrue(out, lines[0].matches(" {21} result +migrated +failed +migrate_scanned +free_scanned +isolated +free blocks >= order 9"));
        assertTrue(out, lines[1].matches("Node 0, zone    DMA32 complete +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ +\\d+ -> \\d+"));
        long migrated = Long.parseLong(lines[1].split(" +")[5]);
        assertTrue(out, migrated >= 1024);
        String[] blocks = lines[1].substring(lines[1].lastIndexOf("  ") + 2).split(" -> ");
        assertTrue(out, Long.parseLong(blocks[1]) > Long.parseLong(blocks[0]));
        assertTrue("the holes merged: " + buddyinfo("DMA32", 0), buddyinfo("DMA32", 0) < fragmented / 2);
        assertEquals("ok", sh.run("mm:check"));

        String freed = sh.run("mm:free $b");
        assertTrue(freed, freed.startsWith("freed 2048 of 4096 blocks (0 still held); "));
        assertTrue(freed, freed.endsWith(" of them had been moved by compaction and were freed where they were"));
        assertEquals("freed 64 of 64 blocks (0 still held)", sh.run("mm:free $k"));
    }

    /** Each block of the list freed on its own, through its Allocation: those compaction moved say where they were freed. */
    @Test
    public void onePageFreedWhereCompactionMovedIt() throws Exception {
        sh.run("b = (mm:alloc -c 1024 0 GFP_HIGHUSER_MOVABLE)");
        sh.run("mm:free -s 2 $b");
        sh.run("mm:drain");
        sh.run("mm:compact -z DMA32");
        int moved = 0;
        for (int i = 1; i < 1024; i += 2) {
            sh.run("q = ($b get " + i + ")");
            String freed = sh.run("mm:free $q");
            if (freed != null) {
                assertTrue(freed, freed.matches("pfn 0x[0-9a-f]+ had been moved to 0x[0-9a-f]+ by compaction: freed there"));
                moved++;
                String again = sh.error("mm:free $q");
                assertTrue(again, again.matches("pfn 0x[0-9a-f]+ is not allocated: it was freed already \\(at 0x[0-9a-f]+, where "
                        + "compaction had moved it\\); nothing changed"));
            }
        }
        assertTrue("compaction moved some of the pages", moved > 0);
    }

    @Test
    public void badRequestsGetOneLine() throws Exception {
        assertEquals("Node 0, zone Normal is empty (no present pages): nothing to compact; "
                + "populated zones: DMA DMA32", sh.error("mm:compact -z Normal"));
        assertEquals("zone 'Highmem' is unknown: accepted are DMA, DMA32, Normal, Movable, Device",
                sh.error("mm:compact -z Highmem"));
        assertEquals("node 3 does not exist: accepted are 0 to 0", sh.error("mm:compact -n 3"));
        assertEquals("order 11 is out of range: accepted are 0 to 10 (blocks of 1 to 1024 pages)", sh.error("mm:compact -o 11"));
        String count = sh.error("mm:alloc -c 0 0");
        assertEquals("count '0' is not valid: accepted are 1 to 1000000", count);
    }

    @Test
    public void anOrderStopsEarlyAndEmptyZonesAreSkipped() throws Exception {
        String out = sh.run("mm:compact -o 3");
        assertTrue(out, out.contains("free blocks >= order 3"));
        assertTrue(out, out.contains("Node 0, zone      DMA success"));
        assertTrue(out, out.contains("Node 0, zone    DMA32 success"));
        assertTrue(out, !out.contains("Normal"));
    }
}

package mm.console.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mm.api.machine.Memblock;
import mm.api.machine.MemblockRegion;
import org.junit.jupiter.api.Test;

class MemblockFormatterTest {

    /** A memblock that holds the regions it is given; the totals are summed from them. */
    private record FixedMemblock(List<MemblockRegion> memory, List<MemblockRegion> reserved) implements Memblock {
        @Override
        public long memorySize() {
            return memory.stream().mapToLong(MemblockRegion::size).sum();
        }

        @Override
        public long reservedSize() {
            return reserved.stream().mapToLong(MemblockRegion::size).sum();
        }

        @Override
        public boolean bottomUp() {
            return false;
        }
    }

    @Test
    void printsTheMemblockDebugDump() {
        Memblock mb = new FixedMemblock(
                List.of(new MemblockRegion(0x1000, 0x9e000, MemblockRegion.MEMBLOCK_NONE, 0),
                        new MemblockRegion(0x100000, 0xbff00000L, MemblockRegion.MEMBLOCK_NOMAP, 1)),
                List.of(new MemblockRegion(0, 0x100000, MemblockRegion.MEMBLOCK_NONE, MemblockRegion.NO_NODE),
                        new MemblockRegion(0x1000000, 0x2e00000, MemblockRegion.MEMBLOCK_RSRV_NOINIT
                                | MemblockRegion.MEMBLOCK_HOTPLUG, 0)));

        assertEquals("MEMBLOCK configuration:\n"
                + " memory size = 0x00000000bff9e000 reserved size = 0x0000000002f00000\n"
                + " memory.cnt  = 0x2\n"
                + " memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes on node 0 flags: 0x0\n"
                + " memory[0x1]\t[0x0000000000100000-0x00000000bfffffff], 0x00000000bff00000 bytes on node 1 flags: 0x4\n"
                + " reserved.cnt  = 0x2\n"
                + " reserved[0x0]\t[0x0000000000000000-0x00000000000fffff], 0x0000000000100000 bytes flags: 0x0\n"
                + " reserved[0x1]\t[0x0000000001000000-0x0000000003dfffff], 0x0000000002e00000 bytes on node 0 flags: 0x11\n",
                MemblockFormatter.format(mb));
    }

    @Test
    void indexesAreHexAndAnEmptyTypeHasNoRegionLines() {
        List<MemblockRegion> memory = new ArrayList<>();
        for (int i = 0; i < 17; i++) {
            memory.add(new MemblockRegion(0x200000000L + i * 0x2000L, 0x1000, MemblockRegion.MEMBLOCK_NONE, 3));
        }

        String out = MemblockFormatter.format(new FixedMemblock(memory, List.of()));

        assertTrue(out.startsWith("MEMBLOCK configuration:\n"
                + " memory size = 0x0000000000011000 reserved size = 0x0000000000000000\n"
                + " memory.cnt  = 0x11\n"), out);
        assertTrue(out.endsWith(" memory[0x10]\t[0x0000000200020000-0x0000000200020fff], 0x0000000000001000 bytes on node 3"
                + " flags: 0x0\n reserved.cnt  = 0x0\n"), out);
    }
}

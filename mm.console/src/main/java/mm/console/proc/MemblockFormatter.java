package mm.console.proc;

import java.util.List;
import java.util.Locale;
import mm.api.machine.Memblock;
import mm.api.machine.MemblockRegion;

/**
 * The {@code memblock=debug} dump of {@code __memblock_dump_all} (mm/memblock.c), without the
 * printk prefixes: the total sizes, then each region of {@code memblock.memory} and
 * {@code memblock.reserved}.
 */
public final class MemblockFormatter {

    private MemblockFormatter() {
    }

    /** {@code __memblock_dump_all}. */
    public static String format(Memblock memblock) {
        Seq m = new Seq();
        m.puts("MEMBLOCK configuration:\n");
        m.printf(" memory size = %s reserved size = %s\n", pa(memblock.memorySize()), pa(memblock.reservedSize()));
        dump(m, "memory", memblock.memory());
        dump(m, "reserved", memblock.reserved());
        return m.toString();
    }

    /**
     * {@code memblock_dump}: {@code " %s.cnt  = 0x%lx\n"}, then per region
     * {@code " %s[%#x]\t[%pa-%pa], %pa bytes%s flags: %#x\n"} with the inclusive end and, for a
     * region with a valid node, {@code " on node %d"}.
     */
    private static void dump(Seq m, String name, List<MemblockRegion> regions) {
        m.printf(" %s.cnt  = 0x%x\n", name, regions.size());
        for (int idx = 0; idx < regions.size(); idx++) {
            MemblockRegion r = regions.get(idx);
            String nid = r.nid() >= 0 ? " on node " + r.nid() : "";
            m.printf(" %s[0x%x]\t[%s-%s], %s bytes%s flags: 0x%x\n", name, idx, pa(r.base()),
                    pa(r.base() + r.size() - 1), pa(r.size()), nid, r.flags());
        }
    }

    /** {@code %pa}: a phys_addr_t as {@code 0x} and 16 lower-case hex digits. */
    private static String pa(long value) {
        return String.format(Locale.ROOT, "0x%016x", value);
    }
}

package mm.console.commands;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * What {@code mm:alloc -c COUNT} got: many blocks of one order, kept in a variable for
 * {@code mm:free}, which can free all of them or every n-th (to fragment memory on purpose).
 */
public final class Allocations {

    private final List<Allocation> blocks;
    private final BitSet freed = new BitSet();

    /** @param blocks one or more */
    Allocations(List<Allocation> blocks) {
        if (blocks.isEmpty()) {
            throw new IllegalArgumentException("no blocks");
        }
        this.blocks = List.copyOf(blocks);
    }

    /** The blocks, in the order they were allocated. */
    public List<Allocation> blocks() {
        return blocks;
    }

    /**
     * One block of the list, to free it on its own: {@code q = ($b get 5)}, then {@code mm:free $q}.
     *
     * @throws CommandError for an index out of range
     */
    public Allocation get(int index) {
        if (index < 0 || index >= blocks.size()) {
            throw new CommandError("block " + index + " does not exist: accepted are 0 to " + (blocks.size() - 1));
        }
        return blocks.get(index);
    }

    /** How many are still held. */
    public synchronized int held() {
        return blocks.size() - freed.cardinality();
    }

    /** The indexes of the held blocks that a stride picks: 0, stride, 2*stride... among all. */
    synchronized List<Integer> pick(int stride) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i += stride) {
            if (!freed.get(i)) {
                out.add(i);
            }
        }
        return out;
    }

    synchronized void markFreed(int i) {
        freed.set(i);
    }

    /** One line: {@code 4096 blocks of order 0 (4096 held), pfn 0x100000 to 0x13beff, node 0 Normal Movable 4096}. */
    @Override
    public synchronized String toString() {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        TreeMap<String, Integer> where = new TreeMap<>();
        for (Allocation a : blocks) {
            lo = Math.min(lo, a.pfn());
            hi = Math.max(hi, a.pfn() + (1L << a.order()) - 1);
            where.merge("node " + a.nid() + " " + a.zone() + " " + a.migratetype(), 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%d block%s of order %d (%d held), pfn 0x%x to 0x%x", blocks.size(),
                blocks.size() == 1 ? "" : "s",
                blocks.get(0).order(), held(), lo, hi));
        where.forEach((k, v) -> sb.append(", ").append(k).append(' ').append(v));
        return sb.toString();
    }
}

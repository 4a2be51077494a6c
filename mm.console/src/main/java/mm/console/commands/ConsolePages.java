package mm.console.commands;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import mm.api.machine.Machine;
import mm.api.machine.MovableOps;
import mm.api.machine.Owners;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The blocks {@code mm:alloc} handed out, as the console's own "rmap": each block, wherever it is
 * now. Blocks allocated with __GFP_MOVABLE may be moved by compaction ({@link MovableOps}); a
 * block keeps its identity (the {@code $p} that names it) and is freed where it is, and a pfn it
 * was moved away from still names it until another block is allocated there. A component of its
 * own, immediate: the record lives as long as the console and its machine, not only while Gogo
 * holds a command's service.
 */
@Component(service = ConsolePages.class, immediate = true)
public final class ConsolePages implements MovableOps {

    /** How long a free waits for a block compaction has isolated to settle. */
    static final long SETTLE_MS = 2_000;

    /** A block the console holds: where it is now, and where it was. */
    public static final class Block {
        private long pfn;
        private final int order;
        private final boolean movable;
        private boolean isolated;
        private boolean freed;
        private final List<Long> formerly = new ArrayList<>();

        private Block(long pfn, int order, boolean movable) {
            this.pfn = pfn;
            this.order = order;
            this.movable = movable;
        }
    }

    private final AutoCloseable registration;
    /** Blocks by where they are now. */
    private final Map<Long, Block> byPfn = new HashMap<>();
    /** Blocks by a pfn compaction moved them away from. */
    private final Map<Long, Block> formerly = new HashMap<>();

    /** Registers with the machine as the owner of the console's pages ({@link Owners#CONSOLE}). */
    @Activate
    public ConsolePages(@Reference Machine machine) {
        registration = machine.registerMovableOps(Owners.CONSOLE, this);
    }

    /** Unregisters (the machine is going away, or the console). */
    @Deactivate
    void deactivate() throws Exception {
        registration.close();
    }

    /** Records a block {@code mm:alloc} got; a pfn another block was moved away from now names this one. */
    synchronized Block allocated(long pfn, int order, boolean movable) {
        Block b = new Block(pfn, order, movable);
        byPfn.put(pfn, b);
        Block before = formerly.remove(pfn);
        if (before != null) {
            before.formerly.remove(pfn);
        }
        return b;
    }

    /** The block a pfn names: the one there now, else the one compaction moved away from it; null if none. */
    synchronized Block blockAt(long pfn) {
        Block b = byPfn.get(pfn);
        return b != null ? b : formerly.get(pfn);
    }

    /**
     * Where a block is now, once it has settled (compaction may have it isolated: the free waits,
     * {@link #SETTLE_MS} at most).
     *
     * @throws CommandError if it was freed already, or is still being migrated
     */
    synchronized long settle(Block b, long named) {
        long deadline = System.nanoTime() + SETTLE_MS * 1_000_000;
        while (b.isolated) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new CommandError(String.format("pfn 0x%x is being migrated by compaction: nothing freed, try again", named));
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandError("interrupted while pfn 0x" + Long.toHexString(named) + " was being migrated: nothing freed");
            }
        }
        if (b.freed) {
            throw new CommandError(String.format("pfn 0x%x is not allocated: it was freed already%s; nothing changed", named,
                    b.pfn == named ? "" : String.format(" (at 0x%x, where compaction had moved it)", b.pfn)));
        }
        return b.pfn;
    }

    /** Forgets a block that was freed. */
    synchronized void freed(Block b) {
        b.freed = true;
        byPfn.remove(b.pfn, b);
        for (long old : b.formerly) {
            formerly.remove(old, b);
        }
        b.formerly.clear();
    }

    @Override
    public synchronized boolean isolatePage(long pfn, int order) {
        Block b = byPfn.get(pfn);
        if (b == null || !b.movable || b.order != order || b.freed) {
            return false;
        }
        b.isolated = true;
        return true;
    }

    @Override
    public synchronized void migratePage(long src, long dst, int order) {
        Block b = byPfn.remove(src);
        if (b != null) {
            b.pfn = dst;
            b.isolated = false;
            b.formerly.add(src);
            byPfn.put(dst, b);
            formerly.put(src, b);
        }
        notifyAll();
    }

    @Override
    public synchronized void putbackPage(long pfn, int order) {
        Block b = byPfn.get(pfn);
        if (b != null) {
            b.isolated = false;
        }
        notifyAll();
    }
}

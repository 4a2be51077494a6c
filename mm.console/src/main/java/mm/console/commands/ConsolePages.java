package mm.console.commands;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import mm.api.machine.Machine;
import mm.api.machine.MovableOps;
import mm.api.machine.Owners;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The blocks {@code mm:alloc} handed out, as the console's own "rmap": where each is now. Blocks
 * allocated with __GFP_MOVABLE may be moved by compaction ({@link MovableOps}); a block is then
 * known at its new pfn, and {@code mm:free} of the old one (or of the {@code $p} that names it)
 * frees it where it is. A component of its own, immediate: the record lives as long as the console
 * and its machine, not only while Gogo holds a command's service.
 */
@Component(service = ConsolePages.class, immediate = true)
public final class ConsolePages implements MovableOps {

    private final AutoCloseable registration;

    /** Registers with the machine as the owner of the console's pages ({@link Owners#CONSOLE}). */
    @Activate
    public ConsolePages(@Reference Machine machine) {
        registration = machine.registerMovableOps(Owners.CONSOLE, this);
    }

    /** Unregisters and forgets every block (the machine is going away, or the console). */
    @Deactivate
    void deactivate() throws Exception {
        registration.close();
        clear();
    }

    /** A block held: its order, whether it may move, and whether compaction has isolated it. */
    private record Held(int order, boolean movable) {
    }

    private final Map<Long, Held> held = new HashMap<>();
    /** Old pfn to new pfn, for blocks compaction moved. */
    private final Map<Long, Long> movedTo = new HashMap<>();
    /** Blocks compaction has isolated and not yet migrated or put back. */
    private final Set<Long> isolated = new HashSet<>();

    /** Records a block {@code mm:alloc} got. */
    synchronized void allocated(long pfn, int order, boolean movable) {
        held.put(pfn, new Held(order, movable));
        movedTo.remove(pfn);
    }

    /**
     * Where the block the user calls {@code pfn} is now: {@code pfn} itself unless compaction moved
     * it (perhaps more than once).
     */
    synchronized long whereIs(long pfn) {
        while (true) {
            long p = pfn;
            for (int hops = 0; !held.containsKey(p) && movedTo.containsKey(p) && hops < 64; hops++) {
                p = movedTo.get(p);
            }
            // a block being migrated is freed once it has settled, at its new place
            if (!isolated.contains(p)) {
                return p;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return p;
            }
        }
    }

    /** Forgets a block that was freed; {@code user} is the pfn the user named. */
    synchronized void freed(long user, long pfn) {
        held.remove(pfn);
        long p = user;
        while (p != pfn && movedTo.containsKey(p)) {
            p = movedTo.remove(p);
        }
    }

    /** Forgets everything (a new machine). */
    synchronized void clear() {
        held.clear();
        movedTo.clear();
        isolated.clear();
    }

    @Override
    public synchronized boolean isolatePage(long pfn, int order) {
        Held h = held.get(pfn);
        if (h != null && h.movable && h.order == order) {
            isolated.add(pfn);
            return true;
        }
        return false;
    }

    @Override
    public synchronized void migratePage(long src, long dst, int order) {
        Held h = held.remove(src);
        if (h != null) {
            held.put(dst, h);
            movedTo.put(src, dst);
        }
        isolated.remove(src);
        notifyAll();
    }

    @Override
    public synchronized void putbackPage(long pfn, int order) {
        isolated.remove(pfn);
        notifyAll();
    }
}

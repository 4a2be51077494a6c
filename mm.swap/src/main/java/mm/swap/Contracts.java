package mm.swap;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.memcg.MemCgroup;
import mm.api.reclaim.Reclaimer;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import mm.api.vm.PageTable;

/** The contracts the switchboard knows: each one's service interface and reference implementation. */
final class Contracts {

    /** Contract name to service interface, in {@link Switchboard#CONTRACTS}' order. */
    static final Map<String, Class<? extends Subsystem>> INTERFACES = interfaces();

    /** Contract name to its reference implementation, the one restored when another fails. */
    static final Map<String, String> REFERENCES = Map.of(
            FrameAllocator.CONTRACT, "buddy",
            ObjectCache.CONTRACT, "slub",
            PageTable.CONTRACT, "vm",
            Reclaimer.CONTRACT, "vmscan",
            MemCgroup.CONTRACT, "memcg");

    private Contracts() {
    }

    private static Map<String, Class<? extends Subsystem>> interfaces() {
        Map<String, Class<? extends Subsystem>> m = new LinkedHashMap<>();
        m.put(FrameAllocator.CONTRACT, FrameAllocator.class);
        m.put(ObjectCache.CONTRACT, ObjectCache.class);
        m.put(PageTable.CONTRACT, PageTable.class);
        m.put(Reclaimer.CONTRACT, Reclaimer.class);
        m.put(MemCgroup.CONTRACT, MemCgroup.class);
        if (!m.keySet().equals(new LinkedHashSet<>(Switchboard.CONTRACTS))) {
            throw new AssertionError("Switchboard.CONTRACTS and the switchboard's interfaces differ");
        }
        return Collections.unmodifiableMap(m);
    }

    /** The contract an implementation's registration names, or null if it names none the platform knows. */
    static String contractOf(Object contractProperty) {
        return contractProperty instanceof String s && INTERFACES.containsKey(s) ? s : null;
    }

    /**
     * The service filter that matches every installed implementation of every contract (each
     * registers its contract's interface with {@code mm.impl}), but not the switchboard's own
     * registrations of the active ones ({@code mm.active=true}).
     */
    static String candidateFilter() {
        StringBuilder sb = new StringBuilder("(&(" + Subsystem.PROP_IMPL + "=*)(!(" + Switchboard.PROP_ACTIVE + "=true))(|");
        for (String contract : Switchboard.CONTRACTS) {
            sb.append("(objectClass=").append(INTERFACES.get(contract).getName()).append(')');
        }
        return sb.append("))").toString();
    }

    /** "FrameAllocator, ObjectCache, ..." for messages. */
    static String names() {
        return String.join(", ", Switchboard.CONTRACTS);
    }
}

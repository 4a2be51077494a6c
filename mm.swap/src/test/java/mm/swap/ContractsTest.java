package mm.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import mm.api.subsystem.Switchboard;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;

/** Which registrations the switchboard takes for implementations. */
class ContractsTest {

    private static Hashtable<String, Object> props(String objectClass, String impl, Boolean active) {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("objectClass", new String[] {objectClass});
        if (impl != null) {
            p.put("mm.impl", impl);
        }
        if (active != null) {
            p.put("mm.active", active);
        }
        return p;
    }

    @Test
    void theFilterTakesImplementationsButNotTheActiveRegistrations() throws Exception {
        Filter f = FrameworkUtil.createFilter(Contracts.candidateFilter());
        assertTrue(f.match(props("mm.api.frame.FrameAllocator", "bitmap", null)));
        assertTrue(f.match(props("mm.api.slab.ObjectCache", "slub", null)));
        assertFalse(f.match(props("mm.api.frame.FrameAllocator", "bitmap", Boolean.TRUE)), "the switchboard's own registration");
        assertFalse(f.match(props("mm.api.frame.FrameAllocator", null, null)), "no mm.impl");
        assertFalse(f.match(props("mm.api.frame.FrameAllocatorFactory", "bitmap", null)), "a factory is not an implementation");
    }

    @Test
    void everyContractHasAnInterfaceAndAReference() {
        assertEquals(Switchboard.CONTRACTS, List.copyOf(Contracts.INTERFACES.keySet()));
        for (String c : Switchboard.CONTRACTS) {
            assertTrue(Contracts.REFERENCES.containsKey(c), c);
            assertEquals(c, Contracts.contractOf(c));
        }
        assertNull(Contracts.contractOf("Frame"));
        assertNull(Contracts.contractOf(42));
    }
}

package mm.console.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.subsystem.Subsystem;
import mm.buddy.BuddyFactory;
import mm.hw.machine.MachineFactoryImpl;
import mm.tck.ConformanceSuite;
import org.junit.jupiter.api.Test;

/** mm:tck picks the suite of the contract, grades object caches on the buddy allocator, and says in one line what is wrong. */
class TckCommandTest {

    private static ObjectCacheFactory named(String name) {
        return new ObjectCacheFactory() {
            @Override
            public String implName() {
                return name;
            }

            @Override
            public ObjectCache create(Machine machine, FrameAllocator frames) {
                throw new UnsupportedOperationException();
            }
        };
    }

    private static TckCommand command(boolean buddy, String... caches) {
        TckCommand c = new TckCommand();
        c.machines = new MachineFactoryImpl();
        if (buddy) {
            c.addFactory(new BuddyFactory(), Map.of(Subsystem.PROP_IMPL, "buddy"));
        }
        for (String n : caches) {
            c.addCacheFactory(named(n), Map.of(Subsystem.PROP_IMPL, n));
        }
        return c;
    }

    @Test
    void unknownContractsAndContractsWithoutASuiteAreNamed() {
        TckCommand c = command(true);
        assertEquals("unknown contract 'Frames': the contracts with a suite are FrameAllocator, ObjectCache",
                assertThrows(CommandError.class, () -> c.tck("Frames", "buddy")).getMessage());
        assertEquals("there is no conformance suite for PageTable yet: accepted are FrameAllocator, ObjectCache",
                assertThrows(CommandError.class, () -> c.tck("PageTable", "x")).getMessage());
    }

    @Test
    void unknownImplementationsListWhatCanBeGraded() {
        assertEquals("no ObjectCache implementation named 'slob' has a factory: graded can be none (no ObjectCacheFactory is "
                + "installed)", assertThrows(CommandError.class, () -> command(true).tck("ObjectCache", "slob")).getMessage());
        assertEquals("no ObjectCache implementation named 'slob' has a factory: graded can be mine, slub",
                assertThrows(CommandError.class, () -> command(true, "slub", "mine").tck("ObjectCache", "slob")).getMessage());
        assertEquals("no FrameAllocator implementation named 'x' has a factory: graded can be buddy",
                assertThrows(CommandError.class, () -> command(true).tck("FrameAllocator", "x")).getMessage());
    }

    @Test
    void anObjectCacheNeedsAFrameAllocatorUnderIt() {
        assertEquals("no FrameAllocatorFactory is installed to put a page allocator under the object caches graded: install "
                + "mm.buddy", assertThrows(CommandError.class, () -> command(false, "slub").tck("ObjectCache", "slub")).getMessage());
    }

    @Test
    void eachContractGetsItsSuite() {
        TckCommand c = command(true, "slub");
        ConformanceSuite oc = c.suite("ObjectCache", "slub");
        assertEquals("ObjectCache", oc.contract());
        assertEquals("slub", oc.implementation());
        assertEquals(25, oc.checks().size());
        ConformanceSuite fa = c.suite("FrameAllocator", "buddy");
        assertEquals("FrameAllocator", fa.contract());
        assertEquals(21, fa.checks().size());
    }
}

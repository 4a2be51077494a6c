package mm.tck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Which classes a failure's "thrown in" passes over as the kit's own: those loaded from where the
 * kit's classes are, whatever their package, not the kit's tests' classes of the same package.
 */
class KitClassTest {

    @Test
    void theKitsMainClassesAreKitClassesWithoutAList() {
        for (Class<?> c : new Class<?>[] {ConformanceCheck.class, CompactionChecks.class, Fragmentation.class, RandomWalk.class,
            Machines.class, FreeFigures.class, ForwardingObjectCache.class, TwoCpus.class}) {
            assertTrue(ConformanceCheck.isKitClass(c.getName()), c.getName());
        }
        assertTrue(ConformanceCheck.isKitClass(CheckResult.Status.class.getName()), "a nested class of the kit");
    }

    @Test
    void classesOfTheKitsTestsInItsPackageAreNot() {
        for (Class<?> c : new Class<?>[] {Broken.class, Broken.HangingDrain.class, BitmapAllocator.class, SimpleSlab.class,
            KitClassTest.class}) {
            assertFalse(ConformanceCheck.isKitClass(c.getName()), c.getName());
        }
    }

    @Test
    void otherClassesAreNot() {
        assertFalse(ConformanceCheck.isKitClass("java.lang.String"));
        assertFalse(ConformanceCheck.isKitClass("mm.core.page.ForwardingFrameAllocator"));
        assertFalse(ConformanceCheck.isKitClass("mm.tck.NoSuchClass"));
    }
}

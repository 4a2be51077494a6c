package mm.tck.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import mm.api.frame.FrameAllocatorFactory;
import org.junit.jupiter.api.Test;

/** An optional factory made by class name: there and of the type asked, or null. */
class ConformanceTestsTest {

    private static final ClassLoader LOADER = ConformanceTestsTest.class.getClassLoader();

    @Test
    void aClassThatIsThereAndOfTheTypeIsMade() {
        assertEquals(ArrayList.class, ConformanceTests.instantiate("java.util.ArrayList", Object.class, LOADER).getClass());
    }

    @Test
    void aClassOfAnotherTypeIsNull() {
        assertNull(ConformanceTests.instantiate("java.util.ArrayList", FrameAllocatorFactory.class, LOADER));
    }

    @Test
    void aClassThatIsNotThereIsNull() {
        assertNull(ConformanceTests.instantiate("mm.nowhere.NoFactory", FrameAllocatorFactory.class, LOADER));
    }
}

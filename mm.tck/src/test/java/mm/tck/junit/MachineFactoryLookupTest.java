package mm.tck.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URL;
import java.net.URLClassLoader;
import mm.api.frame.FrameAllocatorFactory;
import org.junit.jupiter.api.Test;

/**
 * The JUnit adapter's defaults: the machine factory comes from {@code ServiceLoader}, with a clear
 * message when none is on the class path; the reference is the buddy's factory only when
 * {@code mm.buddy} is there (it is not in the kit's own build).
 */
class MachineFactoryLookupTest {

    private final FrameAllocatorConformanceTest adapter = new FrameAllocatorConformanceTest() {
        @Override
        protected FrameAllocatorFactory factory() {
            return null;
        }
    };

    @Test
    void machinesComeFromTheServiceLoader() {
        assertEquals("mm.hw.machine.MachineFactoryImpl", adapter.machines().getClass().getName());
    }

    @Test
    void withoutAProviderTheMessageSaysWhatToAdd() throws Exception {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConformanceTests.firstMachineFactory(empty));
            assertEquals("no MachineFactory on the class path to boot machines with: add mm.hw as a test dependency", e.getMessage());
        }
    }

    @Test
    void withoutMmBuddyThereIsNoReference() {
        assertNull(adapter.referenceFactory());
    }
}

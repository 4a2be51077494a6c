package mm.itest;

import static org.junit.Assert.assertEquals;

import javax.inject.Inject;
import mm.api.frame.FrameAllocator;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Switchboard;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.After;
import org.junit.Before;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;

/**
 * What the in-framework tests that drive the shell share: the platform on a 1 GiB machine with two
 * CPUs, a Gogo session of the real command processor opened once buddy and SLUB are active, and,
 * after each test, a machine {@code mm:check} finds sound.
 */
public abstract class ShellTestBase {

    @Inject
    protected CommandProcessor processor;

    @Inject
    protected Switchboard switchboard;

    /** The session of the running test. */
    protected Shell sh;

    @Configuration
    public Option[] config() {
        return ItOptions.platform("1G", 2, 1);
    }

    @Before
    public void openShell() throws Exception {
        Await.until("buddy and SLUB are active", () -> "buddy".equals(switchboard.active(FrameAllocator.CONTRACT))
                && "slub".equals(switchboard.active(ObjectCache.CONTRACT)));
        sh = new Shell(processor);
    }

    @After
    public void machineIsSound() throws Exception {
        try {
            assertEquals("ok", sh.run("mm:check"));
        } finally {
            sh.close();
        }
    }
}

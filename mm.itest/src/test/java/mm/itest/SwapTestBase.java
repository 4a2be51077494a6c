package mm.itest;

import static org.junit.Assert.assertEquals;

import java.util.Collection;
import javax.inject.Inject;
import mm.api.machine.Machine;
import mm.api.subsystem.Switchboard;
import org.apache.felix.service.command.CommandProcessor;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * What the in-framework tests of hot swaps share: the platform (a 1 GiB machine with two CPUs
 * unless a test says otherwise), the framework, the machine and the command processor injected,
 * the switchboard, and the one active registration of a contract.
 */
public abstract class SwapTestBase {

    @Inject
    protected BundleContext context;

    @Inject
    protected Machine machine;

    @Inject
    protected CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return ItOptions.platform("1G", 2, 1);
    }

    /** The switchboard, waiting for it if it is restarting. */
    protected Switchboard switchboard() {
        return Await.service(context, Switchboard.class, null);
    }

    /** The one registration of the active implementation of {@code type}'s contract. */
    protected <T> T active(Class<T> type) throws Exception {
        Collection<ServiceReference<T>> refs = context.getServiceReferences(type, "(mm.active=true)");
        assertEquals("exactly one active " + type.getSimpleName() + " registration", 1, refs.size());
        return context.getService(refs.iterator().next());
    }
}

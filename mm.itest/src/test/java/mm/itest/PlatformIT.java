package mm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.inject.Inject;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.util.Filter;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The platform's bundles resolve in Felix, every component comes up, and the machine has the configured shape. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT {

    @Inject
    BundleContext context;

    @Inject
    ServiceComponentRuntime scr;

    @Inject
    Machine machine;

    @Inject
    @Filter("(mm.active=true)")
    FrameAllocator frames;

    @Configuration
    public Option[] config() {
        return ItOptions.platform("1G", 2, 1);
    }

    @Test
    public void everyBundleResolvesAndStarts() {
        List<String> problems = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                problems.add(b.getSymbolicName() + " is in state " + b.getState());
            }
        }
        assertTrue("bundles not started: " + problems, problems.isEmpty());
    }

    @Test
    public void everyComponentOfThePlatformIsSatisfied() {
        List<String> problems = new ArrayList<>();
        int components = 0;
        for (Bundle b : context.getBundles()) {
            if (!b.getSymbolicName().startsWith("mm.")) {
                continue;
            }
            for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
                components++;
                Collection<ComponentConfigurationDTO> configs = scr.getComponentConfigurationDTOs(d);
                if (configs.isEmpty()) {
                    problems.add(d.name + " has no configuration (disabled?)");
                }
                for (ComponentConfigurationDTO c : configs) {
                    if (c.state != ComponentConfigurationDTO.ACTIVE && c.state != ComponentConfigurationDTO.SATISFIED) {
                        problems.add(d.name + " is in state " + c.state + (c.failure != null ? ": " + c.failure : ""));
                    }
                }
            }
        }
        assertTrue("components not satisfied: " + problems, problems.isEmpty());
        assertTrue("expected the platform's components, found " + components, components >= 12);
    }

    @Test
    public void theMachineHasTheShapeOfItsFrameworkProperties() {
        assertEquals(1L << 30, machine.config().memBytes());
        assertEquals(2, machine.config().cpus());
        assertEquals(1, machine.nodes().size());
        assertEquals("buddy", frames.implName());
        assertTrue("the allocator's invariants hold after boot: " + frames.check(), frames.check().isEmpty());
    }
}

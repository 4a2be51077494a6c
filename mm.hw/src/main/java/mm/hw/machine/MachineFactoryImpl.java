package mm.hw.machine;

import mm.api.machine.Machine;
import mm.api.machine.MachineConfig;
import mm.api.machine.MachineFactory;
import org.osgi.service.component.annotations.Component;

/**
 * Boots fresh machines for whoever needs one apart from the platform's (the conformance kit).
 * Also found through {@link java.util.ServiceLoader} outside OSGi.
 */
@Component(service = MachineFactory.class)
public class MachineFactoryImpl implements MachineFactory {

    @Override
    public Machine boot(MachineConfig config) {
        return MachineImpl.boot(config);
    }
}

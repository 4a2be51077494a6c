package mm.hw.machine;

import mm.api.machine.Machine;
import mm.api.sysctl.Sysctl;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code vm.extfrag_threshold} (mm/compaction.c): below which fragmentation index compaction for a
 * costly order is not worth it.
 */
@Component(service = Sysctl.class, property = Sysctl.PROP_NAME + "=vm.extfrag_threshold")
public class ExtfragThresholdSysctl extends WatermarkSysctl {

    @Reference
    Machine machine;

    @Override
    public String name() {
        return "vm.extfrag_threshold";
    }

    @Override
    public String description() {
        return "compaction for orders above 3 is skipped when the zone's fragmentation index is at most this "
                + "(0 to 1000; low values mean failures come from lack of memory, not fragmentation)";
    }

    @Override
    public String read() {
        return Integer.toString(machine.extfragThreshold());
    }

    @Override
    public void write(String value) {
        machine.setExtfragThreshold(parseInt(value, "0 to 1000"));
    }
}

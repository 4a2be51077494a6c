package mm.hw.machine;

import java.util.Arrays;
import java.util.stream.Collectors;
import mm.api.sysctl.Sysctl;
import org.osgi.service.component.annotations.Component;

/**
 * {@code vm.lowmem_reserve_ratio}: one ratio per zone; zone i keeps (pages of the zones above it)
 * / ratio[i] from allocations that could have used those zones.
 */
@Component(service = Sysctl.class, property = Sysctl.PROP_NAME + "=vm.lowmem_reserve_ratio")
public class LowmemReserveRatioSysctl extends WatermarkSysctl {

    @Override
    public String name() {
        return "vm.lowmem_reserve_ratio";
    }

    @Override
    public String description() {
        return "per zone (DMA DMA32 Normal Movable Device) the divisor of the lowmem reserve; 0 disables (1 to 5 whole numbers)";
    }

    @Override
    public String read() {
        return Arrays.stream(watermarks().tunables().lowmemReserveRatio()).mapToObj(Integer::toString)
                .collect(Collectors.joining("\t"));
    }

    @Override
    public void write(String value) {
        String v = value == null ? "" : value.replaceAll("^[\\s,]+|[\\s,]+$", "");
        if (v.isEmpty()) {
            throw new IllegalArgumentException(name() + " needs 1 to 5 whole numbers separated by spaces or tabs");
        }
        String[] parts = v.split("[\\s,]+");
        int[] ratios = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ratios[i] = parseInt(parts[i], "1 to 5 whole numbers separated by spaces or tabs");
        }
        watermarks().writeLowmemReserveRatio(ratios);
    }
}

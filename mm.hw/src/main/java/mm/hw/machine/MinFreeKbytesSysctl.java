package mm.hw.machine;

import mm.api.sysctl.Sysctl;
import org.osgi.service.component.annotations.Component;

/** {@code vm.min_free_kbytes}: the reserve the min watermarks are made of ({@code min_free_kbytes_sysctl_handler}). */
@Component(service = Sysctl.class, property = Sysctl.PROP_NAME + "=vm.min_free_kbytes")
public class MinFreeKbytesSysctl extends WatermarkSysctl {

    @Override
    public String name() {
        return "vm.min_free_kbytes";
    }

    @Override
    public String description() {
        return "KiB kept free for atomic allocations, split between zones as their min watermarks (0 and above)";
    }

    @Override
    public String read() {
        return Integer.toString(watermarks().tunables().minFreeKbytes());
    }

    @Override
    public void write(String value) {
        watermarks().writeMinFreeKbytes(parseInt(value, "a whole number of KiB, 0 and above"));
    }
}

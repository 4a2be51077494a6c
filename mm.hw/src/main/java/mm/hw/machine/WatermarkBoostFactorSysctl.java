package mm.hw.machine;

import mm.api.sysctl.Sysctl;
import org.osgi.service.component.annotations.Component;

/** {@code vm.watermark_boost_factor}: how far fragmenting fallbacks raise the watermarks. */
@Component(service = Sysctl.class, property = Sysctl.PROP_NAME + "=vm.watermark_boost_factor")
public class WatermarkBoostFactorSysctl extends WatermarkSysctl {

    @Override
    public String name() {
        return "vm.watermark_boost_factor";
    }

    @Override
    public String description() {
        return "maximum watermark boost after a fragmenting fallback, in 1/10000 of the high watermark (0 disables)";
    }

    @Override
    public String read() {
        return Integer.toString(watermarks().tunables().watermarkBoostFactor());
    }

    @Override
    public void write(String value) {
        watermarks().writeWatermarkBoostFactor(parseInt(value, "0 and above"));
    }
}

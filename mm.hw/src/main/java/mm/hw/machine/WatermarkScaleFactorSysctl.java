package mm.hw.machine;

import mm.api.sysctl.Sysctl;
import org.osgi.service.component.annotations.Component;

/** {@code vm.watermark_scale_factor}: the gap between watermarks, in 1/10000 of a zone. */
@Component(service = Sysctl.class, property = Sysctl.PROP_NAME + "=vm.watermark_scale_factor")
public class WatermarkScaleFactorSysctl extends WatermarkSysctl {

    @Override
    public String name() {
        return "vm.watermark_scale_factor";
    }

    @Override
    public String description() {
        return "distance between the min, low and high watermarks in units of 0.01 % of a zone (1 to 3000)";
    }

    @Override
    public String read() {
        return Integer.toString(watermarks().tunables().watermarkScaleFactor());
    }

    @Override
    public void write(String value) {
        watermarks().writeWatermarkScaleFactor(parseInt(value, "1 to 3000"));
    }
}

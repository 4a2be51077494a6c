package mm.hw.machine;

import mm.api.sysctl.Sysctl;
import org.osgi.service.component.annotations.Component;

/** {@code vm.percpu_pagelist_high_fraction}: per-CPU list size as a fraction of a zone. */
@Component(service = Sysctl.class, property = Sysctl.PROP_NAME + "=vm.percpu_pagelist_high_fraction")
public class PercpuPagelistHighFractionSysctl extends WatermarkSysctl {

    @Override
    public String name() {
        return "vm.percpu_pagelist_high_fraction";
    }

    @Override
    public String description() {
        return "per-CPU page lists hold at most managed/N pages per zone (0: derive from the low watermark; else 8 and above)";
    }

    @Override
    public String read() {
        return Integer.toString(watermarks().tunables().percpuPagelistHighFraction());
    }

    @Override
    public void write(String value) {
        watermarks().writePercpuPagelistHighFraction(parseInt(value, "0, or 8 and above"));
    }
}

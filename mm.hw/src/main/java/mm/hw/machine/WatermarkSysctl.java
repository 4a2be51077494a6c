package mm.hw.machine;

import mm.api.sysctl.Sysctl;
import mm.hw.zone.ZoneWatermarks;
import org.osgi.service.component.annotations.Reference;

/** What the page allocator's sysctls share: the machine they tune and integer parsing. */
abstract class WatermarkSysctl implements Sysctl {

    @Reference
    WatermarkControl control;

    ZoneWatermarks watermarks() {
        return control.watermarks();
    }

    /** Parses one integer the way {@code proc_dointvec} does, with a one-line error naming the sysctl. */
    int parseInt(String value, String accepted) {
        String v = value == null ? "" : value.trim();
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name() + " = '" + v + "' is not a number: accepted are " + accepted, e);
        }
    }
}

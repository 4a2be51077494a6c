package mm.hw.machine;

import mm.hw.zone.ZoneWatermarks;

/**
 * The machine's watermark tunables, for the sysctl components of this bundle. A private service
 * interface: only {@code mm.hw} sees it.
 */
public interface WatermarkControl {
    /** The watermark arithmetic of the running machine. */
    ZoneWatermarks watermarks();
}

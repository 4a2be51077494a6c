package mm.api.machine;

/**
 * The zones of a node, in the kernel's {@code enum zone_type} order (include/linux/mmzone.h) for a
 * 64-bit kernel built with ZONE_DMA, ZONE_DMA32, ZONE_MOVABLE and ZONE_DEVICE, as the distribution
 * kernels of both architectures are. The ordinal is the zone index ({@code zone_idx}).
 */
public enum ZoneType {
    /** ZONE_DMA: below 16 MiB on x86_64; on arm64 below the DMA limit (4 GiB by default). */
    DMA("DMA"),
    /** ZONE_DMA32: below 4 GiB on x86_64; empty on arm64 when the DMA zone reaches 4 GiB. */
    DMA32("DMA32"),
    /** ZONE_NORMAL: the rest of memory. */
    NORMAL("Normal"),
    /** ZONE_MOVABLE: only movable allocations ({@code movablecore=}); empty unless configured. */
    MOVABLE("Movable"),
    /** ZONE_DEVICE: device memory (pmem, HMM); always empty in the simulator. */
    DEVICE("Device");

    /** MAX_NR_ZONES. */
    public static final int MAX_NR_ZONES = 5;

    private static final ZoneType[] VALUES = values();

    private final String kernelName;

    ZoneType(String kernelName) {
        this.kernelName = kernelName;
    }

    /** The name /proc/zoneinfo prints ({@code zone_names[]} in mm/page_alloc.c). */
    public String kernelName() {
        return kernelName;
    }

    /** The zone type with this index. */
    public static ZoneType of(int zoneIndex) {
        return VALUES[zoneIndex];
    }
}

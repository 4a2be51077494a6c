package mm.api.machine;

/**
 * One region of a memblock type: the kernel's {@code struct memblock_region}
 * (include/linux/memblock.h).
 *
 * @param base the first physical address
 * @param size the size in bytes
 * @param flags {@code MEMBLOCK_*} flags
 * @param nid the node, or {@link #NO_NODE} before nodes are assigned
 */
public record MemblockRegion(long base, long size, int flags, int nid) {
    /** MEMBLOCK_NONE. */
    public static final int MEMBLOCK_NONE = 0x0;
    /** MEMBLOCK_HOTPLUG: hotpluggable region. */
    public static final int MEMBLOCK_HOTPLUG = 0x1;
    /** MEMBLOCK_MIRROR: mirrored region. */
    public static final int MEMBLOCK_MIRROR = 0x2;
    /** MEMBLOCK_NOMAP: not in the kernel's direct map. */
    public static final int MEMBLOCK_NOMAP = 0x4;
    /** MEMBLOCK_DRIVER_MANAGED: added by a driver, not firmware. */
    public static final int MEMBLOCK_DRIVER_MANAGED = 0x8;
    /** MEMBLOCK_RSRV_NOINIT: reserved without initialising its struct pages. */
    public static final int MEMBLOCK_RSRV_NOINIT = 0x10;
    /** The node id of a region no node was set for (the kernel's MAX_NUMNODES there). */
    public static final int NO_NODE = -1;

    /** Validates the region. */
    public MemblockRegion {
        if (base < 0 || size < 0) {
            throw new IllegalArgumentException("memblock region [" + base + ", +" + size + ") has a negative base or size");
        }
    }

    /** One past the last address. */
    public long end() {
        return base + size;
    }
}

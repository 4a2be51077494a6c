package mm.core.page;

import java.util.concurrent.atomic.AtomicIntegerArray;
import mm.api.machine.Zone;
import mm.api.machine.ZoneType;

/**
 * The page allocator's per-zone state bits ({@code zone->flags}, {@code enum zone_flags},
 * include/linux/mmzone.h), set and cleared atomically like the kernel's bit operations.
 */
public final class ZoneFlags {
    /** ZONE_BOOSTED_WATERMARK: a fragmenting fallback boosted the watermarks; wake kswapd after the allocation. */
    public static final int ZONE_BOOSTED_WATERMARK = 1;
    /** ZONE_RECLAIM_ACTIVE: kswapd is reclaiming this zone; per-CPU lists hold less. */
    public static final int ZONE_RECLAIM_ACTIVE = 2;
    /** ZONE_BELOW_HIGH: free pages fell below the high watermark; per-CPU lists shrink. */
    public static final int ZONE_BELOW_HIGH = 4;

    private final AtomicIntegerArray flags;

    /** Flags for every zone of {@code nodes} nodes. */
    public ZoneFlags(int nodes) {
        flags = new AtomicIntegerArray(nodes * ZoneType.MAX_NR_ZONES);
    }

    private static int id(Zone z) {
        return z.id();
    }

    /** {@code test_bit}. */
    public boolean test(Zone z, int flag) {
        return (flags.get(id(z)) & flag) != 0;
    }

    /** {@code set_bit}. */
    public void set(Zone z, int flag) {
        int i = id(z);
        int old;
        do {
            old = flags.get(i);
            if ((old & flag) != 0) {
                return;
            }
        } while (!flags.compareAndSet(i, old, old | flag));
    }

    /** {@code clear_bit}. */
    public void clear(Zone z, int flag) {
        int i = id(z);
        int old;
        do {
            old = flags.get(i);
            if ((old & flag) == 0) {
                return;
            }
        } while (!flags.compareAndSet(i, old, old & ~flag));
    }

    /** Clears every flag of every zone. */
    void reset() {
        for (int i = 0; i < flags.length(); i++) {
            flags.set(i, 0);
        }
    }
}

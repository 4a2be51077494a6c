package mm.api.machine;

/**
 * Owner ids for kernel users of frames, recorded with {@link FrameTable#setOwner}. Processes are
 * recorded by pid (&gt; 0).
 */
public final class Owners {
    /** Nobody: the frame is free or its owner did not say. */
    public static final int NONE = 0;
    /** A kernel allocation made through the page allocator directly ({@code alloc_pages}). */
    public static final int KERNEL = -1;
    /** Slab pages of the object caches. */
    public static final int SLAB = -2;
    /** Page tables. */
    public static final int PAGE_TABLE = -3;
    /** Page cache of a simulated file. */
    public static final int PAGE_CACHE = -4;
    /** Allocations made from the console ({@code mm:alloc}). */
    public static final int CONSOLE = -5;

    private Owners() {
    }

    /** A name for an owner id: {@code pid 42}, {@code kernel}, {@code slab}... */
    public static String name(int owner) {
        return switch (owner) {
            case NONE -> "none";
            case KERNEL -> "kernel";
            case SLAB -> "slab";
            case PAGE_TABLE -> "page-table";
            case PAGE_CACHE -> "page-cache";
            case CONSOLE -> "console";
            default -> owner > 0 ? "pid " + owner : "owner " + owner;
        };
    }
}

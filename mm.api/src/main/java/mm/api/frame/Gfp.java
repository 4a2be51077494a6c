package mm.api.frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mm.api.machine.MigrateType;
import mm.api.machine.ZoneType;

/**
 * GFP ("get free pages") flags: the kernel's {@code gfp_t} bits and masks
 * (include/linux/gfp_types.h, 6.18), their names as the kernel prints them ({@code %pGg} and the
 * tracepoints' {@code gfp_flags=}, include/trace/events/mmflags.h), and the two decisions the
 * page allocator derives from them: the highest zone ({@code gfp_zone}) and the migratetype
 * ({@code gfp_migratetype}).
 */
public final class Gfp {
    public static final int __GFP_DMA = 1 << 0;
    public static final int __GFP_HIGHMEM = 1 << 1;
    public static final int __GFP_DMA32 = 1 << 2;
    public static final int __GFP_MOVABLE = 1 << 3;
    public static final int __GFP_RECLAIMABLE = 1 << 4;
    public static final int __GFP_HIGH = 1 << 5;
    public static final int __GFP_IO = 1 << 6;
    public static final int __GFP_FS = 1 << 7;
    public static final int __GFP_ZERO = 1 << 8;
    public static final int __GFP_DIRECT_RECLAIM = 1 << 10;
    public static final int __GFP_KSWAPD_RECLAIM = 1 << 11;
    public static final int __GFP_WRITE = 1 << 12;
    public static final int __GFP_NOWARN = 1 << 13;
    public static final int __GFP_RETRY_MAYFAIL = 1 << 14;
    public static final int __GFP_NOFAIL = 1 << 15;
    public static final int __GFP_NORETRY = 1 << 16;
    public static final int __GFP_MEMALLOC = 1 << 17;
    public static final int __GFP_COMP = 1 << 18;
    public static final int __GFP_NOMEMALLOC = 1 << 19;
    public static final int __GFP_HARDWALL = 1 << 20;
    public static final int __GFP_THISNODE = 1 << 21;
    public static final int __GFP_ACCOUNT = 1 << 22;
    public static final int __GFP_ZEROTAGS = 1 << 23;
    public static final int __GFP_NO_OBJ_EXT = 1 << 24;

    /** The zone modifiers ({@code GFP_ZONEMASK}). */
    public static final int GFP_ZONEMASK = __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE;
    /** The mobility bits ({@code GFP_MOVABLE_MASK}). */
    public static final int GFP_MOVABLE_MASK = __GFP_RECLAIMABLE | __GFP_MOVABLE;
    /** Every bit the kernel defines. */
    public static final int VALID_MASK = (1 << 25) - 1 & ~(1 << 9);

    public static final int __GFP_RECLAIM = __GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM;
    public static final int GFP_ATOMIC = __GFP_HIGH | __GFP_KSWAPD_RECLAIM;
    public static final int GFP_KERNEL = __GFP_RECLAIM | __GFP_IO | __GFP_FS;
    public static final int GFP_KERNEL_ACCOUNT = GFP_KERNEL | __GFP_ACCOUNT;
    public static final int GFP_NOWAIT = __GFP_KSWAPD_RECLAIM | __GFP_NOWARN;
    public static final int GFP_NOIO = __GFP_RECLAIM;
    public static final int GFP_NOFS = __GFP_RECLAIM | __GFP_IO;
    public static final int GFP_USER = __GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL;
    public static final int GFP_DMA = __GFP_DMA;
    public static final int GFP_DMA32 = __GFP_DMA32;
    public static final int GFP_HIGHUSER = GFP_USER | __GFP_HIGHMEM;
    public static final int GFP_HIGHUSER_MOVABLE = GFP_HIGHUSER | __GFP_MOVABLE;
    public static final int GFP_TRANSHUGE_LIGHT =
            (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & ~__GFP_RECLAIM;
    public static final int GFP_TRANSHUGE = GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM;

    private record Name(int mask, String name) {
    }

    /** The kernel's name table, in the order {@code __print_flags} tries it (include/trace/events/mmflags.h). */
    private static final List<Name> NAMES = List.of(
            new Name(GFP_TRANSHUGE, "GFP_TRANSHUGE"),
            new Name(GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT"),
            new Name(GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE"),
            new Name(GFP_HIGHUSER, "GFP_HIGHUSER"),
            new Name(GFP_USER, "GFP_USER"),
            new Name(GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT"),
            new Name(GFP_KERNEL, "GFP_KERNEL"),
            new Name(GFP_NOFS, "GFP_NOFS"),
            new Name(GFP_ATOMIC, "GFP_ATOMIC"),
            new Name(GFP_NOIO, "GFP_NOIO"),
            new Name(GFP_NOWAIT, "GFP_NOWAIT"),
            new Name(GFP_DMA, "GFP_DMA"),
            new Name(GFP_DMA32, "GFP_DMA32"),
            new Name(__GFP_RECLAIM, "__GFP_RECLAIM"),
            new Name(__GFP_DMA, "__GFP_DMA"),
            new Name(__GFP_HIGHMEM, "__GFP_HIGHMEM"),
            new Name(__GFP_DMA32, "__GFP_DMA32"),
            new Name(__GFP_MOVABLE, "__GFP_MOVABLE"),
            new Name(__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE"),
            new Name(__GFP_HIGH, "__GFP_HIGH"),
            new Name(__GFP_IO, "__GFP_IO"),
            new Name(__GFP_FS, "__GFP_FS"),
            new Name(__GFP_ZERO, "__GFP_ZERO"),
            new Name(__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM"),
            new Name(__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM"),
            new Name(__GFP_WRITE, "__GFP_WRITE"),
            new Name(__GFP_NOWARN, "__GFP_NOWARN"),
            new Name(__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL"),
            new Name(__GFP_NOFAIL, "__GFP_NOFAIL"),
            new Name(__GFP_NORETRY, "__GFP_NORETRY"),
            new Name(__GFP_MEMALLOC, "__GFP_MEMALLOC"),
            new Name(__GFP_COMP, "__GFP_COMP"),
            new Name(__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC"),
            new Name(__GFP_HARDWALL, "__GFP_HARDWALL"),
            new Name(__GFP_THISNODE, "__GFP_THISNODE"),
            new Name(__GFP_ACCOUNT, "__GFP_ACCOUNT"),
            new Name(__GFP_ZEROTAGS, "__GFP_ZEROTAGS"),
            new Name(__GFP_NO_OBJ_EXT, "__GFP_NO_OBJ_EXT"));

    private Gfp() {
    }

    /**
     * Parses GFP flags written as the kernel names them, joined by {@code |}:
     * {@code GFP_KERNEL}, {@code GFP_ATOMIC|__GFP_ZERO}, or a number ({@code 0xcc0}); {@code none}
     * (what {@link #format} and the kernel print for 0) is 0. Since {@code |} is a pipe in shells,
     * {@code +} and {@code ,} join flags too ({@code GFP_ATOMIC+__GFP_ZERO}). Names are matched
     * without regard to case.
     *
     * @throws IllegalArgumentException naming the bad part and what is accepted
     */
    public static int parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty GFP flags: accepted are kernel names joined by '|', e.g. GFP_KERNEL|__GFP_ZERO");
        }
        if (text.trim().equalsIgnoreCase("none")) {
            return 0;
        }
        int mask = 0;
        for (String part : text.split("[|+,]", -1)) {
            String p = part.trim();
            mask |= parseOne(p, text);
        }
        return validate(mask);
    }

    private static int parseOne(String p, String whole) {
        if (p.isEmpty()) {
            throw new IllegalArgumentException("empty flag in '" + whole + "': accepted are kernel names joined by '|', '+' or ','");
        }
        String upper = p.toUpperCase(Locale.ROOT);
        for (Name n : NAMES) {
            if (n.name.equals(upper)) {
                return n.mask;
            }
        }
        try {
            long v = upper.startsWith("0X") ? Long.parseLong(upper.substring(2), 16) : Long.parseLong(upper);
            if (v >= 0 && v <= Integer.MAX_VALUE) {
                return (int) v;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("unknown GFP flag '" + p + "': accepted are " + acceptedNames() + ", or a number");
    }

    /** The composite names a user is most likely to want, for error messages. */
    private static String acceptedNames() {
        return "GFP_KERNEL, GFP_ATOMIC, GFP_NOWAIT, GFP_NOIO, GFP_NOFS, GFP_USER, GFP_HIGHUSER, GFP_HIGHUSER_MOVABLE, "
                + "GFP_KERNEL_ACCOUNT, GFP_DMA, GFP_DMA32, GFP_TRANSHUGE and the __GFP_ bits (__GFP_ZERO, __GFP_HIGH, ...)";
    }

    /**
     * Checks a mask: only defined bits, and a zone modifier combination the kernel's
     * {@code GFP_ZONE_TABLE} accepts.
     *
     * @return the mask
     * @throws IllegalArgumentException saying what is wrong
     */
    public static int validate(int mask) {
        if ((mask & ~VALID_MASK) != 0) {
            throw new IllegalArgumentException(String.format("GFP mask %#x has undefined bits %#x", mask, mask & ~VALID_MASK));
        }
        int zoneBits = mask & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM);
        if (Integer.bitCount(zoneBits) > 1) {
            throw new IllegalArgumentException("GFP flags " + format(mask)
                    + " ask for two zones: use at most one of __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM");
        }
        if ((mask & GFP_MOVABLE_MASK) == GFP_MOVABLE_MASK) {
            throw new IllegalArgumentException("GFP flags " + format(mask) + " are both movable and reclaimable: use one");
        }
        return mask;
    }

    /**
     * Formats a mask the way the kernel prints {@code %pGg} and tracepoints' {@code gfp_flags=}:
     * the first names of the table whose bits are all set, joined by {@code |}, then any bits
     * left as hex; {@code none} for 0.
     */
    public static String format(int mask) {
        if (mask == 0) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        int left = mask;
        for (Name n : NAMES) {
            if (left == 0) {
                break;
            }
            if ((left & n.mask) == n.mask) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append(n.name);
                left &= ~n.mask;
            }
        }
        if (left != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(String.format("0x%x", left));
        }
        return sb.toString();
    }

    /**
     * The highest zone an allocation may use ({@code gfp_zone}, the kernel's GFP_ZONE_TABLE):
     * DMA for __GFP_DMA, DMA32 for __GFP_DMA32, MOVABLE for __GFP_MOVABLE with __GFP_HIGHMEM,
     * NORMAL otherwise (64-bit kernels have no highmem).
     */
    public static ZoneType gfpZone(int mask) {
        if ((mask & __GFP_DMA) != 0) {
            return ZoneType.DMA;
        }
        if ((mask & __GFP_DMA32) != 0) {
            return ZoneType.DMA32;
        }
        if ((mask & (__GFP_HIGHMEM | __GFP_MOVABLE)) == (__GFP_HIGHMEM | __GFP_MOVABLE)) {
            return ZoneType.MOVABLE;
        }
        return ZoneType.NORMAL;
    }

    /** The migratetype of an allocation ({@code gfp_migratetype}). */
    public static MigrateType gfpMigratetype(int mask) {
        if ((mask & __GFP_MOVABLE) != 0) {
            return MigrateType.MOVABLE;
        }
        if ((mask & __GFP_RECLAIMABLE) != 0) {
            return MigrateType.RECLAIMABLE;
        }
        return MigrateType.UNMOVABLE;
    }

    /** True if the caller may sleep in direct reclaim ({@code gfpflags_allow_blocking}). */
    public static boolean allowsBlocking(int mask) {
        return (mask & __GFP_DIRECT_RECLAIM) != 0;
    }

    /** Every name the kernel prints, in its table order. */
    public static List<String> names() {
        List<String> out = new ArrayList<>();
        for (Name n : NAMES) {
            out.add(n.name);
        }
        return out;
    }
}

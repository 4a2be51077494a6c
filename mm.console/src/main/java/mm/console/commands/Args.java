package mm.console.commands;

import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.slab.SlabFlags;

/** Parsing of command arguments, with the one-line errors every command gives. */
final class Args {

    private Args() {
    }

    /** An order, 0 to MAX_PAGE_ORDER. */
    static int order(String text) {
        int order;
        try {
            order = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new CommandError("order '" + text + "' is not a number: accepted are 0 to " + FrameAllocator.MAX_PAGE_ORDER);
        }
        if (order < 0 || order > FrameAllocator.MAX_PAGE_ORDER) {
            throw new CommandError("order " + order + " is out of range: accepted are 0 to " + FrameAllocator.MAX_PAGE_ORDER
                    + " (blocks of 1 to " + (1 << FrameAllocator.MAX_PAGE_ORDER) + " pages)");
        }
        return order;
    }

    /** A page frame number, hexadecimal with 0x (as the kernel prints them) or decimal. */
    static long pfn(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("pfn=")) {
            t = t.substring(4);
        }
        try {
            long v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new CommandError("pfn '" + text + "' is not a page frame number: accepted are 0x1a2b (hex) or 6699 (decimal)");
    }

    /** GFP flags by the kernel's names. */
    static int gfp(String text) {
        try {
            return Gfp.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CommandError(e.getMessage());
        }
    }

    /** A whole number for an option. */
    static int count(String what, String text, int min, int max) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new CommandError(what + " '" + text + "' is not valid: accepted are " + min + " to " + max);
    }

    private static final Pattern SIZE = Pattern.compile("(0x[0-9a-f]+|\\d+)([kmg]?)");

    /**
     * A size in bytes: decimal or hexadecimal with 0x, with an optional binary suffix as the
     * kernel's {@code memparse} reads them: {@code 100}, {@code 0x80}, {@code 4K}, {@code 2M}.
     *
     * @param what what the size is, for the message: {@code size}, {@code align}
     */
    static long size(String what, String text, long min, long max) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                String digits = m.group(1);
                long v = digits.startsWith("0x") ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
                int shift = switch (m.group(2)) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    default -> 0;
                };
                if (v <= (max >> shift)) {
                    v <<= shift;
                    if (v >= min) {
                        return v;
                    }
                }
            } catch (NumberFormatException e) {
                // too many digits: out of range, the message below
            }
        }
        throw new CommandError(what + " '" + text + "' is not valid: accepted are " + bytes(min) + " to " + bytes(max)
                + " bytes, e.g. 100, 0x80, 4K, 2M");
    }

    /** A byte count as a person reads it: 4194304 -> 4194304 (4M). */
    private static String bytes(long n) {
        if (n >= 1024 && Long.numberOfTrailingZeros(n) >= 10) {
            String unit = Long.numberOfTrailingZeros(n) >= 20 ? (n >> 20) + "M" : (n >> 10) + "K";
            return n + " (" + unit + ")";
        }
        return Long.toString(n);
    }

    /**
     * A kernel virtual address: hexadecimal with 0x as the commands print them
     * ({@code 0xffff888004a1c080}), or decimal as a Gogo variable holding a long prints it. Only
     * the first word counts, so that what {@code mm:kmalloc} returned can be passed as it is
     * ({@code p = (mm:kmalloc 100)}, then {@code mm:kfree $p}).
     */
    static long address(String text) {
        String t = text.trim();
        int space = t.indexOf(' ');
        if (space > 0) {
            t = t.substring(0, space);
        }
        t = t.toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("0x") && t.length() > 2 && t.length() <= 18) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            if (!t.startsWith("+")) {
                return Long.parseLong(t);
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new CommandError("address '" + text + "' is not a kernel address: accepted are 0xffff888004a1c080 (hex, "
                + "as mm:kmalloc prints it) or a variable holding what mm:kmalloc returned");
    }

    /** Bytes written as pairs of hex digits: {@code 78}, {@code deadbeef}, {@code 0x6b6b}. */
    static byte[] hexBytes(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        if (!t.isEmpty() && t.length() % 2 == 0 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return HexFormat.of().parseHex(t);
        }
        throw new CommandError("bytes '" + text + "' are not hexadecimal: accepted are pairs of hex digits, first byte "
                + "first, e.g. 78 or deadbeef");
    }

    /**
     * Cache creation flags: {@link SlabFlags#parse names} joined with {@code +}
     * ({@code SLAB_HWCACHE_ALIGN+SLAB_POISON}, {@code hwcache_align}), and
     * {@code slub_debug=LETTERS} for the debugging flags as the boot option names them
     * ({@code slub_debug=FZP}); {@code 0} for none.
     */
    static long slabFlags(String text) {
        long flags = 0;
        for (String part : text.split("\\+")) {
            String p = part.trim();
            try {
                if (p.toLowerCase(Locale.ROOT).startsWith("slub_debug=")) {
                    flags |= SlabFlags.parseSlubDebug(p.substring("slub_debug=".length()));
                } else {
                    flags |= SlabFlags.parse(p);
                }
            } catch (IllegalArgumentException e) {
                throw new CommandError(p.toLowerCase(Locale.ROOT).startsWith("slub_debug=") ? e.getMessage()
                        : e.getMessage() + ", or slub_debug=LETTERS (e.g. slub_debug=FZP)");
            }
        }
        return flags;
    }

    /** The text of a /proc view as a command result: the shell adds the final newline back. */
    static String view(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}

package mm.console.commands;

import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;

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
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
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

    /** The text of a /proc view as a command result: the shell adds the final newline back. */
    static String view(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }
}

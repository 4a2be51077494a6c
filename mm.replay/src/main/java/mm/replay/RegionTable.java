package mm.replay;

/**
 * Strings looked up by a region of a line without making a substring first: the parser's table of
 * event names, cache names and GFP flag strings, each with an int value. Open addressing on the
 * String hash; bounded (a full table stops remembering, lookups of new regions then miss).
 */
final class RegionTable {

    private final String[] keys;
    private final int[] vals;
    private final int mask;
    private final int limit;
    private int size;

    RegionTable(int capacityPow2) {
        keys = new String[capacityPow2];
        vals = new int[capacityPow2];
        mask = capacityPow2 - 1;
        limit = capacityPow2 / 2;
    }

    private static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ h >>> 16;
    }

    /** The slot of the region: its key is there, or null where it would go. */
    private int slot(String s, int from, int to) {
        int len = to - from;
        int i = hash(s, from, to) & mask;
        while (true) {
            String k = keys[i];
            if (k == null || k.length() == len && s.regionMatches(from, k, 0, len)) {
                return i;
            }
            i = i + 1 & mask;
        }
    }

    /** The slot holding the region's key, or -1. */
    int find(String s, int from, int to) {
        int i = slot(s, from, to);
        return keys[i] == null ? -1 : i;
    }

    /** The key in a slot {@link #find} returned. */
    String keyAt(int slot) {
        return keys[slot];
    }

    /** The value in a slot {@link #find} returned. */
    int valueAt(int slot) {
        return vals[slot];
    }

    /** Stores the region's text with a value and returns the key, or a fresh substring if the table is full. */
    String put(String s, int from, int to, int value) {
        int i = slot(s, from, to);
        if (keys[i] != null) {
            vals[i] = value;
            return keys[i];
        }
        String k = s.substring(from, to);
        if (size >= limit) {
            return k;
        }
        keys[i] = k;
        vals[i] = value;
        size++;
        return k;
    }
}

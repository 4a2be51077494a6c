package mm.replay;

import java.util.Arrays;
import java.util.function.LongConsumer;

/** A map from long to long with open addressing and linear probing: the replay's pfn and pointer tables. */
final class LongLongMap {

    static final long EMPTY = Long.MIN_VALUE;
    /** What {@link #get} returns for a key not in the map. */
    static final long MISSING = Long.MIN_VALUE;

    private long[] keys;
    private long[] vals;
    private int size;
    private int mask;

    LongLongMap() {
        keys = new long[1024];
        vals = new long[1024];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
    }

    int size() {
        return size;
    }

    private static int hash(long k) {
        long h = k * 0x9E3779B97F4A7C15L;
        return (int) (h ^ h >>> 32);
    }

    long get(long key) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                return vals[i];
            }
            if (k == EMPTY) {
                return MISSING;
            }
            i = i + 1 & mask;
        }
    }

    /** Puts and returns the previous value, or MISSING. The key must not be {@link #EMPTY}. */
    long put(long key, long val) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == key) {
                long old = vals[i];
                vals[i] = val;
                return old;
            }
            if (k == EMPTY) {
                keys[i] = key;
                vals[i] = val;
                if (++size * 2 > keys.length) {
                    grow();
                }
                return MISSING;
            }
            i = i + 1 & mask;
        }
    }

    /** Removes a key; returns its value, or MISSING. */
    long remove(long key) {
        int i = hash(key) & mask;
        while (true) {
            long k = keys[i];
            if (k == EMPTY) {
                return MISSING;
            }
            if (k == key) {
                break;
            }
            i = i + 1 & mask;
        }
        long old = vals[i];
        // backward-shift deletion
        int hole = i;
        int j = i;
        while (true) {
            j = j + 1 & mask;
            long k = keys[j];
            if (k == EMPTY) {
                break;
            }
            int home = hash(k) & mask;
            boolean movable = hole <= j ? home <= hole || home > j : home <= hole && home > j;
            if (movable) {
                keys[hole] = k;
                vals[hole] = vals[j];
                hole = j;
            }
        }
        keys[hole] = EMPTY;
        size--;
        return old;
    }

    /** Calls {@code f} with every value. */
    void forEachValue(LongConsumer f) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != EMPTY) {
                f.accept(vals[i]);
            }
        }
    }

    private void grow() {
        long[] ok = keys;
        long[] ov = vals;
        keys = new long[ok.length * 2];
        vals = new long[ok.length * 2];
        Arrays.fill(keys, EMPTY);
        mask = keys.length - 1;
        size = 0;
        for (int i = 0; i < ok.length; i++) {
            if (ok[i] != EMPTY) {
                put(ok[i], ov[i]);
            }
        }
    }
}

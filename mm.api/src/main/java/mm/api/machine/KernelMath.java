package mm.api.machine;

/**
 * The kernel's integer helpers that the watermark arithmetic uses, so that the simulator rounds
 * exactly as the kernel does, wherever the arithmetic runs (booting a machine, or inferring a
 * captured machine's sysctls from its watermarks).
 */
public final class KernelMath {

    private KernelMath() {
    }

    /** {@code int_sqrt} (lib/math/int_sqrt.c): the integer square root, rounded down. */
    public static long intSqrt(long x) {
        long r = (long) Math.sqrt((double) x);
        // squares would overflow near Long.MAX_VALUE; compare by division instead
        while (r > 0 && r > x / r) {
            r--;
        }
        while (r + 1 <= x / (r + 1)) {
            r++;
        }
        return r;
    }

    /** {@code mult_frac(x, n, d)} (include/linux/math.h): x * n / d without overflow, as the kernel's macro does it. */
    public static long multFrac(long x, long n, long d) {
        long q = x / d;
        long r = x % d;
        return q * n + r * n / d;
    }
}

package mm.hw.zone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A small reader for the /proc/zoneinfo and /proc/sys/vm captures in {@code kernel-data/}: only
 * the figures the watermark arithmetic produces or consumes. Fields a zone does not print
 * (pagesets and start_pfn of an unpopulated zone) read -1.
 */
final class CapturedZoneinfo {

    /** One {@code Node N, zone NAME} section. */
    static final class Zone {
        final int nid;
        final String name;
        long min = -1;
        long low = -1;
        long high = -1;
        long promo = -1;
        long boost = -1;
        long spanned = -1;
        long present = -1;
        long managed = -1;
        long[] protection;
        long batch = -1;
        long highMin = -1;
        long highMax = -1;
        long statThreshold = -1;
        long startPfn = -1;
        int cpus;

        Zone(int nid, String name) {
            this.nid = nid;
            this.name = name;
        }

        @Override
        public String toString() {
            return "Node " + nid + ", zone " + name;
        }
    }

    private CapturedZoneinfo() {
    }

    static InputStream open(String resource) {
        InputStream in = CapturedZoneinfo.class.getResourceAsStream(resource);
        return Objects.requireNonNull(in, () -> "test resource " + resource + " is missing (module mm.testdata)");
    }

    static List<String> lines(String resource) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(open(resource), StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The zones of a /proc/zoneinfo file, in file order. */
    static List<Zone> parseZoneinfo(String resource) {
        List<Zone> zones = new ArrayList<>();
        Zone z = null;
        for (String raw : lines(resource)) {
            String line = raw.trim();
            if (line.startsWith("Node ")) {
                // "Node 0, zone      DMA"
                String[] parts = line.split("[,\\s]+");
                z = new Zone(Integer.parseInt(parts[1]), parts[3]);
                zones.add(z);
                continue;
            }
            if (z == null || line.isEmpty()) {
                continue;
            }
            if (line.startsWith("protection:")) {
                String inner = line.substring(line.indexOf('(') + 1, line.indexOf(')'));
                z.protection = Arrays.stream(inner.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
                continue;
            }
            if (line.startsWith("vm stats threshold:")) {
                z.statThreshold = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                continue;
            }
            String[] kv = line.split("\\s+");
            if (kv.length != 2) {
                continue;
            }
            long v;
            try {
                v = Long.parseLong(kv[1]);
            } catch (NumberFormatException e) {
                continue;
            }
            switch (kv[0]) {
                case "min" -> z.min = v;
                case "low" -> z.low = v;
                case "high" -> z.high = v;
                case "promo" -> z.promo = v;
                case "boost" -> z.boost = v;
                case "spanned" -> z.spanned = v;
                case "present" -> z.present = v;
                case "managed" -> z.managed = v;
                case "cpu:" -> z.cpus++;
                case "batch:" -> z.batch = checkSame(z, "batch", z.batch, v);
                case "high_min:" -> z.highMin = checkSame(z, "high_min", z.highMin, v);
                case "high_max:" -> z.highMax = checkSame(z, "high_max", z.highMax, v);
                case "start_pfn:" -> z.startPfn = v;
                default -> { }
            }
        }
        return zones;
    }

    /** Every CPU's pageset of a zone has the same batch and high limits; the capture must agree. */
    private static long checkSame(Zone z, String what, long old, long v) {
        if (old != -1 && old != v) {
            throw new IllegalStateException(z + ": CPUs disagree on " + what + " (" + old + " vs " + v + ")");
        }
        return v;
    }

    /** A {@code name=value} file such as proc_sys_vm.txt. */
    static Map<String, String> parseSysctls(String resource) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : lines(resource)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                out.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return out;
    }

    static int[] ints(String value) {
        return Arrays.stream(value.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
    }
}

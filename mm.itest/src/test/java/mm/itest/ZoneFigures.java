package mm.itest;

import java.util.ArrayList;
import java.util.List;

/** The lines of /proc/zoneinfo a machine booted like a real one must reproduce exactly. */
final class ZoneFigures {

    private ZoneFigures() {
    }

    /** Each zone's header, start_pfn, min/low/high/promo, spanned/present/managed and protection lines, in file order. */
    static List<String> of(String zoneinfo) {
        List<String> out = new ArrayList<>();
        for (String line : zoneinfo.split("\n")) {
            if (line.startsWith("Node ") || line.matches(" {8}(min|low|high|promo|spanned|present|managed) +\\d+")
                    || line.startsWith("        protection: (") || line.startsWith("  start_pfn:")) {
                out.add(line);
            }
        }
        return out;
    }
}

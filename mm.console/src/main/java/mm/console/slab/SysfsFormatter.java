package mm.console.slab;

import java.util.Map;
import java.util.TreeMap;

/** {@code mm:sysfs}: the files of /sys/kernel/slab/CACHE/ as {@code grep . *} would show them, or one file. */
public final class SysfsFormatter {

    private SysfsFormatter() {
    }

    /** Every file as {@code file: value}, one a line, sorted by file name. */
    public static String format(Map<String, String> files) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(files).forEach((file, value) -> sb.append(file).append(": ").append(value).append('\n'));
        return sb.toString();
    }

    /** One file's value as {@code cat} prints it (with its newline), or null if the cache has no such file. */
    public static String file(Map<String, String> files, String file) {
        String value = files.get(file);
        return value == null ? null : value + "\n";
    }
}

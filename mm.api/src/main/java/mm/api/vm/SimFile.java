package mm.api.vm;

/**
 * A file that can be mapped and cached: the simulator has no file system, only named files of a
 * size whose pages the page cache holds.
 *
 * @param name the path shown in /proc/PID/maps
 * @param sizePages the size in pages
 */
public record SimFile(String name, long sizePages) {
    /** Validates the file. */
    public SimFile {
        if (name == null || name.isBlank() || sizePages < 0) {
            throw new IllegalArgumentException("a file needs a name and a size of at least 0 pages");
        }
    }
}

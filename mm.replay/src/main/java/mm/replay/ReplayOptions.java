package mm.replay;

/**
 * How a replay runs.
 *
 * @param fragOrder the order of the unusable free space index sampled (9: a pageblock, a huge page)
 * @param sampleEvery events between two samples of the index (it is also taken at the start and the end)
 * @param progressMinBytes traces of at least this many bytes of text print progress every 10 %
 */
public record ReplayOptions(int fragOrder, int sampleEvery, long progressMinBytes) {

    /** Order 9, every 1000 events, progress from 1 MiB of text. */
    public static final ReplayOptions DEFAULT = new ReplayOptions(9, 1000, 1L << 20);

    public ReplayOptions {
        if (fragOrder < 0 || fragOrder > 10) {
            throw new IllegalArgumentException("order " + fragOrder + " is out of range: accepted are 0 to 10");
        }
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("sample interval " + sampleEvery + " is not valid: accepted is 1 or more events");
        }
    }
}

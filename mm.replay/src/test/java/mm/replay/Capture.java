package mm.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real trace of kernel-data/trace (module mm.testdata): `java -version` on Linux 6.18. */
final class Capture {

    static final String RESOURCE = "kernel-data/trace/kmem-sample-java-version.txt";

    private Capture() {
    }

    static byte[] bytes() {
        try (InputStream in = Capture.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new AssertionError(RESOURCE + " is not on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path copyTo(Path dir) throws IOException {
        Path p = dir.resolve("kmem-sample-java-version.txt");
        Files.write(p, bytes());
        return p;
    }
}

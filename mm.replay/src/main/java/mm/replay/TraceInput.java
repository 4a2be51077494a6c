package mm.replay;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tukaani.xz.SeekableFileInputStream;
import org.tukaani.xz.SeekableXZInputStream;
import org.tukaani.xz.XZFormatException;

/**
 * A trace file opened for reading: plain text, or xz-compressed (by its {@code .xz} extension or
 * its magic bytes {@code FD 37 7A 58 5A 00}), with the number of bytes of text it holds (for
 * progress). Bytes are read as ISO-8859-1, so that no byte sequence fails to decode.
 */
public final class TraceInput implements AutoCloseable {

    private static final byte[] XZ_MAGIC = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};

    private final BufferedReader reader;
    private final long textBytes;
    private final boolean compressed;

    private TraceInput(BufferedReader reader, long textBytes, boolean compressed) {
        this.reader = reader;
        this.textBytes = textBytes;
        this.compressed = compressed;
    }

    /**
     * Opens a trace file.
     *
     * @throws IOException if it cannot be read, or is an .xz file that is not valid xz
     */
    public static TraceInput open(Path file) throws IOException {
        boolean xz = file.getFileName() != null && file.getFileName().toString().endsWith(".xz") || hasXzMagic(file);
        if (!xz) {
            long size = Files.size(file);
            return new TraceInput(reader(Files.newInputStream(file)), size, false);
        }
        SeekableFileInputStream raw = new SeekableFileInputStream(file.toFile());
        try {
            SeekableXZInputStream in = new SeekableXZInputStream(raw);
            return new TraceInput(reader(in), in.length(), true);
        } catch (XZFormatException | java.io.EOFException e) {
            raw.close();
            throw new IOException("not an xz file (the name ends in .xz but the content is not xz-compressed)", e);
        } catch (org.tukaani.xz.CorruptedInputException e) {
            raw.close();
            throw new IOException("a corrupt xz file (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** A trace held in memory (tests, benchmarks). */
    public static TraceInput of(byte[] text) {
        return new TraceInput(reader(new java.io.ByteArrayInputStream(text)), text.length, false);
    }

    private static boolean hasXzMagic(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] head = in.readNBytes(XZ_MAGIC.length);
            return java.util.Arrays.equals(head, XZ_MAGIC);
        }
    }

    private static BufferedReader reader(InputStream in) {
        Reader r = new InputStreamReader(in, StandardCharsets.ISO_8859_1);
        return new BufferedReader(r, 1 << 16);
    }

    /** The next line without its end, or null at the end. */
    public String readLine() throws IOException {
        return reader.readLine();
    }

    /** Bytes of text in the trace (uncompressed), for progress. */
    public long textBytes() {
        return textBytes;
    }

    /** True if the file was xz-compressed. */
    public boolean compressed() {
        return compressed;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}

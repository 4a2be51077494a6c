package mm.replay;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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

    private final LineReader reader;
    private final long textBytes;

    private TraceInput(LineReader reader, long textBytes) {
        this.reader = reader;
        this.textBytes = textBytes;
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
            return new TraceInput(reader(Files.newInputStream(file)), size);
        }
        SeekableFileInputStream raw = new SeekableFileInputStream(file.toFile());
        try {
            SeekableXZInputStream in = new SeekableXZInputStream(raw);
            return new TraceInput(reader(in), in.length());
        } catch (XZFormatException | EOFException e) {
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
        return new TraceInput(reader(new ByteArrayInputStream(text)), text.length);
    }

    private static boolean hasXzMagic(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] head = in.readNBytes(XZ_MAGIC.length);
            return Arrays.equals(head, XZ_MAGIC);
        }
    }

    private static LineReader reader(InputStream in) {
        return new LineReader(in);
    }

    /**
     * Lines of bytes as ISO-8859-1 strings, ended by LF (a CR before it is dropped): a String made
     * straight from the bytes, without a charset decoder (twice as fast as a BufferedReader).
     */
    static final class LineReader implements AutoCloseable {
        private static final int MAX_LINE = 1 << 20;
        private final InputStream in;
        private byte[] buf = new byte[1 << 16];
        private int pos;
        private int end;
        private boolean eof;

        LineReader(InputStream in) {
            this.in = in;
        }

        String readLine() throws IOException {
            while (true) {
                for (int i = pos; i < end; i++) {
                    if (buf[i] == '\n') {
                        int len = i > pos && buf[i - 1] == '\r' ? i - 1 - pos : i - pos;
                        String s = new String(buf, pos, len, StandardCharsets.ISO_8859_1);
                        pos = i + 1;
                        return s;
                    }
                }
                if (end - pos >= MAX_LINE) {
                    // no line end in 1 MiB: not a trace line; hand it over as one (unparsed) line
                    String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                    pos = end;
                    return s;
                }
                if (eof) {
                    if (pos < end) {
                        String s = new String(buf, pos, end - pos, StandardCharsets.ISO_8859_1);
                        pos = end;
                        return s;
                    }
                    return null;
                }
                fill();
            }
        }

        private void fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, end - pos);
                end -= pos;
                pos = 0;
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The next line without its end, or null at the end. */
    public String readLine() throws IOException {
        return reader.readLine();
    }

    /** Bytes of text in the trace (uncompressed), for progress. */
    public long textBytes() {
        return textBytes;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}

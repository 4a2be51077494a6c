package mm.itest;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** A Gogo session of the real command processor, as the shell runs commands; what commands print is kept. */
final class Shell implements AutoCloseable {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final CommandSession session;

    Shell(CommandProcessor processor) {
        session = processor.createSession(InputStream.nullInputStream(), new PrintStream(printed, true, StandardCharsets.UTF_8),
                System.err);
        session.put("SCOPE", "mm:gogo:*");
    }

    /** Runs a command: its result as the shell prints it, or null. */
    String run(String command) throws Exception {
        Object result = session.execute(command);
        return result == null ? null : session.format(result, Converter.INSPECT).toString();
    }

    /** Runs a command that must fail: the line the shell shows for it. */
    String error(String command) {
        try {
            Object result = session.execute(command);
            throw new AssertionError(command + " succeeded: " + result);
        } catch (AssertionError e) {
            throw e;
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** What commands printed on their own (not their results), since the last call. */
    String printed() {
        String s = printed.toString(StandardCharsets.UTF_8);
        printed.reset();
        return s;
    }

    @Override
    public void close() {
        session.close();
    }
}

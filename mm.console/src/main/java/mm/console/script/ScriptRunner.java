package mm.console.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import mm.console.commands.BootCommand;
import mm.console.commands.CommandAliases;
import mm.console.commands.CommandError;
import mm.console.commands.CompactCommand;
import mm.console.commands.FrameCommands;
import mm.console.commands.ImplCommands;
import mm.console.commands.MachineCommands;
import mm.console.commands.ProcCommands;
import mm.console.commands.ReplayCommand;
import mm.console.commands.SlabCommands;
import mm.console.commands.SysctlCommand;
import mm.console.commands.TckCommand;
import mm.console.commands.TraceCommand;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs a Gogo program statement by statement through the real command processor, for
 * {@code ./mm -c} and {@code ./mm SCRIPT}: results are printed as the interactive shell prints
 * them; the first failing statement stops the run with one line naming it (and its line) and
 * what went wrong.
 *
 * <p>Its registration also tells the launcher that the console is up: it needs the command
 * processor, every command component (one {@code @Reference} field each; ScriptRunnerTest
 * checks that none is missing) and the aliases.
 */
@Component(service = ScriptRunner.class)
public class ScriptRunner {

    @Reference
    CommandProcessor processor;
    @Reference
    ProcCommands procCommands;
    @Reference
    FrameCommands frameCommands;
    @Reference
    MachineCommands machineCommands;
    @Reference
    SysctlCommand sysctlCommand;
    @Reference
    ImplCommands implCommands;
    @Reference
    TckCommand tckCommand;
    @Reference
    SlabCommands slabCommands;
    @Reference
    ReplayCommand replayCommand;
    @Reference
    TraceCommand traceCommand;
    @Reference
    BootCommand bootCommand;
    @Reference
    CompactCommand compactCommand;
    @Reference
    CommandAliases commandAliases;

    /**
     * Runs a program.
     *
     * @param program the commands
     * @param origin where they come from: a script's file name, or {@code -c}
     * @param lines true to name failures by line ({@code tour.gogo:3}), false for {@code -c}
     * @param args the script's arguments, $1 .. $9
     * @return 0, or 1 when a statement failed
     */
    public int run(String program, String origin, boolean lines, List<String> args, PrintStream out, PrintStream err) {
        List<Statements.Statement> statements;
        try {
            statements = Statements.split(program);
        } catch (IllegalArgumentException e) {
            err.println("mm: " + origin + ": " + e.getMessage());
            return 1;
        }
        CommandSession session = processor.createSession(InputStream.nullInputStream(), out, err);
        try {
            session.put("SCOPE", "mm:gogo:*");
            session.put("args", args);
            for (int i = 0; i < args.size() && i < 9; i++) {
                session.put(Integer.toString(i + 1), args.get(i));
            }
            for (Statements.Statement st : statements) {
                Object result;
                try {
                    result = session.execute(st.text());
                } catch (Exception e) {
                    String where = lines ? origin + ":" + st.line() : origin;
                    err.println("mm: " + where + ": " + st.text() + ": " + describe(e, st.text()));
                    return 1;
                }
                if (result != null) {
                    out.println(session.format(result, Converter.INSPECT));
                }
            }
            return 0;
        } finally {
            out.flush();
            session.close();
        }
    }

    private static final String NO_MATCHES = "no matches found: ";

    /** One line for what went wrong; the exception's class only for what looks like a bug. */
    static String describe(Exception e, String statement) {
        if (e instanceof CommandError) {
            return e.getMessage();
        }
        if ("CommandNotFoundException".equals(e.getClass().getSimpleName())) {
            return "command not found ('help' lists the commands)";
        }
        if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getMessage().startsWith("Cannot coerce")) {
            String command = statement.strip().split("\\s+")[0];
            String target = CommandAliases.target(command);
            if (target != null) {
                // help knows an alias only by the command it stands for
                return "wrong arguments: " + command + " is " + target + ": 'help " + target + "' shows what it takes";
            }
            return "wrong arguments: 'help " + command + "' shows what " + command + " takes";
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().startsWith(NO_MATCHES)) {
            // Gogo expands an unquoted * or ? as a file name pattern, and fails when no file matches
            String pattern = e.getMessage().substring(NO_MATCHES.length());
            return "no file matches " + pattern + ": Gogo takes an unquoted * or ? as a file name pattern; quote it: '"
                    + pattern + "'";
        }
        if ((e instanceof IllegalArgumentException || e instanceof IllegalStateException) && e.getMessage() != null) {
            return e.getMessage();
        }
        return "internal error: " + e;
    }
}

package mm.console.commands;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import mm.api.machine.Machine;
import mm.api.trace.TraceRecord;
import mm.api.trace.Tracer;
import mm.console.trace.TraceFormatter;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code mm:trace}: the machine's /sys/kernel/tracing. Subcommands as arguments (Gogo cannot call
 * hyphenated names): {@code on [EVENTS...]} and {@code off [EVENTS...]} select events as
 * {@code set_event} does ({@code kmem:mm_page_alloc}, {@code kmem:*}, {@code *:*},
 * {@code mm_page_alloc}; none: every event), {@code events} lists them ({@code *} marks the enabled
 * ones), {@code show} prints the trace file, {@code save FILE} writes it, {@code clear} empties
 * the buffer.
 */
@Component(service = TraceCommand.class, property = {"osgi.command.scope=mm", "osgi.command.function=trace"})
public class TraceCommand {

    static final String USAGE = "accepted are: on [EVENTS...], off [EVENTS...], events, show, save FILE, clear";

    @Reference
    volatile Machine machine;

    @Descriptor("list the trace events, * before the enabled ones (available_events)")
    public String trace() {
        return trace(new String[] {"events"});
    }

    @Descriptor("kernel tracepoints: on [EVENTS...] | off [EVENTS...] | events | show | save FILE | clear; "
            + "EVENTS like set_event: kmem:mm_page_alloc, kmem:*, *:*, mm_page_alloc (none: all)")
    public String trace(@Descriptor("the subcommand and its arguments") String... args) {
        if (args == null || args.length == 0) {
            return trace();
        }
        String sub = args[0];
        switch (sub) {
            case "on":
            case "off":
                return enable(sub.equals("on"), args);
            case "events":
                noMore(args, 1);
                return Args.view(TraceFormatter.events(tracer().events(), e -> isEnabled(e)));
            case "show":
                noMore(args, 1);
                return Args.view(text());
            case "save":
                return save(args);
            case "clear":
                noMore(args, 1);
                tracer().clear();
                return "trace buffer cleared";
            default:
                throw new CommandError("unknown subcommand '" + sub + "': " + USAGE);
        }
    }

    /** The machine's tracer: it follows the machine through a reboot. */
    private Tracer tracer() {
        Tracer t = machine.tracer();
        return t == null ? Tracer.none() : t;
    }

    private boolean isEnabled(String systemEvent) {
        int c = systemEvent.indexOf(':');
        return tracer().tracepoint(systemEvent.substring(0, c), systemEvent.substring(c + 1)).enabled();
    }

    /** Each event once, however many patterns select it; a pattern that matches none is refused before anything changes. */
    private String enable(boolean on, String[] args) {
        Tracer t = tracer();
        Set<String> events = new LinkedHashSet<>();
        if (args.length == 1) {
            events.addAll(t.matching("*:*"));
        }
        for (int i = 1; i < args.length; i++) {
            events.addAll(matching(t, args[i]));
        }
        for (String e : events) {
            t.setEnabled(e, on);
        }
        int n = events.size();
        return n + (n == 1 ? " event " : " events ") + (on ? "enabled" : "disabled");
    }

    private static List<String> matching(Tracer t, String pattern) {
        if (pattern.isBlank() || pattern.chars().filter(ch -> ch == ':').count() > 1
                || !pattern.matches("[A-Za-z0-9_*:]+")) {
            throw new CommandError("bad event '" + pattern + "': accepted are system:event, system:*, *:* or an event name ("
                    + "mm:trace events lists them)");
        }
        List<String> found = t.matching(pattern);
        if (found.isEmpty()) {
            throw new CommandError("no event matches '" + pattern + "': accepted are " + String.join(", ", t.events())
                    + ", with * as a wildcard");
        }
        return found;
    }

    private String save(String[] args) {
        if (args.length != 2 || args[1].isBlank()) {
            throw new CommandError(args.length < 2 ? "no file given: mm:trace save FILE" : "too many arguments: mm:trace save FILE");
        }
        Path p = Paths.get(args[1]);
        if (Files.isDirectory(p)) {
            throw new CommandError("'" + args[1] + "' is a directory: mm:trace save FILE writes a file");
        }
        List<TraceRecord> records = tracer().records();
        String text = TraceFormatter.trace(records, tracer().entriesWritten(), machine.cpuCount());
        try {
            Files.writeString(p, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CommandError("cannot write '" + args[1] + "': " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        return records.size() + (records.size() == 1 ? " record" : " records") + " written to " + p;
    }

    private String text() {
        return TraceFormatter.trace(tracer().records(), tracer().entriesWritten(), machine.cpuCount());
    }

    private static void noMore(String[] args, int n) {
        if (args.length > n) {
            throw new CommandError("mm:trace " + args[0] + " takes no argument, given '" + args[n] + "': " + USAGE);
        }
    }
}

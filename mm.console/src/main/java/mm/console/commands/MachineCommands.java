package mm.console.commands;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.subsystem.Switchboard;
import mm.console.proc.MachineFormatter;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/** {@code mm:machine}, {@code mm:banner} and {@code mm:check}: what the machine is, and whether it is sound. */
@Component(service = MachineCommands.class, property = {
    "osgi.command.scope=mm", "osgi.command.function=machine", "osgi.command.function=banner", "osgi.command.function=check"})
public class MachineCommands extends AllocatorCommands {

    public MachineCommands() {
        super("check");
    }

    @Descriptor("describe the simulated machine: architecture, RAM, CPUs, nodes and zones, active implementations")
    public String machine() {
        return Args.view(MachineFormatter.format(machine, frames.implName()));
    }

    @Descriptor("print the welcome lines: the machine in one line, and commands to try")
    public String banner() {
        return "mm-platform: " + machine.config().summary() + ", frame allocator " + frames.implName() + "\n"
                + "Try: mm:meminfo   mm:buddyinfo   mm:alloc 3   (help mm:alloc explains a command; Ctrl-D or exit leaves)";
    }

    @Descriptor("check that the frame table, the zone counters and the allocator's free lists agree; print ok or each broken invariant")
    public String check() {
        FrameAllocator fa = frames;
        Switchboard sb = switchboard;
        List<String> problems = callActive("check", ActiveCall.SCAN_MS, FrameAllocator::check);
        if (problems.isEmpty()) {
            return "ok";
        }
        String report = problems.size() + (problems.size() == 1 ? " broken invariant:\n" : " broken invariants:\n")
                + String.join("\n", problems);
        if (sb != null && !fa.implName().equals(sb.reference(FrameAllocator.CONTRACT))) {
            report += "\n" + sb.fail(FrameAllocator.CONTRACT, "mm:check found " + problems.size() + " broken invariant"
                    + (problems.size() == 1 ? "" : "s") + ", the first: " + problems.get(0));
        }
        throw new CommandError(report);
    }
}

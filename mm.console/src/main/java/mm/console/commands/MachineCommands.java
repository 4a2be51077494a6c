package mm.console.commands;

import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.console.proc.MachineFormatter;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** {@code mm:machine}, {@code mm:banner} and {@code mm:check}: what the machine is, and whether it is sound. */
@Component(service = MachineCommands.class, property = {
    "osgi.command.scope=mm", "osgi.command.function=machine", "osgi.command.function=banner", "osgi.command.function=check"})
public class MachineCommands {

    @Reference
    volatile Machine machine;

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile FrameAllocator frames;

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
        List<String> problems = frames.check();
        if (problems.isEmpty()) {
            return "ok";
        }
        throw new CommandError(problems.size() + (problems.size() == 1 ? " broken invariant:\n" : " broken invariants:\n")
                + String.join("\n", problems));
    }
}

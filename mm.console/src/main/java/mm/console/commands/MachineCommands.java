package mm.console.commands;

import java.util.ArrayList;
import java.util.List;
import mm.api.frame.FrameAllocator;
import mm.api.slab.ObjectCache;
import mm.api.subsystem.Switchboard;
import mm.console.proc.MachineFormatter;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

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

    /** The active object cache, if one is. */
    @Reference(target = "(" + Switchboard.PROP_ACTIVE + "=true)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ObjectCache slab;

    @Descriptor("check that the frame table, the zone counters, the allocator's free lists and the object caches' slabs agree; "
            + "print ok or each broken invariant; an implementation other than the reference that broke one is deactivated "
            + "and the reference takes over the machine")
    public String check() {
        FrameAllocator fa = frames;
        List<String> problems = new ArrayList<>(callActive("check", ActiveCall.SCAN_MS, FrameAllocator::check));
        int framePart = problems.size();
        ObjectCache oc = slab;
        if (oc != null) {
            problems.addAll(callActive(ObjectCache.CONTRACT, oc, "check", ActiveCall.SCAN_MS, ObjectCache::check));
        }
        if (problems.isEmpty()) {
            return "ok";
        }
        String report = problems.size() + (problems.size() == 1 ? " broken invariant:\n" : " broken invariants:\n")
                + String.join("\n", problems);
        Switchboard sb = switchboard;
        if (sb != null && framePart > 0 && !fa.implName().equals(sb.reference(FrameAllocator.CONTRACT))) {
            report += "\n" + sb.fail(FrameAllocator.CONTRACT, failure(framePart, problems.get(0)));
        }
        if (sb != null && oc != null && problems.size() > framePart && !oc.implName().equals(sb.reference(ObjectCache.CONTRACT))) {
            report += "\n" + sb.fail(ObjectCache.CONTRACT, failure(problems.size() - framePart, problems.get(framePart)));
        }
        throw new CommandError(report);
    }

    private static String failure(int n, String first) {
        return "mm:check found " + n + " broken invariant" + (n == 1 ? "" : "s") + ", the first: " + first;
    }
}

package mm.console.commands;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.MachineFactory;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import mm.tck.ConformanceReport;
import mm.tck.FrameAllocatorConformance;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code mm:tck CONTRACT IMPL}: grades an installed implementation with the conformance kit
 * ({@code mm.tck}), on fresh machines of its own: the running machine is not touched. Each check
 * prints {@code PASS name} or {@code FAIL name: reason} as it ends, then the score.
 */
@Component(service = TckCommand.class, property = {"osgi.command.scope=mm", "osgi.command.function=tck"})
public class TckCommand {

    /** The contracts the kit has a suite for. */
    static final List<String> SUITES = List.of(FrameAllocator.CONTRACT);

    @Reference
    volatile MachineFactory machines;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Switchboard switchboard;

    private final List<Map.Entry<String, FrameAllocatorFactory>> factories = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addFactory(FrameAllocatorFactory f, Map<String, Object> props) {
        factories.add(Map.entry(String.valueOf(props.get(Subsystem.PROP_IMPL)), f));
    }

    void removeFactory(FrameAllocatorFactory f) {
        factories.removeIf(e -> e.getValue() == f);
    }

    @Descriptor("grade an installed implementation with the conformance kit, on fresh machines (the running one is not "
            + "touched): each check's PASS or FAIL with the reason, then the score")
    public String tck(
            @Descriptor("the contract: FrameAllocator (the contracts with a suite)") String contract,
            @Descriptor("the implementation's name, as mm:impls lists it") String impl) {
        if (!SUITES.contains(contract)) {
            throw new CommandError(Switchboard.CONTRACTS.contains(contract)
                    ? "there is no conformance suite for " + contract + " yet: accepted is " + String.join(", ", SUITES)
                    : "unknown contract '" + contract + "': the contracts with a suite are " + String.join(", ", SUITES));
        }
        FrameAllocatorFactory factory = factory(impl);
        if (factory == null) {
            throw new CommandError(missing(impl));
        }
        FrameAllocatorFactory reference = impl.equals(referenceName()) ? null : factory(referenceName());
        FrameAllocatorConformance suite = new FrameAllocatorConformance(machines, factory, reference);
        ConformanceReport report = suite.run(r -> System.out.println(r.format()));
        String score = report.format().substring(report.format().lastIndexOf('\n') + 1);
        if (report.failedCount() > 0) {
            System.out.println(score);
            throw new CommandError(contract + " '" + impl + "' failed " + report.failedCount() + " of " + report.total()
                    + " checks (the FAIL lines above say why)");
        }
        return score;
    }

    private FrameAllocatorFactory factory(String impl) {
        for (Map.Entry<String, FrameAllocatorFactory> e : factories) {
            if (e.getKey().equals(impl)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** The reference implementation's name, to grade hand-overs to and from it. */
    private String referenceName() {
        Switchboard sb = switchboard;
        String name = sb == null ? null : sb.reference(FrameAllocator.CONTRACT);
        return name == null ? "buddy" : name;
    }

    private String missing(String impl) {
        Switchboard sb = switchboard;
        if (sb != null && sb.candidates().stream().anyMatch(c -> c.contract().equals(FrameAllocator.CONTRACT) && c.impl().equals(impl))) {
            return "'" + impl + "' registers no FrameAllocatorFactory: the kit grades an implementation through its factory, "
                    + "with the same mm.contract and mm.impl properties (see docs/student-guide.md)";
        }
        List<String> names = factories.stream().map(Map.Entry::getKey).sorted().toList();
        return "no FrameAllocator implementation named '" + impl + "' has a factory: graded can be " + String.join(", ", names);
    }
}

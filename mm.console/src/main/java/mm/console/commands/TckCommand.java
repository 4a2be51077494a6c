package mm.console.commands;

import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.api.subsystem.Switchboard;
import mm.tck.ConformanceReport;
import mm.tck.ConformanceSuite;
import mm.tck.FrameAllocatorConformance;
import mm.tck.ObjectCacheConformance;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/**
 * {@code mm:tck CONTRACT IMPL}: grades an installed implementation with the conformance kit
 * ({@code mm.tck}), on fresh machines of its own: the running machine is not touched. Each check
 * prints {@code PASS name} or {@code FAIL name: reason} as it ends, then the score. An object cache
 * is graded on fresh instances of the reference frame allocator (the buddy allocator's factory).
 */
@Component(service = TckCommand.class, property = {"osgi.command.scope=mm", "osgi.command.function=tck"})
public class TckCommand extends FactoryCommands {

    /** The contracts the kit has a suite for. */
    static final List<String> SUITES = List.of(FrameAllocator.CONTRACT, ObjectCache.CONTRACT);

    /** The frame allocator put under graded object caches when the switchboard names no reference. */
    static final String DEFAULT_FRAME_REFERENCE = "buddy";

    @Descriptor("grade an installed implementation with the conformance kit, on fresh machines (the running one is not "
            + "touched): each check's PASS or FAIL with the reason, then the score")
    public String tck(
            @Descriptor("the contract: FrameAllocator or ObjectCache (the contracts with a suite)") String contract,
            @Descriptor("the implementation's name, as mm:impls lists it") String impl) {
        ConformanceSuite suite = suite(contract, impl);
        ConformanceReport report = suite.run(r -> System.out.println(r.format()));
        String score = report.scoreLine();
        if (report.failedCount() > 0) {
            System.out.println(score);
            throw new CommandError(contract + " '" + impl + "' failed " + report.failedCount() + " of " + report.total()
                    + " checks (the FAIL lines above say why)");
        }
        return score;
    }

    /** The suite grading {@code impl} of {@code contract}, or a one-line error. */
    ConformanceSuite suite(String contract, String impl) {
        if (!SUITES.contains(contract)) {
            throw new CommandError(Switchboard.CONTRACTS.contains(contract)
                    ? "there is no conformance suite for " + contract + " yet: accepted are " + String.join(", ", SUITES)
                    : "unknown contract '" + contract + "': the contracts with a suite are " + String.join(", ", SUITES));
        }
        if (contract.equals(FrameAllocator.CONTRACT)) {
            FrameAllocatorFactory factory = find(factories, impl);
            if (factory == null) {
                throw new CommandError(missing(contract, impl, factories, "FrameAllocatorFactory"));
            }
            String ref = referenceName(FrameAllocator.CONTRACT, DEFAULT_FRAME_REFERENCE);
            FrameAllocatorFactory reference = impl.equals(ref) ? null : find(factories, ref);
            return new FrameAllocatorConformance(machines, factory, reference);
        }
        ObjectCacheFactory factory = find(cacheFactories, impl);
        if (factory == null) {
            throw new CommandError(missing(contract, impl, cacheFactories, "ObjectCacheFactory"));
        }
        FrameAllocatorFactory frames = frameAllocatorFactory();
        String ref = referenceName(ObjectCache.CONTRACT, null);
        ObjectCacheFactory reference = ref == null || impl.equals(ref) ? null : find(cacheFactories, ref);
        return new ObjectCacheConformance(machines, factory, frames, reference);
    }

    /**
     * The page allocator under the object caches graded: the reference frame allocator's factory
     * (the buddy allocator's), else the active one's, else any.
     */
    private FrameAllocatorFactory frameAllocatorFactory() {
        FrameAllocatorFactory f = firstOf(factories, referenceName(FrameAllocator.CONTRACT, DEFAULT_FRAME_REFERENCE),
                active(FrameAllocator.CONTRACT));
        if (f == null) {
            throw new CommandError("no FrameAllocatorFactory is installed to put a page allocator under the object caches "
                    + "graded: install mm.buddy");
        }
        return f;
    }

    /** The reference implementation's name of a contract, to grade hand-overs to and from it. */
    private String referenceName(String contract, String otherwise) {
        Switchboard sb = switchboard;
        String name = sb == null ? null : sb.reference(contract);
        return name == null ? otherwise : name;
    }

    private <F> String missing(String contract, String impl, List<Map.Entry<String, F>> list, String factoryType) {
        Switchboard sb = switchboard;
        if (sb != null && sb.candidates().stream().anyMatch(c -> c.contract().equals(contract) && c.impl().equals(impl))) {
            return "'" + impl + "' registers no " + factoryType + ": the kit grades an implementation through its factory, "
                    + "with the same mm.contract and mm.impl properties (see docs/student-guide.md)";
        }
        return "no " + contract + " implementation named '" + impl + "' has a factory: graded can be "
                + listed(list, "none (no " + factoryType + " is installed)");
    }
}

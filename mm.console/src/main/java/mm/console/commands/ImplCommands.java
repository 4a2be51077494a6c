package mm.console.commands;

import java.util.ArrayList;
import java.util.List;
import mm.api.subsystem.Switchboard;
import mm.console.swap.ImplsFormatter;
import mm.console.swap.SwapFormatter;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code mm:impls} and {@code mm:use}: which implementation of each contract is installed and
 * active, and the live swap from one to another (through the {@link Switchboard}).
 */
@Component(service = ImplCommands.class, property = {
    "osgi.command.scope=mm", "osgi.command.function=impls", "osgi.command.function=use"})
public class ImplCommands {

    @Reference
    volatile Switchboard switchboard;

    @Descriptor("list every contract's installed implementations (bundle, version, state; * marks the active one), "
            + "and the jars of load/ that did not become one")
    public String impls() {
        Switchboard sb = switchboard;
        return Args.view(ImplsFormatter.format(sb.candidates(), sb.problems()));
    }

    @Descriptor("make IMPL the active implementation of CONTRACT, live: the active one hands the machine over "
            + "(e.g. mm:use FrameAllocator bitmap)")
    public String use(
            @Descriptor("also print how long callers were held during the hand-over")
            @Parameter(names = {"-t", "--time"}, presentValue = "true", absentValue = "false") boolean time,
            @Descriptor("the contract: FrameAllocator, ObjectCache, PageTable, Reclaimer or MemCgroup") String contract,
            @Descriptor("the implementation's name, as mm:impls lists it") String impl) {
        try {
            return SwapFormatter.format(switchboard.use(contract, impl), time);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CommandError(e.getMessage());
        }
    }

    @Descriptor("make IMPL the active implementation of the one contract it implements (e.g. mm:use bitmap)")
    public String use(
            @Descriptor("also print how long callers were held during the hand-over")
            @Parameter(names = {"-t", "--time"}, presentValue = "true", absentValue = "false") boolean time,
            @Descriptor("the implementation's name, as mm:impls lists it") String impl) {
        return use(time, contractOf(impl), impl);
    }

    private String contractOf(String impl) {
        List<String> contracts = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (Switchboard.Candidate c : switchboard.candidates()) {
            all.add(c.impl());
            if (c.impl().equals(impl)) {
                contracts.add(c.contract());
            }
        }
        if (contracts.size() == 1) {
            return contracts.get(0);
        }
        if (contracts.isEmpty()) {
            throw new CommandError("no implementation named '" + impl + "': installed are " + String.join(", ", all)
                    + " (mm:impls lists them)");
        }
        throw new CommandError("'" + impl + "' implements " + String.join(" and ", contracts)
                + ": name the contract, e.g. mm:use " + contracts.get(0) + " " + impl);
    }
}

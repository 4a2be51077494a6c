package mm.console.commands;

import java.io.IOException;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import mm.console.proc.MachineFormatter;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code mm:boot}: reboots the simulated machine, live, by writing its configuration
 * {@code mm.machine} ({@link BootRequest} says what is written): Declarative Services takes the old
 * machine away with every component bound to it, and brings a new machine and new instances of
 * them. The switchboard keeps its choice of implementations; the allocations are gone, as after
 * any reboot.
 *
 * <p>This command holds no reference to the machine (it would go away in the middle of its own
 * call): it finds the machines and the active implementations in the service registry.
 */
@Component(service = BootCommand.class, property = {"osgi.command.scope=mm", "osgi.command.function=boot"})
public class BootCommand {

    /** How long the new machine and its active implementations may take to come up. */
    static final long BOOT_MS = 10_000;
    /** The machine component's configuration PID. */
    static final String MACHINE_PID = "mm.machine";
    /** The component that is up once every command is (see ScriptRunner): the console is back. */
    static final String SCRIPT_RUNNER = "mm.console.script.ScriptRunner";

    @Reference
    ConfigurationAdmin cm;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Switchboard switchboard;

    private BundleContext ctx;

    @Activate
    void activate(BundleContext context) {
        this.ctx = context;
    }

    @Descriptor("reboot the simulated machine: with no option the same shape again; --like DIR a machine like a real one; "
            + "--mem, --arch, --nodes a new shape (defaults for the rest); --cpus the CPU count. Every allocation is lost, "
            + "as in any reboot; the active implementations (mm:use) stay the chosen ones")
    public String boot(
            @Descriptor("a directory holding a copy of a real machine's /proc/zoneinfo (and, if there, meminfo and "
                    + "/proc/sys/vm values): boot a machine with its nodes, zones, managed pages and vm sysctls")
            @Parameter(names = {"--like"}, absentValue = "") String like,
            @Descriptor("RAM: 128M to 1T, e.g. 512M, 4G")
            @Parameter(names = {"--mem"}, absentValue = "") String mem,
            @Descriptor("the CPU count, 1 to 256")
            @Parameter(names = {"--cpus"}, absentValue = "") String cpus,
            @Descriptor("the NUMA node count, 1 to 8")
            @Parameter(names = {"--nodes"}, absentValue = "") String nodes,
            @Descriptor("the architecture: x86_64 or arm64")
            @Parameter(names = {"--arch"}, absentValue = "") String arch) {
        BootRequest request = BootRequest.of(like, mem, cpus, nodes, arch);
        long oldMachine = machineId();
        Map<String, String> activeBefore = activeImplementations();
        Configuration config;
        Dictionary<String, Object> previous;
        try {
            config = cm.getConfiguration(MACHINE_PID, "?");
            previous = config.getProperties();
            Hashtable<String, Object> next = new Hashtable<>(request.properties(asMap(previous)));
            // the shape lasts for this run of the framework: the next ./mm boots what its options say
            next.put("run", ctx.getProperty(Constants.FRAMEWORK_UUID));
            config.update(next);
        } catch (IOException | RuntimeException e) {
            throw new CommandError("the machine's configuration " + MACHINE_PID + " could not be written: " + e.getMessage());
        }
        long deadline = System.currentTimeMillis() + BOOT_MS;
        if (!await(deadline, () -> machineId() != oldMachine && machineId() != NONE)) {
            throw new CommandError("no machine booted within " + BOOT_MS / 1000 + " s with " + describe(request)
                    + restore(config, previous, oldMachine));
        }
        await(deadline, () -> activeBefore.entrySet().stream().allMatch(e -> e.getValue().equals(activeImpl(e.getKey())))
                && registered(SCRIPT_RUNNER));
        StringBuilder out = new StringBuilder();
        ServiceReference<Machine> ref = ctx.getServiceReference(Machine.class);
        Machine machine = ref == null ? null : ctx.getService(ref);
        if (machine == null) {
            throw new CommandError("the new machine went away again: see mm:machine");
        }
        try {
            out.append("rebooted: ").append(machine.config().summary())
                    .append(machine.like() != null ? ", like " + machine.like().dir() : "")
                    .append("; every allocation of the old machine is gone\n");
            for (Map.Entry<String, String> e : activeBefore.entrySet()) {
                String now = activeImpl(e.getKey());
                if (!e.getValue().equals(now)) {
                    out.append(e.getKey()).append(": ").append(e.getValue()).append(" did not come back within ")
                            .append(BOOT_MS / 1000).append(" s; ").append(now == null ? "none" : now).append(" is active\n");
                }
            }
            String frames = activeImpl(FrameAllocator.CONTRACT);
            out.append(MachineFormatter.format(machine, frames == null ? "none" : frames));
        } finally {
            ctx.ungetService(ref);
        }
        return Args.view(out.toString());
    }

    private static final long NONE = -1;

    /** The service id of the registered machine, or {@link #NONE}. */
    private long machineId() {
        ServiceReference<Machine> ref = ctx.getServiceReference(Machine.class);
        return ref == null ? NONE : (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    /** Each contract's active implementation, as the switchboard says now. */
    private Map<String, String> activeImplementations() {
        Map<String, String> m = new LinkedHashMap<>();
        Switchboard sb = switchboard;
        if (sb != null) {
            for (String contract : Switchboard.CONTRACTS) {
                String impl = sb.active(contract);
                if (impl != null) {
                    m.put(contract, impl);
                }
            }
        }
        return m;
    }

    /** The implementation registered as the active one of a contract ({@code mm.active=true}), or null. */
    private String activeImpl(String contract) {
        try {
            ServiceReference<?>[] refs = ctx.getServiceReferences((String) null, "(&(" + Switchboard.PROP_ACTIVE + "=true)("
                    + Subsystem.PROP_CONTRACT + "=" + contract + "))");
            return refs == null || refs.length == 0 ? null : String.valueOf(refs[0].getProperty(Subsystem.PROP_IMPL));
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean registered(String clazz) {
        return ctx.getServiceReference(clazz) != null;
    }

    /** Polls until the condition holds or the deadline passes; true if it holds. */
    private static boolean await(long deadline, BooleanSupplier condition) {
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommandError("mm:boot was interrupted while the machine booted");
            }
        }
        return true;
    }

    /** Puts the previous configuration back after a boot that failed; what happened, for the message. */
    private String restore(Configuration config, Dictionary<String, Object> previous, long oldMachine) {
        try {
            if (previous == null) {
                config.delete();
            } else {
                Map<String, Object> back = new HashMap<>(asMap(previous));
                back.remove(Constants.SERVICE_PID);
                back.put(BootRequest.GENERATION, Long.parseLong(String.valueOf(back.getOrDefault(BootRequest.GENERATION, "0"))) + 2);
                config.update(new Hashtable<>(back));
            }
        } catch (IOException | RuntimeException e) {
            return "; the previous configuration could not be restored: " + e.getMessage();
        }
        boolean back = await(System.currentTimeMillis() + BOOT_MS, () -> machineId() != NONE);
        return back ? "; the previous configuration is restored and its machine booted again (mm:machine)"
                : "; the previous configuration is restored, but no machine booted with it either";
    }

    private static String describe(BootRequest request) {
        Map<String, Object> p = request.properties(null);
        p.remove(BootRequest.GENERATION);
        return p.isEmpty() ? "the same shape" : p.toString();
    }

    private static Map<String, Object> asMap(Dictionary<String, Object> d) {
        if (d == null) {
            return null;
        }
        Map<String, Object> m = new HashMap<>();
        for (var keys = d.keys(); keys.hasMoreElements();) {
            String k = keys.nextElement();
            m.put(k, d.get(k));
        }
        return m;
    }
}

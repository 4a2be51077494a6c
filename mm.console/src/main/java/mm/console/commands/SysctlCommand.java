package mm.console.commands;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import mm.api.sysctl.Sysctl;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code mm:sysctl}: reads and writes the tunables of /proc/sys/vm as {@code sysctl(8)} does. Each
 * subsystem registers its own {@link Sysctl} services; this command finds them by name.
 */
@Component(service = SysctlCommand.class, property = {"osgi.command.scope=mm", "osgi.command.function=sysctl"})
public class SysctlCommand {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    final List<Sysctl> sysctls = new CopyOnWriteArrayList<>();

    @Descriptor("list every tunable with its value, like sysctl -a")
    public String sysctl() {
        StringBuilder sb = new StringBuilder();
        for (Sysctl s : byName().values()) {
            sb.append(line(s)).append('\n');
        }
        return Args.view(sb.toString());
    }

    @Descriptor("read a tunable (NAME), or write one (NAME=VALUE) and print its new value")
    public String sysctl(@Descriptor("vm.min_free_kbytes, vm.watermark_scale_factor, vm.lowmem_reserve_ratio...; "
            + "NAME=VALUE writes (quote values with spaces: \"vm.lowmem_reserve_ratio=256 256 32 0 0\")") String assignment) {
        int eq = assignment.indexOf('=');
        String name = (eq < 0 ? assignment : assignment.substring(0, eq)).trim();
        Sysctl s = find(name);
        if (eq >= 0) {
            try {
                s.write(assignment.substring(eq + 1));
            } catch (IllegalArgumentException e) {
                throw new CommandError(e.getMessage());
            }
        }
        return line(s);
    }

    @Descriptor("write a tunable: NAME VALUE")
    public String sysctl(@Descriptor("the tunable's name") String name, @Descriptor("the new value") String value) {
        return sysctl(name + "=" + value);
    }

    private static String line(Sysctl s) {
        return s.name() + " = " + s.read();
    }

    private Map<String, Sysctl> byName() {
        Map<String, Sysctl> m = new TreeMap<>();
        for (Sysctl s : sysctls) {
            m.put(s.name(), s);
        }
        return m;
    }

    /** By full name, or by the last part when it is unique ({@code min_free_kbytes}). */
    private Sysctl find(String name) {
        Map<String, Sysctl> all = byName();
        Sysctl exact = all.get(name);
        if (exact != null) {
            return exact;
        }
        List<Sysctl> suffix = new ArrayList<>();
        for (Sysctl s : all.values()) {
            if (s.name().endsWith("." + name)) {
                suffix.add(s);
            }
        }
        if (suffix.size() == 1) {
            return suffix.get(0);
        }
        throw new CommandError("unknown sysctl '" + name + "': accepted are " + String.join(", ", all.keySet()));
    }
}

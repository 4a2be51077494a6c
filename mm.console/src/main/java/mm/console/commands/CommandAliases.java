package mm.console.commands;

import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * Short names with hyphens for commands named after kernel functions: {@code mm:cache-create} is
 * {@code mm:kmem_cache_create}. Gogo calls a command by its method's name, which cannot hold a
 * hyphen, but it calls a registered {@link Function} by any name: each alias is one, passing its
 * arguments, as they are (numbers, addresses, objects), to the command it stands for. The component
 * is a service only so that ScriptRunner, the sign that the console is up, can wait for the aliases.
 */
@Component(service = CommandAliases.class, immediate = true)
public class CommandAliases {

    /** Alias to command, both in scope {@code mm}. */
    static final Map<String, String> ALIASES = Map.of(
            "cache-create", "kmem_cache_create",
            "cache-alloc", "kmem_cache_alloc",
            "cache-free", "kmem_cache_free",
            "cache-shrink", "kmem_cache_shrink",
            "cache-destroy", "kmem_cache_destroy");

    /**
     * The command an alias stands for: {@code mm:kmem_cache_create} for {@code mm:cache-create}
     * (or {@code cache-create}); null for anything that is not an alias.
     */
    public static String target(String command) {
        String name = command.startsWith("mm:") ? command.substring(3) : command;
        String target = ALIASES.get(name);
        return target == null ? null : "mm:" + target;
    }

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context) {
        ALIASES.forEach((alias, target) -> registrations.add(context.registerService(Function.class, new Alias(target),
                new Hashtable<>(Map.of("osgi.command.scope", "mm", "osgi.command.function", alias)))));
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<?> r : registrations) {
            r.unregister();
        }
        registrations.clear();
    }

    /** Runs {@code mm:TARGET} with the alias's arguments, passed through session variables so that they keep their types. */
    record Alias(String target) implements Function {
        @Override
        public Object execute(CommandSession session, List<Object> arguments) throws Exception {
            StringBuilder line = new StringBuilder("mm:").append(target);
            List<String> vars = new ArrayList<>();
            for (int i = 0; i < arguments.size(); i++) {
                String var = "__alias_" + target + "_" + i;
                session.put(var, arguments.get(i));
                vars.add(var);
                line.append(" $").append(var);
            }
            try {
                return session.execute(line);
            } finally {
                for (String v : vars) {
                    session.put(v, null);
                }
            }
        }
    }
}

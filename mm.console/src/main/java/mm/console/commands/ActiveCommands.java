package mm.console.commands;

import java.util.List;
import java.util.function.Function;
import mm.api.machine.Machine;
import mm.api.subsystem.Subsystem;
import mm.api.subsystem.Switchboard;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * What the commands that call an active implementation share, whatever its contract: the machine
 * (whose CPU a call runs as), the switchboard (which replaces an implementation that misbehaves),
 * and the isolation of {@link ActiveCall} around every call. Subclasses add the reference to the
 * active implementation of their contract.
 */
abstract class ActiveCommands {

    @Reference
    volatile Machine machine;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Switchboard switchboard;

    private final ActiveCall calls;

    /**
     * @param name names the worker thread: {@code mm-console-NAME}
     * @param outcomes exceptions the contract names as results of a call, passed to the command unchanged
     */
    ActiveCommands(String name, List<Class<? extends RuntimeException>> outcomes) {
        this.calls = new ActiveCall(name, outcomes);
    }

    @Deactivate
    void deactivate() {
        calls.close();
    }

    /**
     * Calls {@code impl}, the active implementation of {@code contract}, with a time limit
     * ({@link ActiveCall#CALL_MS} or {@link ActiveCall#SCAN_MS}); a misbehaving implementation is
     * replaced and the command fails with one line saying so.
     *
     * @param op what is called, for the messages: {@code allocPages}, {@code kmalloc}
     */
    <S extends Subsystem, T> T callActive(String contract, S impl, String op, long limitMs, Function<S, T> work) {
        return calls.call(switchboard, machine, contract, impl.implName(), op, limitMs, () -> work.apply(impl));
    }
}

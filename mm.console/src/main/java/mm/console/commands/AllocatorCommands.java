package mm.console.commands;

import java.util.function.Function;
import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.subsystem.Switchboard;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the commands that call the active frame allocator share: the machine, the active
 * allocator (the switchboard's registration with {@code mm.active=true}, rebound when it changes),
 * the switchboard, and the isolation of {@link ActiveCall} around every call.
 */
abstract class AllocatorCommands {

    @Reference
    volatile Machine machine;

    @Reference(target = "(" + Switchboard.PROP_ACTIVE + "=true)", policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FrameAllocator frames;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Switchboard switchboard;

    private final ActiveCall calls;

    /** @param name names the worker thread: {@code mm-console-NAME} */
    AllocatorCommands(String name) {
        this.calls = new ActiveCall(name);
    }

    @Deactivate
    void deactivate() {
        calls.close();
    }

    /**
     * Calls the active allocator with a time limit ({@link ActiveCall#CALL_MS} or
     * {@link ActiveCall#SCAN_MS}); a misbehaving allocator is replaced and the command fails with
     * one line saying so.
     *
     * @param op what is called, for the messages: {@code allocPages}
     */
    <T> T callActive(String op, long limitMs, Function<FrameAllocator, T> work) {
        FrameAllocator fa = frames;
        return calls.call(switchboard, machine, FrameAllocator.CONTRACT, fa.implName(), op, limitMs, () -> work.apply(fa));
    }
}

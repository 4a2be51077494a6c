package mm.console.commands;

import java.util.List;
import java.util.function.Function;
import mm.api.frame.FrameAllocator;
import mm.api.subsystem.Switchboard;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * What the commands that call the active frame allocator share: the active allocator (the
 * switchboard's registration with {@code mm.active=true}, rebound when it changes), besides what
 * {@link ActiveCommands} gives every command that calls an implementation.
 */
abstract class AllocatorCommands extends ActiveCommands {

    @Reference(target = "(" + Switchboard.PROP_ACTIVE + "=true)", policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile FrameAllocator frames;

    /** @param name names the worker thread: {@code mm-console-NAME} */
    AllocatorCommands(String name) {
        super(name, List.of());
    }

    /**
     * Calls the active allocator with the isolation of {@link ActiveCall}.
     *
     * @param op what is called, for the messages: {@code allocPages}
     */
    <T> T callActive(String op, long limitMs, Function<FrameAllocator, T> work) {
        return callActive(FrameAllocator.CONTRACT, frames, op, limitMs, work);
    }
}

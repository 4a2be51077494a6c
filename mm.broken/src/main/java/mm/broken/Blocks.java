package mm.broken;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.subsystem.Subsystem;
import mm.skeleton.SkeletonAllocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Never returns from an allocation, and ignores interrupts: the caller's time limit must catch it. */
@Component(service = FrameAllocator.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=blocks"})
public class Blocks extends SkeletonAllocator {

    @Activate
    public Blocks(@Reference Machine machine) {
        super(machine);
    }

    @Override
    public String implName() {
        return "blocks";
    }

    @Override
    protected long rmqueue(Zone preferred, Zone zone, int order, int migratetype, int allocFlags, int cpu) {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // deliberately ignored: a stuck implementation does not cooperate
            }
        }
    }
}

package mm.broken;

import mm.api.frame.FrameAllocator;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
import mm.api.subsystem.Subsystem;
import mm.skeleton.SkeletonAllocator;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Drops every 50th free block it adopts: its invariant check must catch it, and the hand-over roll back. */
@Component(service = FrameAllocator.class,
        property = {Subsystem.PROP_CONTRACT + "=" + FrameAllocator.CONTRACT, Subsystem.PROP_IMPL + "=loses-frames"})
public class LosesFrames extends SkeletonAllocator {

    private int blocks;

    @Activate
    public LosesFrames(@Reference Machine machine) {
        super(machine);
    }

    @Override
    public String implName() {
        return "loses-frames";
    }

    @Override
    protected void adoptFreeBlock(Zone zone, long pfn, int order) {
        if (++blocks % 50 != 0) {
            super.adoptFreeBlock(zone, pfn, order);
        }
    }
}

package mm.bitmap;

import static mm.bitmap.Fixtures.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import mm.api.frame.FrameAllocator;
import mm.api.frame.Gfp;
import mm.api.machine.ZoneType;
import mm.api.subsystem.Handover;
import mm.hw.machine.MachineImpl;
import org.junit.jupiter.api.Test;

/** The component's life: dormant when DS creates it, active once it adopts, inactive after it quiesces. */
class LifecycleTest {

    @Test
    void theDsComponentStaysDormantUntilItAdopts() {
        MachineImpl m = boot(Fixtures.SMALL);
        BitmapAllocator a = new BitmapAllocator(m, Map.of("mm.impl", "bitmap"));
        assertEquals("bitmap", a.implName());
        assertFalse(a.isActive());
        assertEquals(0, m.zone(0, ZoneType.DMA).freePages(), "no allocator has counted the free pages yet");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals("FrameAllocator 'bitmap' is not active", e.getMessage());

        a.adopt(Handover.BOOT);

        assertTrue(a.isActive());
        assertEquals(3840, m.zone(0, ZoneType.DMA).freePages());
        assertEquals(0x3e00, a.allocPages(Gfp.GFP_KERNEL, 0));
        assertEquals(List.of(), a.check());
    }

    @Test
    void theFactoryMakesDormantBitmapAllocators() {
        MachineImpl m = boot(Fixtures.SMALL);
        BitmapFactory f = new BitmapFactory();
        assertEquals("bitmap", f.implName());
        FrameAllocator a = f.create(m);
        assertTrue(a instanceof BitmapAllocator);
        assertFalse(((BitmapAllocator) a).isActive());
        a.adopt(Handover.BOOT);
        assertEquals(0x100, a.allocPages(Gfp.GFP_DMA, 0));
    }

    @Test
    void quiesceExportsNothingButTheName() {
        MachineImpl m = boot(Fixtures.SMALL);
        BitmapAllocator a = new BitmapAllocator(m);
        Handover h = a.quiesce();
        assertEquals(new Handover(FrameAllocator.CONTRACT, "bitmap", Map.of()), h);
        assertFalse(a.isActive());
        // taken back: the allocator answers again
        a.adopt(h);
        assertEquals(0x100, a.allocPages(Gfp.GFP_DMA, 0));
    }
}

package mm.api;

import static mm.api.frame.Gfp.GFP_ATOMIC;
import static mm.api.frame.Gfp.GFP_DMA;
import static mm.api.frame.Gfp.GFP_DMA32;
import static mm.api.frame.Gfp.GFP_HIGHUSER;
import static mm.api.frame.Gfp.GFP_HIGHUSER_MOVABLE;
import static mm.api.frame.Gfp.GFP_KERNEL;
import static mm.api.frame.Gfp.GFP_KERNEL_ACCOUNT;
import static mm.api.frame.Gfp.GFP_NOFS;
import static mm.api.frame.Gfp.GFP_NOIO;
import static mm.api.frame.Gfp.GFP_NOWAIT;
import static mm.api.frame.Gfp.GFP_TRANSHUGE;
import static mm.api.frame.Gfp.GFP_TRANSHUGE_LIGHT;
import static mm.api.frame.Gfp.GFP_USER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import mm.api.frame.Gfp;
import mm.api.machine.MigrateType;
import mm.api.machine.ZoneType;
import org.junit.jupiter.api.Test;

/** GFP masks, their names as the kernel prints them, gfp_zone and gfp_migratetype. */
class GfpTest {

    @Test
    void compositeMasks() {
        assertEquals(0xcc0, GFP_KERNEL);
        assertEquals(0x820, GFP_ATOMIC);
        assertEquals(0x100cca, GFP_HIGHUSER_MOVABLE);
        // the kmem trace's most frequent page allocation
        assertEquals(0x140cca, GFP_HIGHUSER_MOVABLE | Gfp.__GFP_COMP);
        assertEquals(0x400cc0, GFP_KERNEL_ACCOUNT);
        assertEquals(0x2800, GFP_NOWAIT);
        assertEquals(0xc00, GFP_NOIO);
        assertEquals(0xc40, GFP_NOFS);
        assertEquals(0x100cc0, GFP_USER);
        assertEquals(0x100cc2, GFP_HIGHUSER);
        assertEquals(0x1c20ca, GFP_TRANSHUGE_LIGHT);
        assertEquals(0x1c24ca, GFP_TRANSHUGE);
        assertEquals(0x1, GFP_DMA);
        assertEquals(0x4, GFP_DMA32);
        assertEquals(0x1fffdff, Gfp.VALID_MASK);
    }

    @Test
    void formatFollowsThePrintFlagsTableOrder() {
        assertEquals("GFP_KERNEL", Gfp.format(GFP_KERNEL));
        assertEquals("GFP_KERNEL|__GFP_ZERO", Gfp.format(GFP_KERNEL | Gfp.__GFP_ZERO));
        // the table lists __GFP_ZERO (bit 8) before __GFP_NOWARN (bit 13), as the real trace prints
        // "GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_NOWARN"
        assertEquals("GFP_ATOMIC|__GFP_ZERO|__GFP_NOWARN", Gfp.format(GFP_ATOMIC | Gfp.__GFP_NOWARN | Gfp.__GFP_ZERO));
        assertEquals("GFP_ATOMIC|__GFP_NOWARN", Gfp.format(GFP_ATOMIC | Gfp.__GFP_NOWARN));
        assertEquals("GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP",
                Gfp.format(GFP_HIGHUSER_MOVABLE | Gfp.__GFP_COMP | Gfp.__GFP_ZERO));
        // the first name whose bits are all present wins, and takes its bits
        assertEquals("GFP_KERNEL_ACCOUNT", Gfp.format(GFP_KERNEL | Gfp.__GFP_ACCOUNT));
        assertEquals("GFP_NOIO", Gfp.format(Gfp.__GFP_RECLAIM));
        assertEquals("GFP_ATOMIC|__GFP_NOWARN", Gfp.format(GFP_NOWAIT | Gfp.__GFP_HIGH));
        assertEquals("GFP_NOFS|__GFP_HIGHMEM|__GFP_MOVABLE|__GFP_HARDWALL", Gfp.format(GFP_HIGHUSER_MOVABLE & ~Gfp.__GFP_FS));
        assertEquals("GFP_TRANSHUGE", Gfp.format(GFP_TRANSHUGE));
        assertEquals("GFP_TRANSHUGE_LIGHT", Gfp.format(GFP_TRANSHUGE_LIGHT));
        assertEquals("GFP_DMA32|__GFP_MOVABLE", Gfp.format(GFP_DMA32 | Gfp.__GFP_MOVABLE));
        assertEquals("__GFP_KSWAPD_RECLAIM", Gfp.format(Gfp.__GFP_KSWAPD_RECLAIM));
        assertEquals("none", Gfp.format(0));
    }

    @Test
    void unknownBitsArePrintedAsHex() {
        assertEquals("GFP_KERNEL|0x200", Gfp.format(GFP_KERNEL | 1 << 9));
        assertEquals("0x2000000", Gfp.format(1 << 25));
        assertEquals("GFP_DMA32|0x40000200", Gfp.format(Gfp.__GFP_DMA32 | 1 << 30 | 1 << 9));
    }

    @Test
    void parseAcceptsNamesAnyCaseSpacesAndNumbers() {
        assertEquals(GFP_KERNEL, Gfp.parse("GFP_KERNEL"));
        assertEquals(GFP_KERNEL | Gfp.__GFP_ZERO, Gfp.parse("gfp_kernel | __gfp_zero"));
        assertEquals(GFP_KERNEL, Gfp.parse("0xcc0"));
        assertEquals(GFP_KERNEL, Gfp.parse("3264"));
        assertEquals(GFP_ATOMIC | Gfp.__GFP_ZERO, Gfp.parse("0x800|__GFP_HIGH|0x100"));
        assertEquals(0, Gfp.parse("none"));
        assertEquals(GFP_NOIO, Gfp.parse("__GFP_RECLAIM"));
    }

    @Test
    void parseAndFormatRoundTrip() {
        Random rnd = new Random(2026);
        int checked = 0;
        for (int i = 0; i < 20000; i++) {
            int mask = rnd.nextInt() & Gfp.VALID_MASK;
            try {
                Gfp.validate(mask);
            } catch (IllegalArgumentException e) {
                continue;
            }
            String text = Gfp.format(mask);
            assertEquals(mask, Gfp.parse(text), text);
            assertEquals(text, Gfp.format(Gfp.parse(text)));
            checked++;
        }
        assertTrue(checked > 5000);
        for (String name : Gfp.names()) {
            int mask = Gfp.parse(name);
            assertEquals(mask, Gfp.parse(Gfp.format(mask)), name);
        }
        assertEquals(0, Gfp.parse(Gfp.format(0)));
    }

    @Test
    void parseErrorsNameTheBadFlag() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("GFP_KERNEL|GFP_KERNL"));
        assertTrue(e.getMessage().startsWith("unknown GFP flag 'GFP_KERNL': accepted are GFP_KERNEL, GFP_ATOMIC"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("-1"));
        assertTrue(e.getMessage().startsWith("unknown GFP flag '-1'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("99999999999"));
        assertTrue(e.getMessage().startsWith("unknown GFP flag '99999999999'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("GFP_KERNEL||__GFP_ZERO"));
        assertEquals("empty flag in 'GFP_KERNEL||__GFP_ZERO': accepted are kernel names joined by '|', '+' or ','", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("  "));
        assertTrue(e.getMessage().startsWith("empty GFP flags"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Gfp.parse(null));
        e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("__GFP_DMA|__GFP_DMA32"));
        assertEquals("GFP flags GFP_DMA|GFP_DMA32 ask for two zones: use at most one of __GFP_DMA, __GFP_DMA32, __GFP_HIGHMEM",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("__GFP_MOVABLE|__GFP_RECLAIMABLE"));
        assertEquals("GFP flags __GFP_MOVABLE|__GFP_RECLAIMABLE are both movable and reclaimable: use one", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Gfp.parse("GFP_KERNEL|0x200"));
        assertEquals("GFP mask 0xec0 has undefined bits 0x200", e.getMessage());
        for (String bad : new String[] {"GFP_KERNL", "", "a||b", "__GFP_DMA|__GFP_HIGHMEM", "0x2000000"}) {
            IllegalArgumentException x = assertThrows(IllegalArgumentException.class, () -> Gfp.parse(bad));
            assertFalse(x.getMessage().contains("\n"), "one line: " + x.getMessage());
        }
    }

    @Test
    void gfpZone() {
        assertEquals(ZoneType.NORMAL, Gfp.gfpZone(GFP_KERNEL));
        assertEquals(ZoneType.NORMAL, Gfp.gfpZone(GFP_ATOMIC));
        assertEquals(ZoneType.DMA, Gfp.gfpZone(GFP_DMA));
        assertEquals(ZoneType.DMA, Gfp.gfpZone(GFP_KERNEL | Gfp.__GFP_DMA | Gfp.__GFP_MOVABLE));
        assertEquals(ZoneType.DMA32, Gfp.gfpZone(GFP_KERNEL | GFP_DMA32));
        assertEquals(ZoneType.DMA32, Gfp.gfpZone(GFP_DMA32 | Gfp.__GFP_MOVABLE));
        assertEquals(ZoneType.MOVABLE, Gfp.gfpZone(GFP_HIGHUSER_MOVABLE));
        assertEquals(ZoneType.MOVABLE, Gfp.gfpZone(GFP_TRANSHUGE));
        // 64-bit: highmem alone is Normal, and so is movable alone
        assertEquals(ZoneType.NORMAL, Gfp.gfpZone(GFP_HIGHUSER));
        assertEquals(ZoneType.NORMAL, Gfp.gfpZone(GFP_KERNEL | Gfp.__GFP_MOVABLE));
    }

    @Test
    void gfpMigratetype() {
        assertEquals(MigrateType.UNMOVABLE, Gfp.gfpMigratetype(GFP_KERNEL));
        assertEquals(MigrateType.UNMOVABLE, Gfp.gfpMigratetype(GFP_ATOMIC | GFP_DMA));
        assertEquals(MigrateType.MOVABLE, Gfp.gfpMigratetype(GFP_HIGHUSER_MOVABLE));
        assertEquals(MigrateType.MOVABLE, Gfp.gfpMigratetype(GFP_DMA32 | Gfp.__GFP_MOVABLE));
        assertEquals(MigrateType.RECLAIMABLE, Gfp.gfpMigratetype(GFP_KERNEL | Gfp.__GFP_RECLAIMABLE));
        assertEquals(1, Gfp.gfpMigratetype(GFP_HIGHUSER_MOVABLE).ordinal());
        assertEquals(2, Gfp.gfpMigratetype(Gfp.__GFP_RECLAIMABLE).ordinal());
    }

    @Test
    void allowsBlocking() {
        assertTrue(Gfp.allowsBlocking(GFP_KERNEL));
        assertTrue(Gfp.allowsBlocking(GFP_NOIO));
        assertFalse(Gfp.allowsBlocking(GFP_ATOMIC));
        assertFalse(Gfp.allowsBlocking(GFP_NOWAIT));
        assertFalse(Gfp.allowsBlocking(GFP_TRANSHUGE_LIGHT));
        assertTrue(Gfp.allowsBlocking(GFP_TRANSHUGE));
    }
}

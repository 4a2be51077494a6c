package mm.tck;

import java.util.BitSet;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import mm.api.frame.CompactResult;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.frame.Gfp;
import mm.api.machine.FrameTable;
import mm.api.machine.Machine;
import mm.api.machine.MigrateType;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;
import mm.api.subsystem.Handover;
import mm.api.subsystem.Subsystem;
import mm.core.page.ForwardingFrameAllocator;

/**
 * Deliberately broken allocators for the kit's own tests: a correct allocator wrapped so that it
 * breaks one rule of the contract. Each must fail the checks that prove that rule.
 */
class Broken extends ForwardingFrameAllocator {

    Broken(FrameAllocator inner) {
        super(inner);
    }

    /** A factory wrapping each new instance of {@code base}. */
    static FrameAllocatorFactory factory(FrameAllocatorFactory base, Function<FrameAllocator, FrameAllocator> wrap) {
        return new FrameAllocatorFactory() {
            @Override
            public String implName() {
                return base.implName();
            }

            @Override
            public FrameAllocator create(Machine machine) {
                return wrap.apply(base.create(machine));
            }
        };
    }

    /** A factory wrapping each new instance of {@code base}, for a breakage that needs the machine. */
    static FrameAllocatorFactory factoryOn(FrameAllocatorFactory base, BiFunction<Machine, FrameAllocator, FrameAllocator> wrap) {
        return new FrameAllocatorFactory() {
            @Override
            public String implName() {
                return base.implName();
            }

            @Override
            public FrameAllocator create(Machine machine) {
                return wrap.apply(machine, base.create(machine));
            }
        };
    }

    /** Hands out the first order-0 page it allocated a second time, once. */
    static final class HandsOutTwice extends Broken {
        private long first = NO_PAGE;
        private int calls;

        HandsOutTwice(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public synchronized long allocPages(int gfp, int order) {
            if (order == 0 && first != NO_PAGE && ++calls == 3) {
                return first;
            }
            long pfn = delegate.allocPages(gfp, order);
            if (order == 0 && first == NO_PAGE) {
                first = pfn;
            }
            return pfn;
        }
    }

    /** Never gives freed pages back: frees are swallowed. */
    static final class KeepsFreedPages extends Broken {
        KeepsFreedPages(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public void freePages(long pfn, int order) {
            if (order < 0 || order > MAX_PAGE_ORDER) {
                throw new IllegalArgumentException("order " + order);
            }
        }
    }

    /** Ignores the zone modifiers __GFP_DMA and __GFP_DMA32. */
    static final class IgnoresDma extends Broken {
        IgnoresDma(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long allocPages(int gfp, int order) {
            Gfp.validate(gfp);
            return delegate.allocPages(gfp & ~(Gfp.__GFP_DMA | Gfp.__GFP_DMA32), order);
        }
    }

    /** Treats every request as __GFP_MEMALLOC: no watermarks. */
    static final class IgnoresWatermarks extends Broken {
        IgnoresWatermarks(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long allocPages(int gfp, int order) {
            Gfp.validate(gfp);
            return delegate.allocPages(gfp | Gfp.__GFP_MEMALLOC, order);
        }
    }

    /** Answers a bad order with NO_PAGE instead of refusing it. */
    static final class ForgivesBadOrders extends Broken {
        ForgivesBadOrders(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long allocPages(int gfp, int order) {
            return order < 0 || order > MAX_PAGE_ORDER ? NO_PAGE : delegate.allocPages(gfp, order);
        }
    }

    /** Never clears contents. */
    static final class IgnoresZero extends Broken {
        IgnoresZero(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long allocPages(int gfp, int order) {
            Gfp.validate(gfp);
            return delegate.allocPages(gfp & ~Gfp.__GFP_ZERO, order);
        }
    }

    /** Ignores __GFP_THISNODE. */
    static final class IgnoresThisNode extends Broken {
        IgnoresThisNode(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long allocPagesNode(int nid, int gfp, int order) {
            Gfp.validate(gfp);
            return delegate.allocPagesNode(nid, gfp & ~Gfp.__GFP_THISNODE, order);
        }
    }

    /** A check() that never finds anything. */
    static final class BlindCheck extends Broken {
        BlindCheck(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public List<String> check() {
            return List.of();
        }
    }

    /** drainAllPages() that never returns. */
    static final class HangingDrain extends Broken {
        HangingDrain(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public void drainAllPages() {
            try {
                new java.util.concurrent.CountDownLatch(1).await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Calls itself by another name than its factory does. */
    static final class Misnamed extends Broken {
        Misnamed(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public String implName() {
            return "some other name";
        }
    }

    /** Frees a block whatever its head's reference count: a second reference is ignored. */
    static final class IgnoresRefcount extends Broken {
        private final FrameTable ft;

        IgnoresRefcount(Machine m, FrameAllocator inner) {
            super(inner);
            this.ft = m.frames();
        }

        @Override
        public void freePages(long pfn, int order) {
            if (ft.pfnValid(pfn) && ft.refcount(pfn) > 1) {
                ft.setRefcount(pfn, 1);
            }
            delegate.freePages(pfn, order);
        }
    }

    /** Swallows the free of a frame that is already free (never allocated, or freed twice) instead of refusing it. */
    static final class SwallowsFreeOfFreeFrame extends Broken {
        private final FrameTable ft;

        SwallowsFreeOfFreeFrame(Machine m, FrameAllocator inner) {
            super(inner);
            this.ft = m.frames();
        }

        @Override
        public void freePages(long pfn, int order) {
            if (ft.pfnValid(pfn) && ft.refcount(pfn) == 0 && !ft.test(pfn, mm.api.machine.PageFlags.PG_reserved)) {
                return;
            }
            delegate.freePages(pfn, order);
        }
    }

    /** Leaves one free frame out of NR_FREE_PAGES whenever it adopts (at boot or from a Handover). */
    static final class LosesAFrameOnAdopt extends Broken {
        private final Machine machine;

        LosesAFrameOnAdopt(Machine m, FrameAllocator inner) {
            super(inner);
            this.machine = m;
        }

        @Override
        public void adopt(Handover from) {
            delegate.adopt(from);
            machine.zones().stream().filter(z -> z.freePages() > 0).findFirst()
                    .ifPresent(z -> z.modState(ZoneStat.NR_FREE_PAGES, -1));
        }
    }

    /** Counts one order-0 movable block too many in nrFree(zone, order, migratetype). */
    static final class MiscountsMovable extends Broken {
        MiscountsMovable(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long nrFree(Zone zone, int order, int migratetype) {
            long n = delegate.nrFree(zone, order, migratetype);
            return order == 0 && migratetype == MigrateType.MOVABLE.ordinal() ? n + 1 : n;
        }
    }

    /** forwardTo() does nothing: calls that reach it after the hand-over wait for ever. */
    static final class NeverForwards extends Broken {
        NeverForwards(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public void forwardTo(Subsystem successor) {
        }
    }

    /** Gives up on __GFP_MEMALLOC requests while 16 frames are still free. */
    static final class GivesUpEarly extends Broken {
        private final Machine machine;

        GivesUpEarly(Machine m, FrameAllocator inner) {
            super(inner);
            this.machine = m;
        }

        @Override
        public long allocPages(int gfp, int order) {
            if ((gfp & Gfp.__GFP_MEMALLOC) != 0 && machine.zones().stream().mapToLong(Zone::freePages).sum() < 16) {
                Gfp.validate(gfp);
                return NO_PAGE;
            }
            return delegate.allocPages(gfp, order);
        }
    }

    /** Never hands out a block of the largest order. */
    static final class NoMaxOrder extends Broken {
        NoMaxOrder(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long allocPages(int gfp, int order) {
            return order == MAX_PAGE_ORDER ? NO_PAGE : delegate.allocPages(gfp, order);
        }
    }

    /** Serves requests without a zone modifier from DMA32 first, skipping the higher zones of the zonelist. */
    static final class PrefersDma32 extends Broken {
        PrefersDma32(FrameAllocator inner) {
            super(inner);
        }

        @Override
        public long allocPages(int gfp, int order) {
            Gfp.validate(gfp);
            if ((gfp & (Gfp.__GFP_DMA | Gfp.__GFP_DMA32 | Gfp.__GFP_HIGHMEM)) == 0) {
                long pfn = delegate.allocPages(gfp | Gfp.__GFP_DMA32, order);
                if (pfn != NO_PAGE) {
                    return pfn;
                }
            }
            return delegate.allocPages(gfp, order);
        }
    }

    /** Compacts, but the pages it moves arrive without their content token. */
    static final class CompactionDropsTokens extends Broken {
        private final FrameTable ft;

        CompactionDropsTokens(Machine m, FrameAllocator inner) {
            super(inner);
            this.ft = m.frames();
        }

        @Override
        public CompactResult compactZone(Zone zone, int order) {
            BitSet used = new BitSet();
            for (long pfn = zone.startPfn(); pfn < zone.endPfn(); pfn++) {
                used.set((int) (pfn - zone.startPfn()), ft.refcount(pfn) > 0);
            }
            CompactResult r = delegate.compactZone(zone, order);
            for (long pfn = zone.startPfn(); pfn < zone.endPfn(); pfn++) {
                if (ft.refcount(pfn) > 0 && !used.get((int) (pfn - zone.startPfn()))) {
                    ft.setContentToken(pfn, 0);
                }
            }
            return r;
        }
    }
}

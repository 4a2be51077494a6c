package mm.tck;

import java.util.List;
import java.util.function.Function;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.machine.Zone;
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
}

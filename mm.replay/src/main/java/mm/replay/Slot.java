package mm.replay;

/**
 * A field of a memory trace event the replay reads, with the key the kernel prints it under and
 * how its value is written ({@code print fmt} of the event, see event_formats.txt). Each parsed
 * event keeps its values in an array indexed by slot.
 */
public enum Slot {
    /** {@code pfn=0x%lx}. */
    PFN("pfn", Kind.HEX),
    /** {@code order=%d}. */
    ORDER("order", Kind.DEC),
    /** {@code migratetype=%d}. */
    MIGRATETYPE("migratetype", Kind.DEC),
    /** {@code gfp_flags=%s} by the kernel's flag names ({@code __print_flags}); the mask. */
    GFP_FLAGS("gfp_flags", Kind.GFP),
    /** {@code percpu_refill=%d}. */
    PERCPU_REFILL("percpu_refill", Kind.DEC),
    /** {@code ptr=%p}: hashed, hexadecimal without 0x. */
    PTR("ptr", Kind.HEX),
    /** {@code bytes_req=%zu}. */
    BYTES_REQ("bytes_req", Kind.DEC),
    /** {@code bytes_alloc=%zu}. */
    BYTES_ALLOC("bytes_alloc", Kind.DEC),
    /** {@code node=%d}. */
    NODE("node", Kind.DEC),
    /** {@code name=%s} of kmem_cache_alloc/free: the cache's name (kept as text). */
    NAME("name", Kind.TEXT),
    /** {@code alloc_order=%d} of mm_page_alloc_extfrag. */
    ALLOC_ORDER("alloc_order", Kind.DEC),
    /** {@code fallback_order=%d}. */
    FALLBACK_ORDER("fallback_order", Kind.DEC),
    /** {@code alloc_migratetype=%d}. */
    ALLOC_MIGRATETYPE("alloc_migratetype", Kind.DEC),
    /** {@code fallback_migratetype=%d}. */
    FALLBACK_MIGRATETYPE("fallback_migratetype", Kind.DEC),
    /** {@code change_ownership=%d}. */
    CHANGE_OWNERSHIP("change_ownership", Kind.DEC);

    /** How a value is written. */
    public enum Kind {
        /** Hexadecimal, with or without 0x, at most 64 bits. */
        HEX,
        /** Decimal, optionally negative. */
        DEC,
        /** GFP flags by name ({@code GFP_KERNEL|__GFP_ZERO}), {@code none}, or a number. */
        GFP,
        /** Text up to the next space. */
        TEXT
    }

    final String key;
    final Kind kind;

    Slot(String key, Kind kind) {
        this.key = key;
        this.kind = kind;
    }
}

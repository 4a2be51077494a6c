package mm.console.commands;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import mm.api.frame.Gfp;
import mm.api.machine.Machine;
import mm.api.slab.Kmalloc;
import mm.api.slab.KmemCache;
import mm.api.slab.ObjectCache;
import mm.api.slab.SlabCorruptionException;
import mm.api.slab.SlabInfo;
import mm.api.subsystem.Switchboard;
import mm.console.slab.SlabDescribeFormatter;
import mm.console.slab.SlabinfoFormatter;
import mm.console.slab.SlabtopFormatter;
import mm.console.slab.SysfsFormatter;
import mm.core.slab.HexDump;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The slab allocator by hand: {@code kmalloc} and {@code kfree}, caches of one's own
 * ({@code kmem_cache_*}), the views /proc/slabinfo, slabtop and /sys/kernel/slab/, and the
 * memory of objects, to corrupt it on purpose and watch the debugging checks catch it. Commands
 * are named after the kernel functions they call (Gogo finds a command by its method's name, so
 * a name cannot contain a hyphen).
 *
 * <p>Every call into the active {@link ObjectCache} is isolated as {@link ActiveCall} says. A
 * {@link SlabCorruptionException} is no misbehaviour of the implementation: its report is
 * printed whole, and the command fails with one line pointing at it.
 */
@Component(service = SlabCommands.class, property = {
    "osgi.command.scope=mm",
    "osgi.command.function=kmalloc", "osgi.command.function=kfree", "osgi.command.function=ksize",
    "osgi.command.function=krealloc",
    "osgi.command.function=kmem_cache_create", "osgi.command.function=kmem_cache_alloc",
    "osgi.command.function=kmem_cache_free", "osgi.command.function=kmem_cache_shrink",
    "osgi.command.function=kmem_cache_destroy",
    "osgi.command.function=slabinfo", "osgi.command.function=slab", "osgi.command.function=slabtop",
    "osgi.command.function=sysfs", "osgi.command.function=poke", "osgi.command.function=peek",
    "osgi.command.function=validate"})
public class SlabCommands extends ActiveCommands {

    private static final String GFP_HELP = "GFP flags by their kernel names, e.g. GFP_KERNEL, GFP_ATOMIC+__GFP_ZERO, "
            + "GFP_KERNEL+__GFP_ACCOUNT (join with + or quote the kernel's |)";
    private static final String ADDR_HELP = "the object's address, 0xffff888004a1c080 as mm:kmalloc prints it, "
            + "or a variable holding what it returned";
    private static final String CACHE_HELP = "the cache's name, as mm:slabinfo lists it";

    /** The most bytes mm:peek shows at once: the largest kmalloc cache's object. */
    static final int PEEK_MAX = Kmalloc.KMALLOC_MAX_CACHE_SIZE;

    /** The active object cache; optional, so that the console runs on a machine without one. */
    @Reference(target = "(" + Switchboard.PROP_ACTIVE + "=true)", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile ObjectCache slabs;

    public SlabCommands() {
        super("slab", List.of(SlabCorruptionException.class));
    }

    // kmalloc

    @Descriptor("allocate SIZE bytes with GFP_KERNEL (kmalloc) and print the address and the kmalloc cache it came from")
    public SlabObject kmalloc(@Descriptor("bytes: 0 to 4M, e.g. 100, 0x80, 2K") String size) {
        return kmalloc(size, "GFP_KERNEL");
    }

    @Descriptor("allocate SIZE bytes (kmalloc) and print the address and the kmalloc cache it came from, "
            + "or (order-N pages) above 8K")
    public SlabObject kmalloc(
            @Descriptor("bytes: 0 to 4M, e.g. 100, 0x80, 2K") String size,
            @Descriptor(GFP_HELP) String gfp) {
        long n = Args.size("size", size, 0, Kmalloc.KMALLOC_MAX_SIZE);
        int flags = Args.gfp(gfp);
        return call("kmalloc", ActiveCall.CALL_MS, oc -> {
            long addr = oc.kmalloc(n, flags);
            if (addr == 0) {
                throw new CommandError(String.format(Locale.ROOT, "kmalloc: out of memory (%d bytes, %s)", n, Gfp.format(flags)));
            }
            return object(oc, addr, n);
        });
    }

    @Descriptor("free what kmalloc returned (kfree)")
    public void kfree(@Descriptor(ADDR_HELP) String addr) {
        long a = Args.address(addr);
        call("kfree", REFUSED, ActiveCall.CALL_MS, oc -> {
            oc.kfree(a);
            return null;
        });
    }

    @Descriptor("print the usable size of a kmalloc'd object (ksize): its cache's object size, or the pages of a large one")
    public long ksize(@Descriptor(ADDR_HELP) String addr) {
        long a = Args.address(addr);
        return call("ksize", ActiveCall.CALL_MS, oc -> oc.ksize(a));
    }

    @Descriptor("resize a kmalloc'd object with GFP_KERNEL (krealloc): the same address if it still fits, else a new one "
            + "with the contents copied")
    public SlabObject krealloc(
            @Descriptor(ADDR_HELP) String addr,
            @Descriptor("the new size in bytes: 0 (frees it) to 4M") String size) {
        return krealloc(addr, size, "GFP_KERNEL");
    }

    @Descriptor("resize a kmalloc'd object (krealloc): the same address if it still fits, else a new one with the "
            + "contents copied")
    public SlabObject krealloc(
            @Descriptor(ADDR_HELP) String addr,
            @Descriptor("the new size in bytes: 0 (frees it) to 4M") String size,
            @Descriptor(GFP_HELP) String gfp) {
        long a = Args.address(addr);
        long n = Args.size("size", size, 0, Kmalloc.KMALLOC_MAX_SIZE);
        int flags = Args.gfp(gfp);
        return call("krealloc", ActiveCall.CALL_MS, oc -> {
            long got = oc.krealloc(a, n, flags);
            if (got == 0) {
                throw new CommandError(String.format(Locale.ROOT, "krealloc: out of memory (%d bytes, %s): the object at 0x%016x is "
                        + "unchanged", n, Gfp.format(flags), a));
            }
            return object(oc, got, n);
        });
    }

    /** Where an object lives, for the line the allocating commands print. */
    private static SlabObject object(ObjectCache oc, long addr, long size) {
        if (addr == ObjectCache.ZERO_SIZE_PTR) {
            return new SlabObject(addr, "(ZERO_SIZE_PTR)");
        }
        return new SlabObject(addr, oc.cacheOf(addr).map(KmemCache::name)
                .orElse("(order-" + Kmalloc.largeOrder(size) + " pages)"));
    }

    // kmem_cache_*

    @Descriptor("create a cache of SIZE-byte objects (kmem_cache_create) and print its geometry")
    public String kmem_cache_create(
            @Descriptor("a new cache's name, without spaces") String name,
            @Descriptor("the object size in bytes: 1 to 4M") String size) {
        return kmem_cache_create(name, size, "0", "0");
    }

    @Descriptor("create a cache of SIZE-byte objects aligned to ALIGN bytes (kmem_cache_create) and print its geometry")
    public String kmem_cache_create(
            @Descriptor("a new cache's name, without spaces") String name,
            @Descriptor("the object size in bytes: 1 to 4M") String size,
            @Descriptor("the minimum alignment: 0 (the default, 8) or a power of two up to 4096") String align) {
        return kmem_cache_create(name, size, align, "0");
    }

    @Descriptor("create a cache of SIZE-byte objects aligned to ALIGN bytes with FLAGS (kmem_cache_create) and print "
            + "its geometry")
    public String kmem_cache_create(
            @Descriptor("a new cache's name, without spaces") String name,
            @Descriptor("the object size in bytes: 1 to 4M") String size,
            @Descriptor("the minimum alignment: 0 (the default, 8) or a power of two up to 4096") String align,
            @Descriptor("SLAB_ flags joined with +, e.g. SLAB_HWCACHE_ALIGN+SLAB_POISON (the SLAB_ may be left out), "
                    + "slub_debug=FZPU for debugging, 0 for none") String flags) {
        int n = (int) Args.size("size", size, 1, Kmalloc.KMALLOC_MAX_SIZE);
        long al = Args.size("align", align, 0, Machine.PAGE_SIZE);
        if (Long.bitCount(al) > 1) {
            throw new CommandError("align " + al + " is not a power of two: accepted are 0 (the default) or a power of two up to 4096");
        }
        long f = Args.slabFlags(flags);
        return call("kmem_cache_create", ActiveCall.CALL_MS,
                oc -> SlabDescribeFormatter.geometry(oc.kmemCacheCreate(name, n, (int) al, f, null)));
    }

    @Descriptor("allocate an object from cache NAME with GFP_KERNEL (kmem_cache_alloc) and print its address")
    public SlabObject kmem_cache_alloc(@Descriptor(CACHE_HELP) String name) {
        return kmem_cache_alloc(name, "GFP_KERNEL");
    }

    @Descriptor("allocate an object from cache NAME (kmem_cache_alloc) and print its address")
    public SlabObject kmem_cache_alloc(@Descriptor(CACHE_HELP) String name, @Descriptor(GFP_HELP) String gfp) {
        int flags = Args.gfp(gfp);
        return call("kmem_cache_alloc", ActiveCall.CALL_MS, oc -> {
            KmemCache c = cache(oc, name);
            long addr = oc.kmemCacheAlloc(c, flags);
            if (addr == 0) {
                throw new CommandError("kmem_cache_alloc: out of memory (" + name + ", " + Gfp.format(flags) + ")");
            }
            return new SlabObject(addr, c.name());
        });
    }

    @Descriptor("free an object of cache NAME (kmem_cache_free)")
    public void kmem_cache_free(@Descriptor(CACHE_HELP) String name, @Descriptor(ADDR_HELP) String addr) {
        long a = Args.address(addr);
        call("kmem_cache_free", REFUSED, ActiveCall.CALL_MS, oc -> {
            oc.kmemCacheFree(cache(oc, name), a);
            return null;
        });
    }

    @Descriptor("return the empty slabs of cache NAME to the page allocator (kmem_cache_shrink) and print how many pages")
    public String kmem_cache_shrink(@Descriptor(CACHE_HELP) String name) {
        return call("kmem_cache_shrink", ActiveCall.SCAN_MS, oc -> {
            long pages = oc.kmemCacheShrink(cache(oc, name));
            return name + ": " + pages + (pages == 1 ? " page" : " pages") + " returned to the page allocator";
        });
    }

    @Descriptor("destroy cache NAME (kmem_cache_destroy); refused while objects are allocated from it")
    public void kmem_cache_destroy(@Descriptor(CACHE_HELP) String name) {
        call("kmem_cache_destroy", REFUSED, ActiveCall.SCAN_MS, oc -> {
            oc.kmemCacheDestroy(cache(oc, name));
            return null;
        });
    }

    // views

    @Descriptor("print /proc/slabinfo: each cache's objects, object size, objects and pages per slab, slabs")
    public String slabinfo() {
        return Args.view(SlabinfoFormatter.format(call("slabinfo", ActiveCall.SCAN_MS, SlabCommands::rowsNewestFirst)));
    }

    /** The rows of every cache, newest first as the kernel's list of caches has them. */
    private static List<SlabInfo> rowsNewestFirst(ObjectCache oc) {
        List<SlabInfo> rows = new ArrayList<>();
        for (KmemCache c : oc.caches()) {
            rows.add(oc.slabinfo(c));
        }
        Collections.reverse(rows);
        return rows;
    }

    @Descriptor("print the caches that use the most memory, as slabtop -o -s c does: totals, then a row per cache")
    public String slabtop(
            @Descriptor("how many caches to list (default 20)")
            @Parameter(names = {"-n", "--rows"}, absentValue = "20") String rows) {
        int n = Args.count("rows", rows, 1, 100_000);
        return Args.view(SlabtopFormatter.format(call("slabinfo", ActiveCall.SCAN_MS, SlabCommands::rowsNewestFirst), n));
    }

    @Descriptor("describe cache NAME: its geometry, counts, slabs and per-CPU state, and its statistics")
    public String slab(@Descriptor(CACHE_HELP) String name) {
        return Args.view(call("describe", ActiveCall.SCAN_MS, oc -> {
            KmemCache c = cache(oc, name);
            return SlabDescribeFormatter.format(c, oc.slabinfo(c), oc.describe(c), oc.stats(c));
        }));
    }

    @Descriptor("print the files of /sys/kernel/slab/NAME/ as 'file: value' lines")
    public String sysfs(@Descriptor(CACHE_HELP) String name) {
        return Args.view(SysfsFormatter.format(files(name)));
    }

    @Descriptor("print one file of /sys/kernel/slab/NAME/, e.g. mm:sysfs kmalloc-64 objs_per_slab")
    public String sysfs(@Descriptor(CACHE_HELP) String name,
            @Descriptor("the file: object_size, slab_size, objs_per_slab, order, objects, partial ...") String file) {
        String value = SysfsFormatter.file(files(name), file);
        if (value == null) {
            throw new CommandError("no file '" + file + "' in /sys/kernel/slab/" + name + "/: mm:sysfs " + name + " lists them");
        }
        return Args.view(value);
    }

    private Map<String, String> files(String name) {
        return call("sysfs", ActiveCall.SCAN_MS, oc -> oc.sysfs(cache(oc, name)));
    }

    // memory

    @Descriptor("write bytes into slab memory at ADDR, as a buggy driver would (to see the debugging checks catch it)")
    public void poke(@Descriptor("where to write: an object's address, or an address in its red zone or padding") String addr,
            @Descriptor("the bytes as hex pairs, first byte first: 78, deadbeef") String bytes) {
        long a = Args.address(addr);
        byte[] b = Args.hexBytes(bytes);
        call("poke", ActiveCall.CALL_MS, oc -> {
            oc.poke(a, b);
            return null;
        });
    }

    @Descriptor("print 64 bytes of slab memory at ADDR as the kernel's print_hex_dump does")
    public String peek(@Descriptor(ADDR_HELP) String addr) {
        return peek(addr, "64");
    }

    @Descriptor("print LEN bytes of slab memory at ADDR as the kernel's print_hex_dump does (16 a line, with ASCII)")
    public String peek(@Descriptor(ADDR_HELP) String addr, @Descriptor("how many bytes: 1 to 8K") String len) {
        long a = Args.address(addr);
        int n = (int) Args.size("length", len, 1, PEEK_MAX);
        byte[] bytes = call("peek", ActiveCall.CALL_MS, oc -> oc.peek(a, n));
        StringBuilder dump = new StringBuilder();
        HexDump.lines("", a, bytes, 0, bytes.length).forEach(l -> dump.append(l).append('\n'));
        return Args.view(dump.toString());
    }

    @Descriptor("check every slab of cache NAME (validate_slab_cache): print each error found, or that it is consistent")
    public String validate(@Descriptor(CACHE_HELP) String name) {
        List<String> errors = call("validate", ActiveCall.SCAN_MS, oc -> oc.validate(cache(oc, name)));
        if (errors.isEmpty()) {
            return name + ": consistent, validate found no errors";
        }
        errors.forEach(System.out::println);
        System.out.flush();
        long n = errorsIn(errors);
        throw new CommandError("validate: " + n + (n == 1 ? " error" : " errors") + " in " + name + ", listed above");
    }

    /**
     * The errors in what {@link ObjectCache#validate} returned: its reports' {@code BUG} lines (one
     * per error, each followed by its details), or, from an implementation that writes no such
     * line, its lines.
     */
    static long errorsIn(List<String> report) {
        long bugs = report.stream().filter(l -> l.startsWith("BUG ")).count();
        return bugs > 0 ? bugs : report.size();
    }

    // calls

    /**
     * Calls the active object cache with the isolation of {@link ActiveCall}. A corruption report
     * is printed, and the command fails with one line that points at it.
     *
     * @param op the kernel function called, for the messages
     */
    private <T> T call(String op, long limitMs, Function<ObjectCache, T> work) {
        return call(op, STOPPED, limitMs, work);
    }

    /** What a corruption report means for a call that frees: the free was refused. */
    private static final String REFUSED = "refused";
    /** What a corruption report means for the other calls. */
    private static final String STOPPED = "stopped by a corruption";

    /**
     * {@link #call(String, long, Function)} saying what a corruption report means for this call
     * ({@link #REFUSED}, {@link #STOPPED}).
     */
    private <T> T call(String op, String onCorruption, long limitMs, Function<ObjectCache, T> work) {
        ObjectCache oc = slabs;
        if (oc == null) {
            throw new CommandError("no ObjectCache implementation is active: mm:impls lists the installed ones");
        }
        try {
            return callActive(ObjectCache.CONTRACT, oc, op, limitMs, work);
        } catch (SlabCorruptionException e) {
            e.report().forEach(System.out::println);
            System.out.flush();
            throw new CommandError(op + ": " + onCorruption + ", see the report above");
        }
    }

    /** The cache of that name, or the one-line error (called on the worker, inside a call). */
    private static KmemCache cache(ObjectCache oc, String name) {
        return oc.findCache(name).orElseThrow(() -> new CommandError("no cache named '" + name
                + "': mm:slabinfo lists the caches"));
    }
}

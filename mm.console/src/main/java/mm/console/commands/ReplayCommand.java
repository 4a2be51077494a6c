package mm.console.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import mm.api.frame.FrameAllocator;
import mm.api.frame.FrameAllocatorFactory;
import mm.api.machine.Machine;
import mm.api.slab.ObjectCache;
import mm.api.slab.ObjectCacheFactory;
import mm.console.replay.ReplayFormatter;
import mm.replay.Replay;
import mm.replay.ReplayOptions;
import mm.replay.ReplayReport;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code mm:replay [-t] FILE} re-enacts a real kernel trace (the text of /sys/kernel/tracing/trace
 * or trace-cmd report, plain or .xz) on a fresh machine of the running machine's shape, through new
 * instances of the active frame allocator and object cache made by their factories; the running
 * machine is not touched. {@code mm:replaycmp [-t] FILE IMPL...} does it once per frame allocator
 * named and prints the results side by side. Timings only with {@code -t}, so that a script prints
 * the same every time.
 */
@Component(service = ReplayCommand.class, property = {"osgi.command.scope=mm", "osgi.command.function=replay",
    "osgi.command.function=replaycmp"})
public class ReplayCommand extends FactoryCommands {

    static final String ACCEPTED = "accepted is a text trace as /sys/kernel/tracing/trace or trace-cmd report print it, plain or .xz";

    @Reference
    volatile Machine machine;

    @Descriptor("re-enact a real kernel trace (/sys/kernel/tracing/trace or trace-cmd report text, plain or .xz) on a fresh "
            + "machine of this one's shape, through new instances of the active frame allocator and object cache: events, "
            + "unparsed lines, unknown frees, failures, fallback (mm_page_alloc_extfrag) and kmalloc decisions reproduced, fragmentation")
    public String replay(
            @Descriptor("also print events per second")
            @Parameter(names = {"-t", "--time"}, presentValue = "true", absentValue = "false") boolean time,
            @Descriptor("the trace file") String file) {
        Path path = readable(file);
        String impl = active(FrameAllocator.CONTRACT);
        FrameAllocatorFactory f;
        if (impl != null) {
            f = find(factories, impl);
            if (f == null) {
                throw new CommandError("the active FrameAllocator '" + impl + "' registers no FrameAllocatorFactory to make a fresh "
                        + "instance: replayed can be " + accepted(factories) + " (mm:replaycmp FILE IMPL)");
            }
        } else {
            f = firstOf(factories);
            if (f == null) {
                throw new CommandError("no FrameAllocatorFactory is installed to replay through: install mm.buddy");
            }
        }
        ReplayReport r = run(path, f, System.out::println);
        return ReplayFormatter.report(String.valueOf(path.getFileName()), r, time);
    }

    @Descriptor("replay the same kernel trace on each frame allocator named, each on a fresh machine of this one's shape "
            + "with the active object cache on top, and print the results side by side")
    public String replaycmp(
            @Descriptor("also print events per second")
            @Parameter(names = {"-t", "--time"}, presentValue = "true", absentValue = "false") boolean time,
            @Descriptor("the trace file") String file,
            @Descriptor("frame allocator implementations, as mm:impls lists them (buddy bitmap, or buddy,bitmap)") String... impls) {
        Path path = readable(file);
        Set<String> names = new LinkedHashSet<>();
        for (String i : impls) {
            for (String part : i.split(",")) {
                if (!part.isBlank()) {
                    names.add(part.trim());
                }
            }
        }
        if (names.isEmpty()) {
            throw new CommandError("no implementation named to compare: accepted are " + accepted(factories));
        }
        List<FrameAllocatorFactory> chosen = new ArrayList<>();
        for (String n : names) {
            FrameAllocatorFactory f = find(factories, n);
            if (f == null) {
                throw new CommandError("no FrameAllocator implementation named '" + n + "' has a factory: accepted are " + accepted(factories));
            }
            chosen.add(f);
        }
        List<ReplayReport> reports = new ArrayList<>();
        for (FrameAllocatorFactory f : chosen) {
            System.out.println("replaying on " + f.implName() + " ...");
            reports.add(run(path, f, null));
        }
        return ReplayFormatter.compare(String.valueOf(path.getFileName()), reports, time);
    }

    private ReplayReport run(Path path, FrameAllocatorFactory f, Consumer<String> progress) {
        String cacheImpl = active(ObjectCache.CONTRACT);
        ObjectCacheFactory oc;
        if (cacheImpl != null) {
            oc = find(cacheFactories, cacheImpl);
            if (oc == null) {
                throw new CommandError("the active ObjectCache '" + cacheImpl + "' registers no ObjectCacheFactory to make a fresh "
                        + "instance: mm:use an object cache with one (" + installed(cacheFactories) + ")");
            }
        } else {
            // no switchboard, or no object cache active: any installed one, or none (object events not re-enacted)
            oc = firstOf(cacheFactories);
        }
        ReplayReport r;
        try {
            Replay replay = Replay.prepare(machines, machine.config(), f, oc, ReplayOptions.DEFAULT);
            r = replay.run(path, progress == null ? null : line -> {
                progress.accept(line);
                System.out.flush();
            });
        } catch (IOException e) {
            throw new CommandError("cannot read trace '" + path + "': " + (e.getMessage() == null ? e.toString() : e.getMessage()) + ": "
                    + ACCEPTED);
        } catch (IllegalStateException e) {
            throw new CommandError(e.getMessage());
        }
        if (r.parse().events() == 0) {
            throw new CommandError("no trace event in '" + path + "' (" + r.parse().lines() + " lines, " + r.parse().unparsed()
                    + " unparsed" + (r.parse().firstUnparsed().isEmpty() ? "" : ", the first at line "
                            + r.parse().firstUnparsed().get(0).lineNo() + ": " + r.parse().firstUnparsed().get(0).reason()) + "): " + ACCEPTED);
        }
        return r;
    }

    /** The file, readable and not empty, or a one-line error. */
    static Path readable(String file) {
        if (file == null || file.isBlank()) {
            throw new CommandError("no trace file given: " + ACCEPTED);
        }
        Path p = Paths.get(file);
        if (!Files.exists(p)) {
            throw new CommandError("trace '" + file + "' does not exist: " + ACCEPTED);
        }
        if (Files.isDirectory(p)) {
            throw new CommandError("trace '" + file + "' is a directory: " + ACCEPTED);
        }
        if (!Files.isReadable(p)) {
            throw new CommandError("trace '" + file + "' is not readable: " + ACCEPTED);
        }
        try {
            if (Files.size(p) == 0) {
                throw new CommandError("trace '" + file + "' is empty: " + ACCEPTED);
            }
        } catch (IOException e) {
            throw new CommandError("cannot read trace '" + file + "': " + e.getMessage());
        }
        return p;
    }

    private static <F> String installed(List<Map.Entry<String, F>> list) {
        return listed(list, "none is installed");
    }

    private static <F> String accepted(List<Map.Entry<String, F>> list) {
        return listed(list, "none (no FrameAllocatorFactory is installed)");
    }
}

package mm.console.commands;

import java.util.function.Function;
import mm.api.frame.FrameAllocator;
import mm.console.proc.BuddyinfoFormatter;
import mm.console.proc.ExtfragFormatter;
import mm.console.proc.IomemFormatter;
import mm.console.proc.MemblockFormatter;
import mm.console.proc.MeminfoFormatter;
import mm.console.proc.PagetypeinfoFormatter;
import mm.console.proc.ZoneinfoFormatter;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;

/**
 * The /proc views: each command prints a file of the kernel, byte for byte in its layout, from
 * the live machine. The text comes from the formatters of {@code mm.console.proc}.
 */
@Component(service = ProcCommands.class, property = {
    "osgi.command.scope=mm",
    "osgi.command.function=meminfo", "osgi.command.function=buddyinfo", "osgi.command.function=zoneinfo",
    "osgi.command.function=pagetypeinfo", "osgi.command.function=iomem", "osgi.command.function=memblock",
    "osgi.command.function=extfrag"})
public class ProcCommands extends AllocatorCommands {

    public ProcCommands() {
        super("proc");
    }

    /** A view that asks the active allocator (free blocks per order, per-CPU lists), with the isolation of {@link ActiveCall}. */
    private String viaAllocator(Function<FrameAllocator, String> view) {
        return Args.view(callActive("nrFree", ActiveCall.SCAN_MS, view));
    }

    @Descriptor("print /proc/meminfo: memory totals and usage in kB")
    public String meminfo() {
        return Args.view(MeminfoFormatter.format(machine));
    }

    @Descriptor("print /proc/buddyinfo: free blocks per order (0 to 10) in each zone")
    public String buddyinfo() {
        return viaAllocator(fa -> BuddyinfoFormatter.format(machine, fa));
    }

    @Descriptor("print /proc/zoneinfo: each zone's free pages, watermarks, protection, counters and per-CPU lists")
    public String zoneinfo() {
        return viaAllocator(fa -> ZoneinfoFormatter.format(machine, fa));
    }

    @Descriptor("print /proc/pagetypeinfo: free blocks per order and migratetype, and pageblocks per migratetype")
    public String pagetypeinfo() {
        return viaAllocator(fa -> PagetypeinfoFormatter.format(machine, fa));
    }

    @Descriptor("print debugfs extfrag/extfrag_index and extfrag/unusable_index: fragmentation and unusable free space indexes per order")
    public String extfrag() {
        return viaAllocator(fa -> "extfrag/extfrag_index:\n" + ExtfragFormatter.extfragIndex(machine, fa)
                + "extfrag/unusable_index:\n" + ExtfragFormatter.unusableIndex(machine, fa));
    }

    @Descriptor("print one debugfs extfrag file exactly: extfrag_index or unusable_index")
    public String extfrag(@Descriptor("extfrag_index or unusable_index (or with extfrag/ before, as mm:extfrag names them)")
            String file) {
        String name = file.startsWith("extfrag/") ? file.substring("extfrag/".length()) : file;
        if (name.equals("extfrag_index")) {
            return viaAllocator(fa -> ExtfragFormatter.extfragIndex(machine, fa));
        }
        if (name.equals("unusable_index")) {
            return viaAllocator(fa -> ExtfragFormatter.unusableIndex(machine, fa));
        }
        throw new CommandError("no file '" + file + "': accepted are extfrag_index and unusable_index");
    }

    @Descriptor("print /proc/iomem: the physical address map (RAM, reserved ranges, kernel image, devices)")
    public String iomem() {
        return Args.view(IomemFormatter.format(machine.iomem()));
    }

    @Descriptor("print the memblock=debug dump: the boot allocator's memory and reserved regions")
    public String memblock() {
        return Args.view(MemblockFormatter.format(machine.memblock()));
    }
}

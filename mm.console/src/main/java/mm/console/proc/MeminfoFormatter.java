package mm.console.proc;

import mm.api.machine.Arch;
import mm.api.machine.ArchInfo;
import mm.api.machine.Machine;
import mm.api.machine.NodeStat;
import mm.api.machine.Watermark;
import mm.api.machine.Zone;
import mm.api.machine.ZoneStat;

/**
 * /proc/meminfo as {@code meminfo_proc_show} (fs/proc/meminfo.c, Linux 6.18) prints it for the
 * captured x86_64 configuration (CONFIG_ZSWAP and CONFIG_TRANSPARENT_HUGEPAGE, no HIGHMEM, CMA,
 * MEMORY_FAILURE or UNACCEPTED_MEMORY), followed by {@code hugetlb_report_meminfo} and, on x86_64
 * only, {@code arch_report_meminfo}'s DirectMap lines.
 */
public final class MeminfoFormatter {

    /** {@code sysctl_overcommit_ratio}'s default. */
    static final int OVERCOMMIT_RATIO = 50;
    /** Hugepagesize in KiB: PMD-sized huge pages with 4 KiB base pages on both architectures. */
    static final long HUGEPAGESIZE_KB = 2048;
    private static final int PAGE_TO_KB_SHIFT = Machine.PAGE_SHIFT - 10;

    /**
     * Figures /proc/meminfo prints that the machine does not carry itself, in pages: block-device
     * buffers ({@code nr_blockdev_pages}), swap ({@code si_swapinfo}), committed address space
     * ({@code vm_memory_committed}) and vmalloc pages ({@code vmalloc_nr_pages}). The subsystems
     * that own them supply them; {@link #NONE} stands for all zero.
     *
     * @param bufferPages {@code Buffers:}
     * @param swapTotalPages {@code SwapTotal:}, also added to {@code CommitLimit:}
     * @param swapFreePages {@code SwapFree:}
     * @param committedPages {@code Committed_AS:}
     * @param vmallocUsedPages {@code VmallocUsed:}
     */
    public record Extras(long bufferPages, long swapTotalPages, long swapFreePages, long committedPages,
            long vmallocUsedPages) {
        /** Nothing but zeros. */
        public static final Extras NONE = new Extras(0, 0, 0, 0, 0);

        /** The same with swap figures. */
        public Extras withSwap(long totalPages, long freePages) {
            return new Extras(bufferPages, totalPages, freePages, committedPages, vmallocUsedPages);
        }
    }

    private MeminfoFormatter() {
    }

    /** {@code meminfo_proc_show} with no buffers, swap, committed memory or vmalloc use. */
    public static String format(Machine machine) {
        return format(machine, Extras.NONE);
    }

    /** {@code meminfo_proc_show}. */
    public static String format(Machine machine, Extras extras) {
        Seq m = new Seq();
        long totalram = machine.totalramPages();
        long swapcache = machine.nodeState(NodeStat.NR_SWAPCACHE);
        long cached = Math.max(0, machine.nodeState(NodeStat.NR_FILE_PAGES) - swapcache - extras.bufferPages());
        long activeAnon = machine.nodeState(NodeStat.NR_ACTIVE_ANON);
        long inactiveAnon = machine.nodeState(NodeStat.NR_INACTIVE_ANON);
        long activeFile = machine.nodeState(NodeStat.NR_ACTIVE_FILE);
        long inactiveFile = machine.nodeState(NodeStat.NR_INACTIVE_FILE);
        long sreclaimable = machine.nodeState(NodeStat.NR_SLAB_RECLAIMABLE);
        long sunreclaim = machine.nodeState(NodeStat.NR_SLAB_UNRECLAIMABLE);

        showValKb(m, "MemTotal:", totalram);
        showValKb(m, "MemFree:", machine.zoneState(ZoneStat.NR_FREE_PAGES));
        showValKb(m, "MemAvailable:", siMemAvailable(machine));
        showValKb(m, "Buffers:", extras.bufferPages());
        showValKb(m, "Cached:", cached);
        showValKb(m, "SwapCached:", swapcache);
        showValKb(m, "Active:", activeAnon + activeFile);
        showValKb(m, "Inactive:", inactiveAnon + inactiveFile);
        showValKb(m, "Active(anon):", activeAnon);
        showValKb(m, "Inactive(anon):", inactiveAnon);
        showValKb(m, "Active(file):", activeFile);
        showValKb(m, "Inactive(file):", inactiveFile);
        showValKb(m, "Unevictable:", machine.nodeState(NodeStat.NR_UNEVICTABLE));
        showValKb(m, "Mlocked:", machine.zoneState(ZoneStat.NR_MLOCK));
        showValKb(m, "SwapTotal:", extras.swapTotalPages());
        showValKb(m, "SwapFree:", extras.swapFreePages());
        showValKb(m, "Zswap:", 0);
        showValKb(m, "Zswapped:", 0);
        showValKb(m, "Dirty:", machine.nodeState(NodeStat.NR_FILE_DIRTY));
        showValKb(m, "Writeback:", machine.nodeState(NodeStat.NR_WRITEBACK));
        showValKb(m, "AnonPages:", machine.nodeState(NodeStat.NR_ANON_MAPPED));
        showValKb(m, "Mapped:", machine.nodeState(NodeStat.NR_FILE_MAPPED));
        showValKb(m, "Shmem:", machine.nodeState(NodeStat.NR_SHMEM));
        showValKb(m, "KReclaimable:", sreclaimable + machine.nodeState(NodeStat.NR_KERNEL_MISC_RECLAIMABLE));
        showValKb(m, "Slab:", sreclaimable + sunreclaim);
        showValKb(m, "SReclaimable:", sreclaimable);
        showValKb(m, "SUnreclaim:", sunreclaim);
        showKb(m, "KernelStack:", machine.nodeState(NodeStat.NR_KERNEL_STACK_KB));
        showValKb(m, "PageTables:", machine.nodeState(NodeStat.NR_PAGETABLE));
        showValKb(m, "SecPageTables:", machine.nodeState(NodeStat.NR_SECONDARY_PAGETABLE));
        showValKb(m, "NFS_Unstable:", 0);
        showValKb(m, "Bounce:", 0);
        showValKb(m, "WritebackTmp:", 0);
        showValKb(m, "CommitLimit:", totalram * OVERCOMMIT_RATIO / 100 + extras.swapTotalPages());
        showValKb(m, "Committed_AS:", extras.committedPages());
        ArchInfo arch = machine.archInfo();
        showKb(m, "VmallocTotal:", arch.vmallocTotalKb());
        showValKb(m, "VmallocUsed:", extras.vmallocUsedPages());
        showValKb(m, "VmallocChunk:", 0);
        showKb(m, "Percpu:", arch.percpuKb());
        showValKb(m, "AnonHugePages:", machine.nodeState(NodeStat.NR_ANON_THPS));
        showValKb(m, "ShmemHugePages:", machine.nodeState(NodeStat.NR_SHMEM_THPS));
        showValKb(m, "ShmemPmdMapped:", machine.nodeState(NodeStat.NR_SHMEM_PMDMAPPED));
        showValKb(m, "FileHugePages:", machine.nodeState(NodeStat.NR_FILE_THPS));
        showValKb(m, "FilePmdMapped:", machine.nodeState(NodeStat.NR_FILE_PMDMAPPED));
        showValKb(m, "Balloon:", machine.nodeState(NodeStat.NR_BALLOON_PAGES));
        hugetlbReportMeminfo(m);
        if (machine.config().arch() == Arch.X86_64) {
            showKb(m, "DirectMap4k:", arch.directMap4kKb());
            showKb(m, "DirectMap2M:", arch.directMap2mKb());
            showKb(m, "DirectMap1G:", arch.directMap1gKb());
        }
        return m.toString();
    }

    /**
     * {@code si_mem_available} (mm/show_mem.c): free pages above the reserves, plus the page cache
     * and reclaimable kernel memory that could be freed, each less what must stay (half of it, at
     * most the sum of the low watermarks); never negative.
     */
    public static long siMemAvailable(Machine machine) {
        long wmarkLow = 0;
        for (Zone zone : machine.zones()) {
            wmarkLow += zone.watermark(Watermark.LOW);
        }
        long available = machine.zoneState(ZoneStat.NR_FREE_PAGES) - machine.totalreservePages();
        long pagecache = machine.nodeState(NodeStat.NR_ACTIVE_FILE) + machine.nodeState(NodeStat.NR_INACTIVE_FILE);
        pagecache -= Math.min(pagecache / 2, wmarkLow);
        available += pagecache;
        long reclaimable = machine.nodeState(NodeStat.NR_SLAB_RECLAIMABLE)
                + machine.nodeState(NodeStat.NR_KERNEL_MISC_RECLAIMABLE);
        reclaimable -= Math.min(reclaimable / 2, wmarkLow);
        available += reclaimable;
        return Math.max(0, available);
    }

    /** {@code hugetlb_report_meminfo} (mm/hugetlb.c) with no huge pages configured. */
    private static void hugetlbReportMeminfo(Seq m) {
        m.printf("HugePages_Total:   %5d\n"
                + "HugePages_Free:    %5d\n"
                + "HugePages_Rsvd:    %5d\n"
                + "HugePages_Surp:    %5d\n"
                + "Hugepagesize:   %8d kB\n", 0, 0, 0, 0, HUGEPAGESIZE_KB);
        showKb(m, "Hugetlb:", 0);
    }

    /** {@code show_val_kb}: a count of pages, printed in KiB. */
    private static void showValKb(Seq m, String label, long pages) {
        showKb(m, label, pages << PAGE_TO_KB_SHIFT);
    }

    /** A label padded to 16 columns, {@code "%8lu kB\n"}. */
    private static void showKb(Seq m, String label, long kb) {
        m.printf("%-16s%8d kB\n", label, kb);
    }
}

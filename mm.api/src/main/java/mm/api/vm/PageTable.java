package mm.api.vm;

import java.util.List;
import mm.api.subsystem.Subsystem;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Processes' address spaces: VMAs managed by mmap/munmap/mprotect/brk, multi-level page tables
 * in the architecture's format, and the page fault handler that fills them (anonymous memory,
 * the zero page, file pages, copy-on-write, swap-in). Page-table pages come from the active
 * frame allocator. Calls return the kernel's values: an address, 0, or a negative errno.
 *
 * <p>Hand-over keys: none; page tables live in frames ({@code PG_table}) and VMAs are exported
 * through {@link #vmas}.
 */
@ProviderType
public interface PageTable extends Subsystem {

    /** The contract's name. */
    String CONTRACT = "PageTable";

    int PROT_NONE = 0x0;
    int PROT_READ = 0x1;
    int PROT_WRITE = 0x2;
    int PROT_EXEC = 0x4;

    int MAP_SHARED = 0x01;
    int MAP_PRIVATE = 0x02;
    int MAP_FIXED = 0x10;
    int MAP_ANONYMOUS = 0x20;
    int MAP_POPULATE = 0x8000;
    int MAP_FIXED_NOREPLACE = 0x100000;

    /** FAULT_FLAG_WRITE: the access was a write. */
    int FAULT_FLAG_WRITE = 0x01;
    /** FAULT_FLAG_USER: the access came from user space. */
    int FAULT_FLAG_USER = 0x40;
    /** FAULT_FLAG_INSTRUCTION: an instruction fetch. */
    int FAULT_FLAG_INSTRUCTION = 0x100;

    /** VM_FAULT_OOM. */
    int VM_FAULT_OOM = 0x000001;
    /** VM_FAULT_SIGBUS. */
    int VM_FAULT_SIGBUS = 0x000002;
    /** VM_FAULT_MAJOR: the fault needed I/O (swap-in, file read). */
    int VM_FAULT_MAJOR = 0x000004;
    /** VM_FAULT_SIGSEGV. */
    int VM_FAULT_SIGSEGV = 0x000040;

    /** Creates an empty address space for a process ({@code mm_alloc}). */
    Mm mmAlloc(int pid, String comm);

    /** Copies an address space for fork, sharing private pages copy-on-write ({@code dup_mm}). */
    Mm dupMm(Mm parent, int childPid, String comm);

    /** Tears down an address space and frees its pages and page tables ({@code exit_mmap}). */
    void exitMmap(Mm mm);

    /**
     * Maps a range ({@code do_mmap}).
     *
     * @param file the file to map, or null for anonymous memory
     * @return the start address, or a negative errno (-EINVAL, -ENOMEM, -EEXIST)
     */
    long mmap(Mm mm, long addr, long len, int prot, int flags, SimFile file, long pgoff);

    /** Unmaps a range ({@code do_vmi_munmap}); 0 or a negative errno. */
    int munmap(Mm mm, long addr, long len);

    /** Changes protection ({@code mprotect_fixup}); 0 or a negative errno. */
    int mprotect(Mm mm, long addr, long len, int prot);

    /** Moves the program break ({@code brk}); the new break. */
    long brk(Mm mm, long newBrk);

    /**
     * Handles a page fault at {@code addr} ({@code handle_mm_fault}), after the architecture's
     * checks ({@code do_user_addr_fault}): a fault outside any VMA or against its protection
     * answers {@link #VM_FAULT_SIGSEGV}.
     *
     * @return 0 or {@code VM_FAULT_*} bits
     */
    int handleMmFault(Mm mm, long addr, int faultFlags);

    /** Walks the page tables for an address, level by level, without faulting. */
    PageWalk walk(Mm mm, long addr);

    /** The VMAs of an address space, by address (/proc/PID/maps). */
    List<Vma> vmas(Mm mm);

    /**
     * Unmaps a frame from every page table that maps it ({@code try_to_unmap}), storing
     * {@code swapEntry} in the PTEs when it is non-zero.
     *
     * @return true if no mapping remains
     */
    boolean tryToUnmap(long pfn, long swapEntry);

    /**
     * Tests and clears the accessed bits of every PTE mapping a frame ({@code folio_referenced}).
     *
     * @return how many mappings had it set
     */
    int folioReferenced(long pfn);
}

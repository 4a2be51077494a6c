package mm.api.vm;

import org.osgi.annotation.versioning.ProviderType;

/** An address space ({@code struct mm_struct}). */
@ProviderType
public interface Mm {
    /** The owning process. */
    int pid();

    /** Its name. */
    String comm();

    /** Mapped pages ({@code total_vm}). */
    long totalVm();

    /** Resident pages by kind ({@code get_mm_counter}): MM_FILEPAGES 0, MM_ANONPAGES 1, MM_SWAPENTS 2, MM_SHMEMPAGES 3. */
    long counter(int member);

    /** Bytes of page tables ({@code mm_pgtables_bytes}). */
    long pageTableBytes();
}

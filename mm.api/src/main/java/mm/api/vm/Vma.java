package mm.api.vm;

/**
 * A virtual memory area ({@code struct vm_area_struct}), as /proc/PID/maps prints it.
 *
 * @param start the first address
 * @param end one past the last address
 * @param flags {@code VM_*} flags (VM_READ 0x1, VM_WRITE 0x2, VM_EXEC 0x4, VM_SHARED 0x8...)
 * @param pgoff the file offset in pages
 * @param fileName the mapped file, or null for anonymous memory
 * @param name a name for anonymous areas ({@code [heap]}, {@code [stack]}), or null
 */
public record Vma(long start, long end, long flags, long pgoff, String fileName, String name) {
    /** Validates the range. */
    public Vma {
        if (end <= start || (start & 0xfff) != 0 || (end & 0xfff) != 0) {
            throw new IllegalArgumentException(String.format("VMA [%#x, %#x) is empty or not page aligned", start, end));
        }
    }
}

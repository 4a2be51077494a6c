package mm.console.commands;

import java.util.Locale;

/**
 * What {@code mm:kmalloc}, {@code mm:krealloc} and {@code mm:kmem_cache_alloc} got: an object's
 * kernel address and where it lives. Kept in a shell variable it can be passed to the commands
 * that take an address: {@code p = (mm:kmalloc 100)}, then {@code mm:kfree $p}.
 *
 * @param addr the kernel virtual address
 * @param where the cache's name, {@code (order-N pages)} for a large kmalloc, or {@code (ZERO_SIZE_PTR)}
 */
public record SlabObject(long addr, String where) {

    /** {@code 0xffff888004a1c080 kmalloc-128}: the address first, so that the commands read it back. */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "0x%016x %s", addr, where);
    }
}

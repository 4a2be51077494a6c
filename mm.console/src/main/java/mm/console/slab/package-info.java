/**
 * Text of the slab commands: /proc/slabinfo, slabtop, /sys/kernel/slab/, a cache's description
 * and the kernel's hex dump, each a pure function of the data the {@code ObjectCache} gave.
 */
package mm.console.slab;

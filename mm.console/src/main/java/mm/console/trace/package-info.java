/**
 * Text of {@code mm:trace}: the trace file (/sys/kernel/tracing/trace) with the kernel's header,
 * and the list of events; pure functions of the tracer's records.
 */
package mm.console.trace;

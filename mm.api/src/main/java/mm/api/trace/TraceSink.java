package mm.api.trace;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives trace records as they are emitted. */
@ConsumerType
@FunctionalInterface
public interface TraceSink {
    /** Called for each record, on the emitting thread. */
    void accept(TraceRecord record);
}

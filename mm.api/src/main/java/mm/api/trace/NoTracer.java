package mm.api.trace;

import java.util.List;

/** {@link Tracer#none()}: tracepoints that stay disabled. */
final class NoTracer implements Tracer, Tracepoint {

    static final NoTracer INSTANCE = new NoTracer();

    private NoTracer() {
    }

    @Override
    public Tracepoint tracepoint(String system, String event) {
        return this;
    }

    @Override
    public List<String> events() {
        return List.of();
    }

    @Override
    public int setEnabled(String pattern, boolean enabled) {
        return 0;
    }

    @Override
    public List<String> matching(String pattern) {
        return List.of();
    }

    @Override
    public AutoCloseable addSink(TraceSink sink) {
        return () -> { };
    }

    @Override
    public String name() {
        return "none:none";
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public void emit(String args) {
    }
}

package io.keyhook.common.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;

/** The current trace context as a W3C {@code traceparent}, for what outlives the request (an outbox row). */
public final class TraceContext {

    public static final String HEADER = "traceparent";

    private TraceContext() {
    }

    /** The current span's {@code traceparent}, or null outside any trace. */
    public static String current() {
        return of(Span.current().getSpanContext());
    }

    /** {@code c} as a W3C {@code traceparent}, or null when it is not a valid context. */
    public static String of(SpanContext c) {
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }
}

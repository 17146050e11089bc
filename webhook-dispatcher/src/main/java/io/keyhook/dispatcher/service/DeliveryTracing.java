package io.keyhook.dispatcher.service;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import io.keyhook.common.contract.DataChangeEvent;
import io.keyhook.common.tracing.TraceContext;
import io.keyhook.dispatcher.persistence.DeliveryRow;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * Continues the trace a data service started when it published an event (W3C {@code traceparent}/{@code tracestate}
 * Kafka headers). Each event gets one CONSUMER span; its context is stored with each delivery, so every attempt, even a
 * retry days later from the store, is a CLIENT span of the same trace and its log lines carry the trace id. Receivers
 * are third parties: the trace context is never sent to them.
 */
@ApplicationScoped
public class DeliveryTracing {

    private static final TextMapGetter<Headers> KAFKA = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            for (Header h : headers) {
                keys.add(h.key());
            }
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header h = headers == null ? null : headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapGetter<Map<String, String>> MAP = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    @Inject
    Tracer tracer;

    /** Records the event's processing; returns the traceparent its deliveries carry (null if tracing is off). */
    public String received(ConsumerRecord<?, ?> r, DataChangeEvent e) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), r.headers(), KAFKA);
        Span span = tracer.spanBuilder(r.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", r.topic())
                .setAttribute("messaging.destination.partition.id", String.valueOf(r.partition()))
                .setAttribute("messaging.kafka.offset", r.offset()).setAttribute("messaging.message.id", e.id())
                .setAttribute("keyhook.environment", e.environment()).setAttribute("keyhook.event.type", e.type())
                .startSpan();
        span.end();
        return TraceContext.of(span.getSpanContext());
    }

    /** A span for a record that could not be parsed, so its dead-lettering is found under the publisher's trace. */
    public Span deadLettered(ConsumerRecord<?, ?> r, String reason) {
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), r.headers(), KAFKA);
        return tracer.spanBuilder(r.topic() + " process").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute("messaging.system", "kafka").setAttribute("messaging.destination.name", r.topic())
                .setAttribute("messaging.kafka.offset", r.offset()).setAttribute("keyhook.dead_letter.reason", reason)
                .startSpan();
    }

    /** Starts the span of one attempt, a child of the delivery's event span. */
    public Span attempt(DeliveryRow d, int number) {
        Context parent = d.traceparent() == null ? Context.root() : W3CTraceContextPropagator.getInstance()
                .extract(Context.root(), Map.of(TraceContext.HEADER, d.traceparent()), MAP);
        return tracer.spanBuilder("webhook attempt").setParent(parent).setSpanKind(SpanKind.CLIENT)
                .setAttribute("keyhook.webhook.id", d.webhookId()).setAttribute("keyhook.delivery.id", d.id())
                .setAttribute("keyhook.event.type", d.type()).setAttribute("keyhook.attempt", number).startSpan();
    }

    /** Ends an attempt's span with its outcome. */
    public static void ended(Span span, String status, Integer statusCode, String error) {
        if (statusCode != null) {
            span.setAttribute("http.response.status_code", statusCode);
        }
        span.setAttribute("keyhook.delivery.status", status);
        if (!DeliveryRow.DELIVERED.equals(status)) {
            span.setStatus(StatusCode.ERROR, error == null ? status : error);
        }
        span.end();
    }
}

package io.keyhook.dispatcher.persistence;

import java.time.Instant;

import io.vertx.mutiny.sqlclient.Row;

/**
 * A delivery owed to one webhook for one event. {@code body} is exactly what every attempt sends; {@code traceparent}
 * (W3C, may be null) is the span of the event's processing that every attempt continues; {@code resourceId} the event's
 * {@code data.resourceId} (null for rows stored before it was kept), what the log is searched by.
 */
public record DeliveryRow(String id, long sequence, String webhookId, String environment, String eventId, String msgId,
        String type, String orderingKey, String body, String status, int attempts, Instant nextAttemptAt,
        Instant createdAt, String traceparent, String resourceId) {

    /** A delivery without the record's id (a ping, a test's row): {@code resourceId} null. */
    public DeliveryRow(String id, long sequence, String webhookId, String environment, String eventId, String msgId,
            String type, String orderingKey, String body, String status, int attempts, Instant nextAttemptAt,
            Instant createdAt, String traceparent) {
        this(id, sequence, webhookId, environment, eventId, msgId, type, orderingKey, body, status, attempts,
                nextAttemptAt, createdAt, traceparent, null);
    }

    /** The trace id of {@code traceparent}, or null. */
    public String traceId() {
        return traceparent == null || traceparent.length() < 35 ? null : traceparent.substring(3, 35);
    }

    public static final String PENDING = "pending";
    public static final String HELD = "held";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";

    /** The row of {@code dispatcher.deliveries} that {@code r} holds. */
    static DeliveryRow of(Row r) {
        return new DeliveryRow(r.getString("id"), r.getLong("sequence"), r.getString("webhook_id"),
                r.getString("environment"), r.getString("event_id"), r.getString("msg_id"), r.getString("type"),
                r.getString("ordering_key"), r.getString("body"), r.getString("status"), r.getInteger("attempts"),
                Timestamps.instant(r.getOffsetDateTime("next_attempt_at")),
                Timestamps.instant(r.getOffsetDateTime("created_at")), r.getString("traceparent"),
                r.getString("resource_id"));
    }
}

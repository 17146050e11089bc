package io.keyhook.dispatcher.persistence;

import java.time.Instant;

/** A delivery owed to one webhook for one event. {@code body} is exactly what every attempt sends. */
public record DeliveryRow(String id, long sequence, String webhookId, String environment, String eventId, String msgId,
        String type, String orderingKey, String body, String status, int attempts, Instant nextAttemptAt,
        Instant createdAt) {

    public static final String PENDING = "pending";
    public static final String HELD = "held";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}

package io.keyhook.webhooks.persistence;

import java.time.Instant;

/** One operational event of an Environment's activity feed; {@code data} is the event's JSON object as received. */
public record ActivityRow(long seq, String environment, String eventId, String type, Instant time, String subject,
        String data, Instant receivedAt) {
}

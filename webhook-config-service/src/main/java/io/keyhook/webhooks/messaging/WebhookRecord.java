package io.keyhook.webhooks.messaging;

import java.time.Instant;
import java.util.List;

import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * The value of a {@code keyhook.webhooks} record (key = webhook id; a tombstone when deleted): the webhook's whole
 * state, what the dispatcher's view holds.
 */
public record WebhookRecord(int schemaVersion, String id, String environment, String url,
        List<String> notificationTypes, boolean paused, Security security, long version, Instant createdAt,
        Instant updatedAt) {

    /** Method and secret ids; the dispatcher gets the secrets themselves from keyhook.credentials. */
    public record Security(String method, List<String> secretIds, String tokenUrl) {
    }

    public static WebhookRecord of(WebhookRow w) {
        return new WebhookRecord(1, w.id(), w.environment(), w.url(), w.notificationTypes(), w.paused(),
                new Security(w.method(), w.secretIds(), w.tokenUrl()), w.version(), w.createdAt(), w.updatedAt());
    }
}

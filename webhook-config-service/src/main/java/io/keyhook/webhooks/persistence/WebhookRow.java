package io.keyhook.webhooks.persistence;

import java.time.Instant;
import java.util.List;

/** A row of {@code webhooks.webhooks}. {@code version} grows with every change. */
public record WebhookRow(String id, String environment, String url, String method, List<String> secretIds,
        String tokenUrl, List<String> notificationTypes, boolean paused, long version, Instant createdAt,
        Instant updatedAt) {

    public WebhookRow withPaused(boolean paused, Instant at) {
        return new WebhookRow(id, environment, url, method, secretIds, tokenUrl, notificationTypes, paused, version + 1,
                createdAt, at);
    }
}

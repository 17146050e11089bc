package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.List;

import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * A webhook as the API shows it. {@code unavailableNotificationTypes}: opted-in types the Environment's Configuration
 * no longer offers (kept, never delivered until offered again).
 */
public record WebhookResponse(String id, String environment, String url, List<String> notificationTypes,
        List<String> unavailableNotificationTypes, boolean paused, Security security, Instant createdAt,
        Instant updatedAt) {

    /** The security settings; never a secret value. */
    public record Security(String method, List<String> secretIds, String tokenUrl) {
    }

    public static WebhookResponse of(WebhookRow w, List<String> offered) {
        List<String> unavailable = w.notificationTypes().stream().filter(t -> !offered.contains(t)).toList();
        return new WebhookResponse(w.id(), w.environment(), w.url(), w.notificationTypes(), unavailable, w.paused(),
                new Security(w.method(), w.secretIds(), w.tokenUrl()), w.createdAt(), w.updatedAt());
    }
}

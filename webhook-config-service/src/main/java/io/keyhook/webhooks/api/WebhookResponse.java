package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.List;

import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * A webhook as the API shows it. {@code unavailableNotificationTypes}: opted-in types the Environment's Configuration
 * no longer offers (kept, never delivered until offered again). {@code breaker}: its circuit breaker at the dispatcher.
 */
public record WebhookResponse(String id, String environment, String url, List<String> notificationTypes,
        List<String> unavailableNotificationTypes, boolean paused, Security security, Instant createdAt,
        Instant updatedAt, Breaker breaker) {

    /** The security settings; never a secret value. */
    public record Security(String method, List<String> secretIds, String tokenUrl) {
    }

    /**
     * The webhook's circuit breaker: {@code closed}; {@code open} (nothing is attempted before {@code openUntil},
     * deliveries wait as pending); {@code half_open} (the next attempt is a trial); or {@code unknown} when the
     * dispatcher could not be asked.
     */
    public record Breaker(String state, Instant openedAt, Instant openUntil) {

        public static final Breaker CLOSED = new Breaker("closed", null, null);
        public static final Breaker UNKNOWN = new Breaker("unknown", null, null);
    }

    public static WebhookResponse of(WebhookRow w, List<String> offered) {
        List<String> unavailable = w.notificationTypes().stream().filter(t -> !offered.contains(t)).toList();
        return new WebhookResponse(w.id(), w.environment(), w.url(), w.notificationTypes(), unavailable, w.paused(),
                new Security(w.method(), w.secretIds(), w.tokenUrl()), w.createdAt(), w.updatedAt(), Breaker.UNKNOWN);
    }

    public WebhookResponse withBreaker(Breaker b) {
        return new WebhookResponse(id, environment, url, notificationTypes, unavailableNotificationTypes, paused,
                security, createdAt, updatedAt, b);
    }
}

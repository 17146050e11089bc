package io.keyhook.webhooks.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.keyhook.common.contract.WebhookState;
import io.keyhook.webhooks.persistence.WebhookRow;

/**
 * A webhook as the API shows it. {@code unavailableNotificationTypes}: opted-in types the Environment's Configuration
 * no longer offers (kept, never delivered until offered again). {@code breaker}: its circuit breaker at the dispatcher.
 * {@code timeoutMs}, {@code maxInFlight}, {@code rateLimitPerSecond}, {@code headers} (issue 31): its tuning, each null
 * for the dispatcher's default; header values are shown to the Environment's admins (so they must hold no secret).
 * Issue 31 too: {@code purpose} ({@code data} or {@code operational}), {@code pausedReason} ({@code manual},
 * {@code failing}, {@code gone}; null when not paused) and {@code pausedAt}.
 */
public record WebhookResponse(String id, String environment, String url, List<String> notificationTypes,
        List<String> unavailableNotificationTypes, boolean paused, Security security, Instant createdAt,
        Instant updatedAt, Breaker breaker, Integer timeoutMs, Integer maxInFlight, Integer rateLimitPerSecond,
        Map<String, String> headers, String purpose, String pausedReason, Instant pausedAt) {

    /**
     * The security settings; never a client secret's value. For a webhook that signs with material of its own (issue
     * 30): {@code signatureScheme} ({@code v1} or {@code v1a}, as set), {@code signingSecret} ({@code generated} for a
     * webhook's own HMAC secret, as it was asked for) and {@code signingKeys}; all three are absent otherwise.
     */
    public record Security(String method, List<String> secretIds, String tokenUrl,
            @JsonInclude(JsonInclude.Include.NON_NULL) String signatureScheme,
            @JsonInclude(JsonInclude.Include.NON_NULL) String signingSecret,
            @JsonInclude(JsonInclude.Include.NON_NULL) List<SigningKeyResponse> signingKeys) {

        static Security of(WebhookRow w) {
            boolean ownSecret = w.ownSigning()
                    && w.signingKeys().stream().anyMatch(k -> WebhookState.SigningKey.HMAC.equals(k.kind()));
            return new Security(w.method(), w.secretIds(), w.tokenUrl(), w.signatureScheme(),
                    ownSecret ? "generated" : null,
                    w.ownSigning() ? w.signingKeys().stream().map(k -> SigningKeyResponse.of(k, null)).toList() : null);
        }
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
        WebhookState.Tuning t = w.tuning() == null ? new WebhookState.Tuning(null, null, null, null) : w.tuning();
        return new WebhookResponse(w.id(), w.environment(), w.url(), w.notificationTypes(), unavailable, w.paused(),
                Security.of(w), w.createdAt(), w.updatedAt(), Breaker.UNKNOWN, t.timeoutMs(), t.maxInFlight(),
                t.rateLimitPerSecond(), t.headers(), w.purpose(), w.pausedReason(), w.pausedAt());
    }

    /** This answer with the value of the secret {@code keyId} just made: shown in this answer only. */
    public WebhookResponse withSecretShownOnce(String keyId, String secret) {
        if (security.signingKeys() == null || secret == null) {
            return this;
        }
        List<SigningKeyResponse> keys = security.signingKeys().stream()
                .map(k -> k.id().equals(keyId) ? k.withSecret(secret) : k).toList();
        return new WebhookResponse(id, environment, url, notificationTypes, unavailableNotificationTypes, paused,
                new Security(security.method(), security.secretIds(), security.tokenUrl(), security.signatureScheme(),
                        security.signingSecret(), keys),
                createdAt, updatedAt, breaker, timeoutMs, maxInFlight, rateLimitPerSecond, headers, purpose,
                pausedReason, pausedAt);
    }

    public WebhookResponse withBreaker(Breaker b) {
        return new WebhookResponse(id, environment, url, notificationTypes, unavailableNotificationTypes, paused,
                security, createdAt, updatedAt, b, timeoutMs, maxInFlight, rateLimitPerSecond, headers, purpose,
                pausedReason, pausedAt);
    }
}

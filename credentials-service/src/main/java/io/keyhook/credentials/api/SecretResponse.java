package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A secret as listed: never its value. {@code usedByWebhooks} are the webhooks holding a lease on it;
 * {@code disclosedTo} is the site whose token endpoint a token-exchange webhook sent it to (null: never sent anywhere).
 * {@code ageFlaggedAt}: when it was found older than its Environment's {@code secretMaxAgeDays} (absent: never); it
 * expires {@code secretExpiryGraceDays} later unless a webhook holds it.
 */
public record SecretResponse(String id, String status, Instant createdAt, Instant invalidatedAt, Instant lastUsedAt,
        List<String> usedByWebhooks, String disclosedTo,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant ageFlaggedAt) {
}

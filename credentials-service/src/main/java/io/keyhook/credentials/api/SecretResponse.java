package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

/**
 * A secret as listed: never its value. {@code usedByWebhooks} are the webhooks holding a lease on it;
 * {@code disclosedTo} is the site whose token endpoint a token-exchange webhook sent it to (null: never sent anywhere).
 */
public record SecretResponse(String id, String status, Instant createdAt, Instant invalidatedAt, Instant lastUsedAt,
        List<String> usedByWebhooks, String disclosedTo) {
}

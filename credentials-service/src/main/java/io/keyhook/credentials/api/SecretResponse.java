package io.keyhook.credentials.api;

import java.time.Instant;
import java.util.List;

/** A secret as listed: never its value. {@code usedByWebhooks} are the webhooks holding a lease on it. */
public record SecretResponse(String id, String status, Instant createdAt, Instant invalidatedAt, Instant lastUsedAt,
        List<String> usedByWebhooks) {
}

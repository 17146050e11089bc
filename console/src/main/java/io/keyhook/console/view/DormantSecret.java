package io.keyhook.console.view;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A row of the dormancy report: an active secret ({@code secretId}) or a private_key_jwt client's key ({@code kid})
 * nobody used for a long time.
 */
public record DormantSecret(String clientId, String clientName, String secretId, String kid, String lastUsedAt,
        long unusedDays) {

    public static DormantSecret of(JsonNode n) {
        return new DormantSecret(Json.text(n, "clientId"), Json.text(n, "clientName"), Json.text(n, "secretId"),
                Json.text(n, "kid"), Json.when(n, "lastUsedAt"), n.path("unusedDays").asLong());
    }

    public boolean key() {
        return secretId == null && kid != null;
    }

    public String lastUsed() {
        return lastUsedAt == null || lastUsedAt.isEmpty() ? "never" : lastUsedAt;
    }
}

package io.keyhook.console.view;

import com.fasterxml.jackson.databind.JsonNode;

/** A row of the dormancy report: an active secret nobody used for a long time. */
public record DormantSecret(String clientId, String clientName, String secretId, String lastUsedAt, long unusedDays) {

    public static DormantSecret of(JsonNode n) {
        return new DormantSecret(Json.text(n, "clientId"), Json.text(n, "clientName"), Json.text(n, "secretId"),
                Json.when(n, "lastUsedAt"), n.path("unusedDays").asLong());
    }

    public String lastUsed() {
        return lastUsedAt == null || lastUsedAt.isEmpty() ? "never" : lastUsedAt;
    }
}

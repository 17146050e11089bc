package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A client secret as listed (never its value); {@code usedByWebhooks} holds it against invalidation;
 * {@code disclosedTo} is the site a token-exchange webhook sent it to (null: never sent anywhere).
 */
public record SecretItem(String id, String status, String createdAt, String invalidatedAt, String lastUsedAt,
        List<String> usedByWebhooks, String disclosedTo, String ageFlaggedAt) {

    public static SecretItem of(JsonNode n) {
        return new SecretItem(Json.text(n, "id"), Json.text(n, "status"), Json.when(n, "createdAt"),
                Json.when(n, "invalidatedAt"), Json.when(n, "lastUsedAt"), Json.strings(n, "usedByWebhooks"),
                Json.text(n, "disclosedTo"), Json.when(n, "ageFlaggedAt"));
    }

    /** Whether it outlived its Environment's maximum secret age (it expires after the grace). */
    public boolean tooOld() {
        return "active".equals(status) && ageFlaggedAt != null && !ageFlaggedAt.isEmpty();
    }

    public String lastUsed() {
        return lastUsedAt == null || lastUsedAt.isEmpty() ? "never" : lastUsedAt;
    }

    public boolean active() {
        return "active".equals(status);
    }

    public boolean inUse() {
        return !usedByWebhooks.isEmpty();
    }

    public String usedBy() {
        return String.join(", ", usedByWebhooks);
    }
}

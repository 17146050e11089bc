package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A guided rotation and where it stands. */
public record RotationItem(String id, String clientId, String oldSecretId, String newSecretId, String state,
        List<String> webhookIds, String finishAfter, String lastError, String createdAt, String updatedAt,
        RotationChecks checks) {

    public static RotationItem of(JsonNode n) {
        return new RotationItem(Json.text(n, "id"), Json.text(n, "clientId"), Json.text(n, "oldSecretId"),
                Json.text(n, "newSecretId"), Json.text(n, "state"), Json.strings(n, "webhookIds"),
                Json.when(n, "finishAfter"), Json.text(n, "lastError"), Json.when(n, "createdAt"),
                Json.when(n, "updatedAt"), RotationChecks.of(n));
    }

    public boolean overlapping() {
        return "overlapping".equals(state);
    }

    public boolean finishing() {
        return "finishing".equals(state);
    }

    public boolean done() {
        return "done".equals(state);
    }

    public String webhooks() {
        return webhookIds.isEmpty() ? "no webhook" : String.join(", ", webhookIds);
    }
}

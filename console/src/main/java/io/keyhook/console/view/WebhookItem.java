package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A webhook as configured. */
public record WebhookItem(String id, String url, List<String> notificationTypes, List<String> unavailableTypes,
        boolean paused, String method, List<String> secretIds, String tokenUrl, String createdAt) {

    public static WebhookItem of(JsonNode n) {
        JsonNode sec = n.get("security");
        return new WebhookItem(Json.text(n, "id"), Json.text(n, "url"), Json.strings(n, "notificationTypes"),
                Json.strings(n, "unavailableNotificationTypes"), Json.bool(n, "paused"), Json.text(sec, "method"),
                Json.strings(sec, "secretIds"), Json.text(sec, "tokenUrl"), Json.when(n, "createdAt"));
    }

    public String types() {
        return String.join(", ", notificationTypes);
    }

    public String secrets() {
        return String.join(", ", secretIds);
    }
}

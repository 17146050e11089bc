package io.keyhook.console.view;

import com.fasterxml.jackson.databind.JsonNode;

/** An event that went nowhere, with its id (the dispatcher's {@code dropped-events/recent}). */
public record DroppedEvent(String eventId, String disposition, String reason, String detail, String type,
        String resourceId, String receivedAt) {

    public static DroppedEvent of(JsonNode n) {
        return new DroppedEvent(Json.text(n, "eventId"), Json.text(n, "disposition"), Json.text(n, "reason"),
                Json.text(n, "detail"), Json.text(n, "type"), Json.text(n, "resourceId"), Json.when(n, "receivedAt"));
    }
}

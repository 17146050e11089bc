package io.keyhook.console.view;

import com.fasterxml.jackson.databind.JsonNode;

/** One record of a webhook's gap manifest: what the receiver missed, and why (failed or expired). */
public record GapItem(String resource, String resourceId, String type, String lastEventAt, String lastEventId,
        String reason, String deliveryId) {

    public static GapItem of(JsonNode n) {
        return new GapItem(Json.text(n, "resource"), Json.text(n, "resourceId"), Json.text(n, "type"),
                Json.when(n, "lastEventAt"), Json.text(n, "lastEventId"), Json.text(n, "reason"),
                Json.text(n, "deliveryId"));
    }
}

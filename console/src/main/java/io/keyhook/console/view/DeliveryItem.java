package io.keyhook.console.view;

import com.fasterxml.jackson.databind.JsonNode;

/** One delivery of the log, with its latest attempt's figures. */
public record DeliveryItem(String id, String eventId, String type, String status, int attempts, Integer statusCode,
        Integer latencyMs, String error, String nextAttemptAt, String createdAt, String traceId, String resourceId,
        String messageId) {

    public static DeliveryItem of(JsonNode n) {
        JsonNode last = n.get("lastAttempt");
        Integer attempts = Json.integer(n, "attempts");
        return new DeliveryItem(Json.text(n, "id"), Json.text(n, "eventId"), Json.text(n, "type"),
                Json.text(n, "status"), attempts == null ? 0 : attempts, Json.integer(last, "statusCode"),
                Json.integer(last, "latencyMs"), Json.text(last, "error"), Json.when(n, "nextAttemptAt"),
                Json.when(n, "createdAt"), Json.text(n, "traceId"), Json.text(n, "resourceId"),
                Json.text(n, "webhookMessageId"));
    }
}

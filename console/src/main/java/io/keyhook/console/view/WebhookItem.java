package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A webhook as configured, with its circuit breaker at the dispatcher ({@code closed}, {@code open}, {@code half_open}
 * or {@code unknown}).
 */
public record WebhookItem(String id, String url, List<String> notificationTypes, List<String> unavailableTypes,
        boolean paused, String method, List<String> secretIds, String tokenUrl, String createdAt, String breakerState,
        String breakerOpenUntil) {

    public static WebhookItem of(JsonNode n) {
        JsonNode sec = n.get("security");
        JsonNode breaker = n.path("breaker");
        return new WebhookItem(Json.text(n, "id"), Json.text(n, "url"), Json.strings(n, "notificationTypes"),
                Json.strings(n, "unavailableNotificationTypes"), Json.bool(n, "paused"), Json.text(sec, "method"),
                Json.strings(sec, "secretIds"), Json.text(sec, "tokenUrl"), Json.when(n, "createdAt"),
                breaker.path("state").asText("unknown"), Json.when(breaker, "openUntil"));
    }

    /** What the breaker means for deliveries, in a sentence; empty while it is closed. */
    public String breakerNote() {
        return switch (breakerState) {
        case "open" -> "Circuit breaker open after repeated failures: no attempt before " + breakerOpenUntil
                + "; deliveries wait as pending, nothing is lost.";
        case "half_open" -> "Circuit breaker half-open: the next attempt is a trial; one success closes it.";
        case "unknown" -> "Circuit breaker state unknown: the dispatcher did not answer.";
        default -> "";
        };
    }

    public String types() {
        return String.join(", ", notificationTypes);
    }

    public String secrets() {
        return String.join(", ", secretIds);
    }
}

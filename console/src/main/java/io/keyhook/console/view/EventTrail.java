package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What became of one event (the dispatcher's {@code GET …/events/{eventId}}): the webhooks it went to with each
 * delivery's status, or why it went nowhere, or that it was dead-lettered and why.
 */
public record EventTrail(String eventId, String type, String subject, String resourceId, String receivedAt,
        String disposition, String reason, String detail, List<Sent> deliveries) {

    /** One delivery of the event. */
    public record Sent(String webhookId, String deliveryId, String status, int attempts, Integer lastStatus,
            String lastAttemptAt, String reason) {
    }

    public static EventTrail of(JsonNode n) {
        List<Sent> sent = Json.nodes(n, "deliveries").stream()
                .map(d -> new Sent(Json.text(d, "webhookId"), Json.text(d, "deliveryId"), Json.text(d, "status"),
                        d.path("attempts").asInt(), Json.integer(d, "lastStatus"), Json.when(d, "lastAttemptAt"),
                        Json.text(d, "reason")))
                .toList();
        return new EventTrail(Json.text(n, "eventId"), Json.text(n, "type"), Json.text(n, "subject"),
                Json.text(n, "resourceId"), Json.when(n, "receivedAt"), Json.text(n, "disposition"),
                Json.text(n, "reason"), Json.text(n, "detail"), sent);
    }

    /** The disposition in a sentence. */
    public String outcome() {
        if ("dead_lettered".equals(disposition)) {
            return "Dead-lettered: the event could not be read or routed"
                    + (reason == null ? "." : " (" + reason + ").");
        }
        if ("dropped".equals(disposition)) {
            return "It went to no webhook: " + why(reason) + ".";
        }
        return "Delivered to " + deliveries.size() + (deliveries.size() == 1 ? " webhook." : " webhooks.");
    }

    /** Why an event went nowhere, for people. */
    public static String why(String reason) {
        if (reason == null) {
            return "no reason given";
        }
        return switch (reason) {
        case "not_opted_in" -> "no webhook opted into its type (not_opted_in)";
        case "unknown_type" -> "its type is not one the Configuration offers (unknown_type)";
        case "no_webhook" -> "the Environment has no webhook (no_webhook)";
        default -> reason;
        };
    }
}

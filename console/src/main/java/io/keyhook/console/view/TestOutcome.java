package io.keyhook.console.view;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The outcome of "Send test event" (the dispatcher's {@code POST …/test}): one signed {@code keyhook.test} attempt, its
 * status, latency and the receiver's answer excerpt, which is hostile text and shown only escaped.
 */
public record TestOutcome(String messageId, String eventId, boolean delivered, Integer statusCode, Integer latencyMs,
        String error, String response) {

    public static TestOutcome of(JsonNode n) {
        return new TestOutcome(Json.text(n, "messageId"), Json.text(n, "eventId"), Json.bool(n, "delivered"),
                Json.integer(n, "statusCode"), Json.integer(n, "latencyMs"), Json.text(n, "error"),
                Json.text(n, "response"));
    }

    /** Carried across the redirect after the POST, as the flash's values. */
    public Map<String, List<String>> values() {
        return Map.of("messageId", list(messageId), "eventId", list(eventId), "delivered",
                List.of(String.valueOf(delivered)), "statusCode", list(statusCode), "latencyMs", list(latencyMs),
                "error", list(error), "response", list(response));
    }

    /** Read back from the flash; null when the flash holds no outcome. */
    public static TestOutcome of(Flash f) {
        if (f == null || f.value("delivered", null) == null) {
            return null;
        }
        return new TestOutcome(f.value("messageId", null), f.value("eventId", null),
                "true".equals(f.value("delivered", null)), integer(f.value("statusCode", null)),
                integer(f.value("latencyMs", null)), f.value("error", null), f.value("response", null));
    }

    /** One sentence: what the receiver did with it. */
    public String summary() {
        String answer = statusCode != null ? "answered HTTP " + statusCode : "did not answer";
        String took = latencyMs != null ? " in " + latencyMs + " ms" : "";
        return (delivered ? "Delivered: your receiver " : "Not delivered: your receiver ") + answer + took + ".";
    }

    private static List<String> list(Object v) {
        return v == null ? List.of() : List.of(v.toString());
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** One attempt of a delivery: when, the receiver's status and answer excerpt (hostile text: shown escaped), latency. */
public record AttemptItem(int attempt, String startedAt, Integer statusCode, Integer latencyMs, String error,
        String response) {

    public static AttemptItem of(JsonNode n) {
        Integer a = Json.integer(n, "attempt");
        return new AttemptItem(a == null ? 0 : a, Json.when(n, "startedAt"), Json.integer(n, "statusCode"),
                Json.integer(n, "latencyMs"), Json.text(n, "error"), Json.text(n, "response"));
    }

    /** The attempts of a delivery as the dispatcher's {@code GET …/deliveries/{id}} lists them ({@code attemptLog}). */
    public static List<AttemptItem> of(JsonNode delivery, String field) {
        return Json.nodes(delivery, field).stream().map(AttemptItem::of).toList();
    }
}

package io.keyhook.console.view;

import com.fasterxml.jackson.databind.JsonNode;

/** One audit entry, from whichever service recorded it. */
public record AuditItem(String occurredAt, String sortKey, String source, String actor, String action, String target,
        String result, String detail) {

    public static AuditItem ofCredentials(JsonNode n) {
        String target = Json.text(n, "targetType") == null ? Json.text(n, "targetId")
                : Json.text(n, "targetType") + " " + Json.text(n, "targetId");
        return new AuditItem(Json.when(n, "occurredAt"), Json.text(n, "occurredAt"), "credentials",
                Json.text(n, "actor"), Json.text(n, "action"), target, Json.text(n, "result"), Json.text(n, "detail"));
    }

    public static AuditItem ofWebhooks(JsonNode n) {
        return new AuditItem(Json.when(n, "occurredAt"), Json.text(n, "occurredAt"), "webhooks", Json.text(n, "actor"),
                Json.text(n, "action"), Json.text(n, "target"), Json.text(n, "result"), Json.text(n, "detail"));
    }
}

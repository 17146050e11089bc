package io.keyhook.console.view;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A guided rotation of a private_key_jwt client's key (credentials-service's KeyRotation) and its checks. */
public record KeyRotationItem(String id, String clientId, String oldKid, String newKid, String status, String startedAt,
        String finishedAt, String overrideReason, String overrideBy, String overrideAt, List<KeyCheck> checks) {

    public static KeyRotationItem of(JsonNode n) {
        JsonNode o = n.get("override");
        boolean overridden = o != null && o.isObject();
        return new KeyRotationItem(Json.text(n, "id"), Json.text(n, "clientId"), Json.text(n, "oldKid"),
                Json.text(n, "newKid"), Json.text(n, "status"), Json.when(n, "startedAt"), Json.when(n, "finishedAt"),
                overridden ? Json.text(o, "reason") : null, overridden ? Json.text(o, "by") : null,
                overridden ? Json.when(o, "at") : null, KeyCheck.listOf(n));
    }

    public boolean open() {
        return "open".equals(status);
    }

    public boolean overridden() {
        return overrideReason != null;
    }

    public boolean passed() {
        return !checks.isEmpty() && checks.stream().allMatch(KeyCheck::passed);
    }

    /** The status as the stylesheet colours it (open waits like an overlapping secret rotation). */
    public String statusClass() {
        return switch (status == null ? "" : status) {
        case "open" -> "overlapping";
        case "finished" -> "done";
        case "cancelled" -> "abandoned";
        default -> "pending";
        };
    }
}

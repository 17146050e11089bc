package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A verified rotation's last checks as the wizard shows them: the receiver's answer to each {@code keyhook.ping} signed
 * with the new secret only, and whether the old secret has been quiet long enough; and an override's reason.
 */
public record RotationChecks(boolean passed, String checkedAt, boolean receiverPassed, List<String> pings,
        boolean appPassed, String oldSecretLastUsedAt, String quietPeriod, String quietUntil, String appError,
        String overriddenBy, String overrideReason) {

    /** The checks of a rotation answer, or null before the first. */
    public static RotationChecks of(JsonNode rotation) {
        JsonNode c = rotation.path("checks");
        if (!c.isObject()) {
            return null;
        }
        JsonNode receiver = c.path("receiver");
        List<String> pings = new ArrayList<>();
        for (JsonNode p : receiver.path("pings")) {
            String answer = p.hasNonNull("statusCode") ? "HTTP " + p.path("statusCode").asInt() : Json.text(p, "error");
            pings.add(Json.text(p, "webhookId") + ": " + answer + (Json.bool(p, "delivered") ? " ✓" : " ✗"));
        }
        JsonNode app = c.path("app");
        JsonNode override = c.path("override");
        return new RotationChecks(Json.bool(c, "passed"), Json.when(c, "checkedAt"), Json.bool(receiver, "passed"),
                pings, Json.bool(app, "passed"), Json.when(app, "lastUsedAt"), Json.text(app, "quietPeriod"),
                Json.when(app, "quietUntil"), Json.text(app, "error"), Json.text(override, "by"),
                Json.text(override, "reason"));
    }

    public boolean ran() {
        return checkedAt != null && !checkedAt.isEmpty();
    }

    public boolean overridden() {
        return overrideReason != null;
    }
}

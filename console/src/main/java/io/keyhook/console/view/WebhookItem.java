package io.keyhook.console.view;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A webhook as configured, with its circuit breaker at the dispatcher ({@code closed}, {@code open}, {@code half_open}
 * or {@code unknown}).
 */
public record WebhookItem(String id, String url, List<String> notificationTypes, List<String> unavailableTypes,
        boolean paused, String method, List<String> secretIds, String tokenUrl, String createdAt, String breakerState,
        String breakerOpenUntil, String signatureScheme, String signingSecret, String purpose, String pausedReason,
        String pausedAt, Integer timeoutMs, Integer maxInFlight, Integer rateLimitPerSecond,
        Map<String, String> headers) {

    public static WebhookItem of(JsonNode n) {
        JsonNode sec = n.get("security");
        JsonNode breaker = n.path("breaker");
        Map<String, String> headers = new LinkedHashMap<>();
        n.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
        return new WebhookItem(Json.text(n, "id"), Json.text(n, "url"), Json.strings(n, "notificationTypes"),
                Json.strings(n, "unavailableNotificationTypes"), Json.bool(n, "paused"), Json.text(sec, "method"),
                Json.strings(sec, "secretIds"), Json.text(sec, "tokenUrl"), Json.when(n, "createdAt"),
                breaker.path("state").asText("unknown"), Json.when(breaker, "openUntil"),
                Json.text(sec, "signatureScheme"), Json.text(sec, "signingSecret"),
                "operational".equals(Json.text(n, "purpose")) ? "operational" : "data", Json.text(n, "pausedReason"),
                Json.when(n, "pausedAt"), Json.integer(n, "timeoutMs"), Json.integer(n, "maxInFlight"),
                Json.integer(n, "rateLimitPerSecond"), headers);
    }

    /** The operational webhook receives Keyhook's own events about the Environment, not data notifications. */
    public boolean operational() {
        return "operational".equals(purpose);
    }

    /**
     * Why it is paused, in a few words: "paused: failing since …" when auto-disable paused it, "paused: gone since …"
     * when the receiver answered 410, "paused" when an admin did; empty when it is active.
     */
    public String pausedNote() {
        if (!paused) {
            return "";
        }
        String since = pausedAt == null || pausedAt.isEmpty() ? "" : " since " + pausedAt;
        return switch (pausedReason == null ? "manual" : pausedReason) {
        case "failing" -> "paused: failing" + since;
        case "gone" -> "paused: gone (the receiver answered 410)" + since;
        default -> "paused" + since;
        };
    }

    /** Its tuning as set, in a few words ("" when every field is the default). */
    public String tuning() {
        List<String> parts = new ArrayList<>();
        if (timeoutMs != null) {
            parts.add("timeout " + timeoutMs + " ms");
        }
        if (maxInFlight != null) {
            parts.add(maxInFlight + " in flight");
        }
        if (rateLimitPerSecond != null) {
            parts.add(rateLimitPerSecond + "/s");
        }
        if (!headers.isEmpty()) {
            parts.add(headers.size() + (headers.size() == 1 ? " header" : " headers"));
        }
        return String.join(", ", parts);
    }

    /**
     * How a standard-webhooks webhook signs (issue 30): {@code v1a} (an Ed25519 key of its own), {@code generated} (a
     * whsec_ secret of its own) or {@code clientSecret} (API client secrets, as before).
     */
    public String signing() {
        if ("v1a".equals(signatureScheme)) {
            return "v1a";
        }
        return "generated".equals(signingSecret) ? "generated" : "clientSecret";
    }

    /** Whether it signs with keys of its own, which its signing-keys page lists and rotates. */
    public boolean ownSigning() {
        return !"clientSecret".equals(signing());
    }

    /** What signs its deliveries, in a few words. */
    public String signedWith() {
        return switch (signing()) {
        case "v1a" -> "v1a: its own Ed25519 key";
        case "generated" -> "v1: its own whsec_ secret";
        default -> secrets();
        };
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

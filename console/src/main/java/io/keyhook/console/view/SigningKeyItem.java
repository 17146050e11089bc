package io.keyhook.console.view;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A webhook's own signing key as webhook-config-service lists it: {@code ed25519} (signs v1a; its {@code whpk_} public
 * key) or {@code hmac} (signs v1; its {@code whsec_} value is never listed).
 */
public record SigningKeyItem(String id, String kind, String status, String publicKey, String createdAt,
        String retiredAt) {

    public static SigningKeyItem of(JsonNode n) {
        return new SigningKeyItem(Json.text(n, "id"), Json.text(n, "kind"), Json.text(n, "status"),
                Json.text(n, "publicKey"), Json.when(n, "createdAt"), Json.when(n, "retiredAt"));
    }

    public boolean active() {
        return "active".equals(status);
    }
}

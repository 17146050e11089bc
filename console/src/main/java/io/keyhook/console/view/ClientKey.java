package io.keyhook.console.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A public key of a private_key_jwt client as credentials-service lists it; {@code registeredAt} and
 * {@code ageFlaggedAt} only when the API gives them (empty otherwise, and then not shown).
 */
public record ClientKey(String kid, String alg, String kty, String crv, String registeredAt, String firstUsedAt,
        String lastUsedAt, String ageFlaggedAt) {

    public static ClientKey of(JsonNode n) {
        return new ClientKey(Json.text(n, "kid"), Json.text(n, "alg"), Json.text(n, "kty"), Json.text(n, "crv"),
                Json.when(n, "registeredAt"), Json.when(n, "firstUsedAt"), Json.when(n, "lastUsedAt"),
                Json.when(n, "ageFlaggedAt"));
    }

    /** Whether it outlived the Environment's maximum age (credentials-service's ageFlaggedAt, when it gives one). */
    public boolean tooOld() {
        return !ageFlaggedAt.isEmpty();
    }

    /** {@code kty/crv} (EC, OKP) or {@code kty} (RSA); empty for a jwksUri key seen in use (only its kid is known). */
    public String type() {
        if (kty == null) {
            return "";
        }
        return crv == null ? kty : kty + "/" + crv;
    }

    public String firstUsed() {
        return firstUsedAt.isEmpty() ? "never" : firstUsedAt;
    }

    public String lastUsed() {
        return lastUsedAt.isEmpty() ? "never" : lastUsedAt;
    }

    /** The kid as a query parameter value: a kid is the client's own text and may hold anything. */
    public String kidParam() {
        return URLEncoder.encode(kid == null ? "" : kid, StandardCharsets.UTF_8);
    }
}

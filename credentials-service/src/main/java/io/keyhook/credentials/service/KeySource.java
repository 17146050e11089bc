package io.keyhook.credentials.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.keyhook.credentials.persistence.ClientEntity;

/**
 * Where a private_key_jwt client's public keys come from: an inline JWKS (already validated) or a JWKS URL (already
 * checked), exactly one of the two.
 */
record KeySource(JwksValidator.Validated jwks, String jwksUri) {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Puts this source on the client, clearing the other kind. */
    void applyTo(ClientEntity c) {
        c.authMethod = ClientEntity.PRIVATE_KEY_JWT;
        c.jwks = jwks == null ? null : jwks.json();
        c.jwksUri = jwks == null ? jwksUri : null;
    }

    /** For the audit trail: which keys, never more than a few hundred characters. */
    String describe() {
        if (jwks == null) {
            return "jwksUri " + abbreviate(jwksUri);
        }
        return "jwks kids " + abbreviate(String.join(",", jwks.keys().stream().map(JwksValidator.Key::kid).toList()));
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }

    /** The stored JWKS text as a tree (it was validated when saved). */
    static JsonNode tree(String jwksJson) {
        try {
            return JSON.readTree(jwksJson);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The keys of a stored JWKS, as a client's response lists them. */
    static List<JwksValidator.Key> keysOf(String jwksJson) {
        List<JwksValidator.Key> keys = new ArrayList<>();
        for (JsonNode k : tree(jwksJson).path("keys")) {
            keys.add(new JwksValidator.Key(k.path("kid").asText(), k.path("kty").asText(), text(k, "alg"),
                    text(k, "crv")));
        }
        return keys;
    }

    private static String text(JsonNode k, String name) {
        JsonNode v = k.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }
}

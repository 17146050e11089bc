package io.keyhook.token.service;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyhook.token.config.TokenConfig;

/**
 * Reads back tokens this service issued (introspection, revocation): a published {@code kid} with the algorithm that
 * key signs with (EdDSA, ES256 or RS256), our issuer, and within its lifetime. Anything else is simply not one of ours.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    @Inject
    SigningKeys keys;

    @Inject
    TokenConfig config;

    @Inject
    ObjectMapper json;

    /** The token's claims when its signature and issuer check out (expiry is not checked here), else null. */
    public AccessToken readSigned(String token) {
        if (token == null || token.length() > 8192) {
            return null;
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode header = json.readTree(B64URL.decode(parts[0]));
            SigningKey key = keys.byKid(header.path("kid").asText(""));
            // the header must name the key's own algorithm: a key is never used with another (no alg confusion)
            if (key == null || !key.algorithm().name().equals(header.path("alg").asText())) {
                return null;
            }
            byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
            if (!key.verify(input, B64URL.decode(parts[2]))) {
                return null;
            }
            JsonNode c = json.readTree(B64URL.decode(parts[1]));
            if (!config.issuer().equals(c.path("iss").asText())) {
                return null;
            }
            return new AccessToken(c.path("jti").asText(null), c.path("client_id").asText(null),
                    c.path("aud").asText(null), c.path("scope").asText(null), c.path("env").asText(null),
                    c.path("secret_id").asText(null), strings(c.get("groups")), strings(c.get("environments")),
                    Instant.ofEpochSecond(c.path("iat").asLong()), Instant.ofEpochSecond(c.path("exp").asLong()));
        } catch (Exception e) {
            // not base64url, not JSON: not a token of ours
            return null;
        }
    }

    private static List<String> strings(JsonNode node) {
        if (node == null || !node.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }
}

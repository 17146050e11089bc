package io.keyhook.dispatcher.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The {@code jwt-bearer} security method (SPEC.md section 5): {@code Authorization: Bearer <JWT>}, HS256 keyed with the
 * UTF-8 octets of the client secret string (as OpenID Connect's client_secret_jwt), claims {@code iss} (the client id),
 * {@code aud} (the webhook URL), {@code iat}, {@code exp} (short), {@code jti} (= webhook-id) and {@code body_sha256}
 * (base64url SHA-256 of the exact body), which binds the token to the payload.
 */
public final class JwtBearerToken {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private JwtBearerToken() {
    }

    public static String create(String secret, String clientId, String webhookUrl, String msgId, long nowSeconds,
            long lifetimeSeconds, String body) {
        String header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
        StringBuilder claims = new StringBuilder("{\"iss\":");
        quote(claims, clientId).append(",\"aud\":");
        quote(claims, webhookUrl).append(",\"iat\":").append(nowSeconds).append(",\"exp\":")
                .append(nowSeconds + lifetimeSeconds).append(",\"jti\":");
        quote(claims, msgId).append(",\"body_sha256\":");
        quote(claims, bodyHash(body)).append('}');
        String input = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64URL.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
        byte[] sig = StandardWebhooksSignature.hmac(secret.getBytes(StandardCharsets.UTF_8),
                input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64URL.encodeToString(sig);
    }

    /** Base64url (no padding) of the SHA-256 of the body's UTF-8 bytes. */
    public static String bodyHash(String body) {
        try {
            return B64URL
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static StringBuilder quote(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"');
    }
}

package io.keyhook.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Hand-made compact JWS for tests that must control every byte (assertions, forged tokens). */
public final class TestJws {

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private TestJws() {
    }

    /** {@code header.claims.HS256-signature} with the given JSON texts and HMAC key. */
    public static String hs256(String headerJson, String claimsJson, byte[] key) {
        try {
            String input = b64(headerJson) + "." + b64(claimsJson);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64url without padding of a UTF-8 text. */
    public static String b64(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}

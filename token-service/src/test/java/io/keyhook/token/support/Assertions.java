package io.keyhook.token.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** RFC 7523 assertions signed the way a client would sign them (HS256, key = UTF-8 octets of the secret). */
public final class Assertions {

    public static final String AUDIENCE = "https://keyhook.test/oauth2/token";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private Assertions() {
    }

    public static String claims(String iss, String aud, long expInSeconds, String jti) {
        long now = System.currentTimeMillis() / 1000;
        return "{\"iss\":\"" + iss + "\",\"sub\":\"" + iss + "\",\"aud\":\"" + aud + "\",\"iat\":" + now + ",\"exp\":"
                + (now + expInSeconds) + ",\"jti\":\"" + jti + "\"}";
    }

    public static String hs256(String claims, String secret) {
        return sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", claims, secret.getBytes(StandardCharsets.UTF_8));
    }

    public static String sign(String header, String claims, byte[] key) {
        try {
            String input = b64(header) + "." + b64(claims);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return input + "." + B64URL.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64(String json) {
        return B64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
